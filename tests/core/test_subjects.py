"""Subjects (issue 9): a check for another subject runs only there; the report records its subject;
one platform vocabulary; ctx.cached shares one collection; 1.x reports still read back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from digisafe.cli import main
from digisafe.core.check import Check
from digisafe.core.context import Context
from digisafe.core.model import Report, Severity, Status
from digisafe.core.platforms import LAPTOP_PLATFORMS, Platform
from digisafe.core.registry import RegisteredCheck, Registry
from digisafe.core.session import SessionOptions, run_session
from digisafe.core.subject import Subject, SubjectInfo, SubjectKind
from tests.fakes import make_context

DATA = Path(__file__).parent / "data"


class TrackerCheck(Check):
    """A check for the Bluetooth surroundings: it reads the subject's device, not the laptop."""

    id = "DS-TEST-210"
    title = "a tracker travelling with the person"
    category = "location"
    subjects = frozenset({SubjectKind.BLUETOOTH})
    platforms = LAPTOP_PLATFORMS  # the radio doing the scanning

    def run(self, ctx):
        assert ctx.files is None and ctx.processes is None  # a non-laptop subject has no laptop providers
        for advert in ctx.device:
            yield self.finding(Severity.HIGH, f"{advert} has followed you", subject=advert)


class LaptopOnly(Check):
    id = "DS-TEST-220"
    title = "a laptop check"
    category = "system"

    def run(self, ctx):
        yield self.finding(Severity.LOW, "the laptop was looked at", subject=str(ctx.files.home))


class MacOnly(Check):
    id = "DS-TEST-230"
    title = "a mac check"
    category = "system"
    platforms = frozenset({"darwin"})  # the old spelling, as an old plugin writes it

    def run(self, ctx):
        return []


class Surroundings(Subject):
    """Recorded Bluetooth adverts: a subject kind that is not the laptop."""

    def __init__(self, adverts):
        self.adverts = adverts
        self.info = SubjectInfo(SubjectKind.BLUETOOTH, Platform.LINUX, "the Bluetooth devices nearby")
        self.closed = False

    def context(self, options, known_tools, data_dir):
        return Context(platform=Platform.LINUX, device=list(self.adverts), subject=self.info, options=options)

    def close(self):
        self.closed = True


@pytest.fixture
def registry(monkeypatch, tmp_path):
    reg = Registry(tuple(RegisteredCheck(c, "built-in") for c in (TrackerCheck, LaptopOnly, MacOnly)), ())
    monkeypatch.setattr("digisafe.core.registry.load_registry", lambda: reg)
    monkeypatch.setattr("digisafe.system.build_context", lambda options=None, known_tools=frozenset(), data_dir=None:
                        make_context(tmp_path, options=options or {}, known_tools=known_tools))  # fmt: skip
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    return reg


def _json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def test_a_check_for_another_subject_runs_only_for_that_subject(registry, tmp_path):
    subject = Surroundings(["AirTag 4F:2A"])
    out = tmp_path / "bt.json"
    code = run_session(subject, SessionOptions(fmt="json", output=out, quiet=True))
    assert code == 1 and subject.closed
    data = _json(out)
    assert [r["check_id"] for r in data["results"]] == ["DS-TEST-210"]  # laptop checks are invisible here
    assert data["results"][0]["findings"][0]["subject"] == "AirTag 4F:2A"
    assert data["subject"] == {"kind": "bluetooth", "platform": "linux",
                               "description": "the Bluetooth devices nearby", "captured_at": None}  # fmt: skip

    with pytest.raises(SystemExit) as done:
        main(["audit", "--format", "json", "--output", str(tmp_path / "laptop.json"), "--fail-on", "never"])
    assert done.value.code == 0
    laptop = _json(tmp_path / "laptop.json")
    ids = {r["check_id"]: r for r in laptop["results"]}
    assert "DS-TEST-210" not in ids and "DS-TEST-210" not in json.dumps(laptop)  # not even "skipped"
    assert ids["DS-TEST-220"]["status"] == "findings"
    assert ids["DS-TEST-230"]["status"] == "not_applicable" and ids["DS-TEST-230"]["reason"] == "runs on macOS"
    assert laptop["subject"]["kind"] == "laptop" and laptop["subject"]["description"] == "this laptop"
    assert laptop["summary"]["not_applicable"] == 1 and laptop["summary"]["skipped"] == 0


def test_naming_a_check_of_another_subject_is_a_clear_usage_error(registry, capsys):
    with pytest.raises(SystemExit) as done:
        main(["audit", "--only", "DS-TEST-210"])
    assert done.value.code == 2
    assert "DS-TEST-210 does not look at this laptop" in capsys.readouterr().err


def test_platform_vocabulary_and_aliases(tmp_path):
    assert Platform.parse("darwin") is Platform.MACOS and Platform.parse(" Mac ") is Platform.MACOS
    assert Platform.parse("iphone") is Platform.IOS and Platform.parse("win32") is Platform.WINDOWS
    assert Platform.MACOS == "macos" and json.dumps({"p": Platform.MACOS}) == '{"p": "macos"}'
    assert [p.label for p in Platform] == ["Windows", "macOS", "Linux", "Android", "iOS"]
    with pytest.raises(ValueError, match="choose from windows, macos, linux, android, ios"):
        Platform.parse("beos")
    assert make_context(tmp_path, platform="darwin").platform is Platform.MACOS  # accepted on input


def test_subject_info_round_trips():
    info = SubjectInfo(SubjectKind.LISTING, Platform.WINDOWS, "process list from t.csv", "2026-12-01T14:02:00Z",
                       {"file": "t.csv", "format": "tasklist", "sha256": "ab" * 32})  # fmt: skip
    assert SubjectInfo.from_dict(json.loads(json.dumps(info.to_dict()))) == info
    assert SubjectInfo.from_dict({"kind": "laptop", "platform": "darwin"}).platform is Platform.MACOS
    with pytest.raises(ValueError):
        SubjectInfo.from_dict({"kind": "toaster"})


def test_cached_runs_one_collection_per_audit_and_never_caches_a_failure(tmp_path):
    ctx = make_context(tmp_path)
    calls = []

    def collect():
        calls.append(1)
        return ["one reading"]

    assert ctx.cached("autostart", collect) is ctx.cached("autostart", collect)
    assert len(calls) == 1

    def broken():
        calls.append(1)
        raise OSError("no rights")

    for _ in range(2):
        with pytest.raises(OSError):
            ctx.cached("sockets", broken)
    assert len(calls) == 3
    assert make_context(tmp_path).cached("autostart", collect) == ["one reading"] and len(calls) == 4


def test_a_report_of_the_previous_release_rerenders(capsys):
    old = DATA / "report-1.0.json"
    assert _json(old)["schema_version"] == "1.0"  # written by the 1.0 code (git 3480d03), unchanged
    for fmt, expected in (("markdown", "only for other operating systems, not listed: `DS-MAC-010`"),
                          ("html", "DS-MAC-010"),
                          ("table", "Not for this operating system (1): DS-MAC-010")):  # fmt: skip
        with pytest.raises(SystemExit) as done:
            main(["report", str(old), "--format", fmt])
        out = capsys.readouterr().out
        assert done.value.code == 0 and expected in out and "Covert stalkerware is running" in out, fmt
    report = Report.from_dict(_json(old))
    mac = next(r for r in report.results if r.check_id == "DS-MAC-010")
    assert mac.status is Status.NOT_APPLICABLE and mac.reason == "runs on macOS"
    assert report.subject == SubjectInfo(SubjectKind.LAPTOP, Platform.WINDOWS, "this laptop")
    again = report.to_dict()
    assert again["schema_version"] == "1.0" and again["subject"]["kind"] == "laptop"  # version is what was read
    assert len(report.findings) == 5 and report.highest_severity() is Severity.CRITICAL


def test_a_report_of_an_unknown_major_version_is_refused(tmp_path, capsys):
    data = _json(DATA / "report-1.0.json")
    data["schema_version"] = "3.0"
    path = tmp_path / "future.json"
    path.write_text(json.dumps(data))
    with pytest.raises(SystemExit) as done:
        main(["report", str(path)])
    assert done.value.code == 2 and "schema 3.0 is not supported" in capsys.readouterr().err
