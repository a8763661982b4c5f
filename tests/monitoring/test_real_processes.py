"""Real child processes named like known tools, found through the real process table (system tests)."""

from __future__ import annotations

import hashlib
import json
import shutil
import sys

import pytest
from digisafe.checks.monitoring_processes import MonitoringProcessesCheck

from digisafe.system.files import RealFiles
from digisafe.system.processes import PsutilProcesses
from tests.monitoring.conftest import run_check

pytestmark = [
    pytest.mark.system,
    pytest.mark.skipif(sys.platform != "linux" or shutil.which("sleep") is None, reason="needs Linux and sleep"),
]


def test_real_child_named_like_a_known_tool_is_found_with_its_hash(make_ctx, spawn):
    tool, benign = spawn("teamviewerd"), spawn("chrome")
    program = tool.args[0]
    ctx = make_ctx(platform="linux", processes=PsutilProcesses(), files=RealFiles())
    findings, _ = run_check(MonitoringProcessesCheck, ctx)
    mine = [f for f in findings if f.evidence["pid"] == tool.pid]
    assert len(mine) == 1
    ev = mine[0].evidence
    assert ev["product"] == "teamviewer" and ev["exe"] == program
    with open(program, "rb") as handle:
        assert ev["sha256"] == hashlib.sha256(handle.read()).hexdigest()
    assert ev["started"].endswith("Z") and ev["ppid"] is not None
    assert not any(f.evidence.get("pid") == benign.pid for f in findings)


def test_processes_command_json_round_trip_through_from(spawn, tmp_path, monkeypatch):
    from digisafe.cli import main

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    tool = spawn("teamviewerd")
    out = tmp_path / "listing.json"
    with pytest.raises(SystemExit) as done:
        main(["processes", "--format", "json", "--output", str(out)])
    assert done.value.code == 1  # a remote-access tool is medium: at the default --fail-on
    data = json.loads(out.read_text())
    assert any(row["pid"] == tool.pid for row in data["attachments"]["process_listing"]["processes"])
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    again = tmp_path / "again.json"
    with pytest.raises(SystemExit) as done:
        main(["processes", "--from", str(out), "--format", "json", "--output", str(again)])
    assert done.value.code == 1
    report = json.loads(again.read_text())
    # NOTE: one finding per product: another running copy (e.g. a parallel test's) may be the main
    # finding, with ours under also_seen.
    evidences = [f["evidence"] for r in report["results"] for f in r["findings"]]
    pids = [e.get("pid") for e in evidences] + [a["evidence"].get("pid") for e in evidences
                                                for a in e.get("also_seen", ())]
    assert tool.pid in pids
    assert report["sources"]["listing"]["format"] == "digisafe-json"


def test_deleted_program_is_hashed_through_proc(make_ctx, spawn):
    tool = spawn("teamviewerd")
    program = tool.args[0]
    with open(program, "rb") as handle:
        expected = hashlib.sha256(handle.read()).hexdigest()
    import os

    os.unlink(program)
    ctx = make_ctx(platform="linux", processes=PsutilProcesses(), files=RealFiles())
    findings, _ = run_check(MonitoringProcessesCheck, ctx)
    (mine,) = [f for f in findings if f.evidence["pid"] == tool.pid]
    assert mine.evidence["deleted_from_disk"] is True and mine.evidence["sha256"] == expected


def test_input_capture_on_this_machines_real_proc(make_ctx):
    from digisafe.checks.input_capture import InputCaptureCheck

    from digisafe.monitoring.keyboards import keyboard_holders

    ctx = make_ctx(platform="linux", processes=PsutilProcesses(), files=RealFiles())
    holders, seen, denied = keyboard_holders(ctx.files.path("/proc"), None)
    assert seen + denied > 1  # it walked the real /proc (this test process at least)
    findings, limits = run_check(InputCaptureCheck, ctx)
    assert all(f.check_id == "DS-INPUT-010" for f in findings)
