"""One finding per product across running programs, start-up entries, installed programs and
browser history, with all the evidence and the confidence several signals earn."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from digisafe.cli import main
from digisafe.core.context import ProcessInfo
from digisafe.core.model import Confidence, Report, Severity, Status
from digisafe.core.registry import RegisteredCheck
from digisafe.core.runner import run_check
from digisafe.monitoring.products import merge_product_findings
from tests.browsers import builders as bb
from tests.fakes import FakeProcesses, FakeRegistry
from tests.inventory import builders as ib
from tests.traces.builders import chromium_history

LISTINGS = Path(__file__).parent / "listings"
TV = "C:\\Program Files\\TeamViewer\\"


def _report(results):
    return Report("x", "2026-12-07T00:00:00Z", "2026-12-07T00:00:01Z", {"system": "windows"}, tuple(results))


def _teamviewer_laptop(make_ctx):
    registry = FakeRegistry({ib.UNINSTALL + r"\TeamViewer": ib.uninstall_entry(
        "TeamViewer", "TeamViewer Germany GmbH", InstallLocation=TV.rstrip("\\"), InstallDate="20260412")})
    processes = FakeProcesses([
        ProcessInfo(4100, "TeamViewer_Service.exe", TV + "TeamViewer_Service.exe", username="SYSTEM"),
        ProcessInfo(5200, "TeamViewer.exe", TV + "TeamViewer.exe", username="sam"),
    ])
    ctx = make_ctx(platform="windows", registry=registry, processes=processes)
    profile = bb.chrome_profile(ctx.files.home, "windows", "Default", bb.preferences())
    chromium_history(profile / "History", [("https://www.teamviewer.com/en/download/",
                                            datetime(2026, 4, 11, tzinfo=timezone.utc))])
    return ctx


def test_a_service_client_install_and_visit_of_one_product_are_one_finding(make_ctx):
    from digisafe.checks.installed_programs import InstalledProgramsCheck
    from digisafe.checks.monitoring_processes import MonitoringProcessesCheck
    from digisafe.checks.web_traces import WebTracesCheck

    ctx = _teamviewer_laptop(make_ctx)
    results = [run_check(RegisteredCheck(cls, "built-in"), ctx)
               for cls in (MonitoringProcessesCheck, InstalledProgramsCheck, WebTracesCheck)]
    before = [f for r in results for f in r.findings if f.evidence.get("product") == "teamviewer"]
    assert len(before) == 4  # today: service, client, installed program, history visit
    merged = merge_product_findings(_report(results))
    [finding] = [f for f in merged.findings if f.evidence.get("product") == "teamviewer"]
    assert finding.check_id == "DS-PROC-010" and finding.severity is Severity.MEDIUM
    assert finding.confidence is Confidence.HIGH
    assert finding.evidence["seen_as"] == ["running", "installed", "browser history"]
    kinds = [(a["check_id"], a["subject"]) for a in finding.evidence["also_seen"]]
    assert [k[0] for k in kinds] == ["DS-PROC-010", "DS-PROC-030", "DS-BRW-040"]
    assert any("4100" in s or "5200" in s for _c, s in kinds)
    assert {"installed-program", "browser-history", "process-name"} <= set(finding.evidence["signals"])
    by_check = {r.check_id: r for r in merged.results}
    assert by_check["DS-PROC-030"].findings == () and by_check["DS-PROC-030"].status is Status.FINDINGS
    assert "reported once, under DS-PROC-010" in by_check["DS-PROC-030"].limitations[-1]
    assert merge_product_findings(merged) == merged  # idempotent
    json.dumps(merged.to_dict())  # still one JSON-safe report


def test_a_single_finding_is_left_as_it_is(make_ctx):
    from digisafe.checks.installed_programs import InstalledProgramsCheck

    ctx = _teamviewer_laptop(make_ctx)
    results = [run_check(RegisteredCheck(InstalledProgramsCheck, "built-in"), ctx)]
    assert merge_product_findings(_report(results)).results == tuple(results)


def test_processes_from_a_listing_show_one_row_per_product(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    text = (LISTINGS / "windows11_cim.csv").read_bytes().decode("utf-16")
    for pid, exe in ((7001, "TeamViewer_Service.exe"), (7002, "TeamViewer.exe")):
        text += f'"{pid}","{exe}","{TV}{exe}","{TV}{exe}"\r\n'
    path = tmp_path / "with_teamviewer.csv"
    path.write_bytes(text.encode("utf-16"))
    with pytest.raises(SystemExit):
        main(["processes", "--from", str(path), "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    rows = [f for r in report["results"] for f in r["findings"] if f["evidence"].get("product") == "teamviewer"]
    assert len(rows) == 1 and len(rows[0]["evidence"]["also_seen"]) == 1
