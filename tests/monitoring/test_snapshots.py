"""Collect, then judge: each monitoring check judged from a snapshot built by hand, with no Context;
and one reading of the autostart places and the running programs shared by DS-PROC-010/020."""

from __future__ import annotations

import pytest
from digisafe.checks.input_capture import InputCaptureCheck
from digisafe.checks.monitoring_installed import MonitoringInstalledCheck
from digisafe.checks.monitoring_processes import MonitoringProcessesCheck

from digisafe.core.context import ProcessInfo
from digisafe.core.model import Confidence, Finding, Limitation, Severity
from digisafe.core.platforms import Platform
from digisafe.monitoring.autostart import AutostartEntry
from digisafe.monitoring.autostart_sources import AutostartScan
from digisafe.monitoring.collect import Indicators, InstalledSnapshot, ProcessSnapshot
from digisafe.monitoring.keyboards import KeyboardReader, KeyboardSnapshot
from tests.fakes import FakeProcesses
from tests.monitoring.samples import p, windows_benign

SPC = "C:\\ProgramData\\spc\\"
TV = "C:\\Program Files\\TeamViewer\\TeamViewer.exe"


def split(items):
    items = list(items)
    return [i for i in items if isinstance(i, Finding)], [i.message for i in items if isinstance(i, Limitation)]


def test_processes_judged_from_a_snapshot_with_autostart_and_fingerprints():
    found = Indicators.for_platform("windows")
    service = AutostartEntry("service", "HKLM\\SYSTEM\\CurrentControlSet\\Services\\TeamViewer", "TeamViewer",
                             f'"{TV}"', TV, display_name="TeamViewer")  # fmt: skip
    hashed = []

    def fingerprint(proc):
        hashed.append(proc.pid)
        return {"sha256": "ab" * 32, "size": 10}

    snapshot = ProcessSnapshot(
        Platform.WINDOWS,
        (*windows_benign(), p(900, "csrss.exe", SPC + "csrss.exe"), p(901, "TeamViewer.exe", TV)),
        is_admin=True,
        autostart=AutostartScan([service], ["C:\\Windows\\System32\\Tasks"]),
        fingerprint=fingerprint,
    )
    findings, limits = split(MonitoringProcessesCheck().judge(snapshot, found))
    by_pid = {f.evidence["pid"]: f for f in findings}
    assert set(by_pid) == {900, 901} and sorted(hashed) == [900, 901]  # only what a finding names is read
    assert by_pid[900].severity is Severity.CRITICAL and by_pid[900].evidence["sha256"] == "ab" * 32
    assert "service" in by_pid[901].evidence["signals"] and by_pid[901].confidence is Confidence.HIGH
    assert limits == ["1 autostart location(s) could not be read (needs administrator rights), "
                      "for example C:\\Windows\\System32\\Tasks"]  # fmt: skip


def test_processes_of_a_captured_listing_say_names_only():
    found = Indicators.for_platform("windows", frozenset({"teamviewer"}))
    snapshot = ProcessSnapshot(Platform.WINDOWS, (ProcessInfo(1, "TeamViewer.exe"), ProcessInfo(2, "explorer.exe")),
                               captured="tasklist file t.csv")  # fmt: skip
    (finding,), limits = split(MonitoringProcessesCheck().judge(snapshot, found))
    assert finding.severity is Severity.INFO and "marked as known" in finding.title
    assert any("t.csv" in m and "matched by name only" in m for m in limits)


def test_processes_on_a_mac_match_the_bundle_id():
    found = Indicators.for_platform("macos")
    exe = "/Applications/Team Helper.app/Contents/MacOS/helper"
    snapshot = ProcessSnapshot(Platform.MACOS, (p(5, "helper", exe),), is_admin=True,
                               bundle_ids={"/Applications/Team Helper.app": "com.teamviewer.TeamViewer"})  # fmt: skip
    (finding,), _ = split(MonitoringProcessesCheck().judge(snapshot, found))
    assert finding.evidence["product"] == "teamviewer" and "bundle-id" in finding.evidence["signals"]


def test_installed_judged_from_a_snapshot():
    found = Indicators.for_platform("windows")
    temp = "C:\\Users\\sam\\AppData\\Local\\Temp\\upd.exe"
    run_key = AutostartEntry("run-key", r"HKCU\Software\Microsoft\Windows\CurrentVersion\Run", "updater", temp, temp)
    snapshot = InstalledSnapshot(
        Platform.WINDOWS,
        AutostartScan([run_key]),
        {"sentrypc": [("C:\\ProgramData\\spc\\", "C:\\ProgramData\\spc")]},
        registry_missing=True,
    )
    findings, limits = split(MonitoringInstalledCheck().judge(snapshot, found))
    spc = next(f for f in findings if f.evidence.get("product") == "sentrypc")
    assert spc.evidence["install_paths"] == ["C:\\ProgramData\\spc"] and spc.severity >= Severity.HIGH
    temp = next(f for f in findings if "temporary" in f.title)
    assert temp.severity is Severity.MEDIUM and temp.evidence["name"] == "updater"
    assert limits == ["the Windows registry could not be read: Run keys and services were not checked"]
    running = InstalledSnapshot(Platform.WINDOWS, AutostartScan(), snapshot.install_paths,
                                processes=(p(7, "csrss.exe", SPC + "csrss.exe"),))  # fmt: skip
    assert split(MonitoringInstalledCheck().judge(running, found)) == ([], [])  # DS-PROC-010 reports it


def test_keyboards_judged_from_a_snapshot():
    found = Indicators.for_platform("linux")
    snapshot = KeyboardSnapshot(
        keyboards={"event3": "AT Translated Set 2 keyboard"},
        readers=(KeyboardReader(900, ("event3",), p(900, "logkeys", "/usr/bin/logkeys", "root")),
                 KeyboardReader(901, ("event3",), None, "mystery"),
                 KeyboardReader(902, ("event3",), p(902, "Xorg", "/usr/lib/xorg/Xorg", "root"))),
        inspected=40, denied=2, input_members=("sam",), user="sam",
        session={"XDG_SESSION_TYPE": "x11", "DISPLAY": ":0", "WAYLAND_DISPLAY": None},
    )  # fmt: skip
    findings, limits = split(InputCaptureCheck().judge(snapshot, found))
    by_pid = {f.evidence.get("pid"): f for f in findings}
    assert by_pid[900].evidence["product"] == "logkeys" and 902 not in by_pid  # the display server is expected
    assert by_pid[901].severity is Severity.MEDIUM and by_pid[901].evidence["name"] == "mystery"
    assert {f.severity for f in findings if "input group" in f.title} == {Severity.MEDIUM}
    assert any("X11" in f.title and f.severity is Severity.INFO for f in findings)
    assert limits == ["the open files of 2 programs (other users', including root's) could not be inspected: "
                      "run with sudo to see whether any of them reads the keyboard"]  # fmt: skip
    quiet = KeyboardSnapshot(keyboards=None, input_members=None, session={"XDG_SESSION_TYPE": "wayland"})
    findings, limits = split(InputCaptureCheck().judge(quiet, None))
    assert findings == [] and len(limits) == 3


class CountingProcesses(FakeProcesses):
    def __init__(self, rows):
        super().__init__(rows)
        self.calls = 0

    def processes(self):
        self.calls += 1
        return super().processes()


def test_proc_010_and_020_share_one_reading_of_autostart_and_processes(make_ctx, monkeypatch):
    from digisafe.core.registry import RegisteredCheck, Registry
    from digisafe.core.runner import run_audit
    from digisafe.monitoring import autostart_sources

    reads = []
    real = autostart_sources.collect_autostart

    def counting(ctx):
        reads.append(ctx)
        return real(ctx)

    monkeypatch.setattr(autostart_sources, "collect_autostart", counting)
    procs = CountingProcesses(windows_benign())
    ctx = make_ctx(platform="linux", processes=procs)
    checks = [RegisteredCheck(c, "built-in") for c in (MonitoringProcessesCheck, MonitoringInstalledCheck)]
    report = run_audit(Registry(tuple(checks), ()), checks, ctx, platform={"system": "linux"})
    assert [r.status.value for r in report.results] == ["pass", "pass"]
    assert len(reads) == 1 and procs.calls == 1


def test_privacy_grants_judged_from_a_snapshot():
    from digisafe.checks.macos_tcc import MacPrivacyGrantsCheck

    from digisafe.core.check import CheckSkipped
    from digisafe.monitoring.tcc import TccGrant, TccSnapshot

    user_db = "~/Library/Application Support/com.apple.TCC/TCC.db"
    grants = (
        TccGrant("kTCCServiceListenEvent", "com.teamviewer.TeamViewer", 0, True, 2, 1_700_000_000, user_db),
        TccGrant("kTCCServiceScreenCapture", "/Users/Shared/.x/agent", 1, True, 2, None, user_db),
        TccGrant("kTCCServiceScreenCapture", "us.zoom.xos", 0, True, 2, None, user_db),
        TccGrant("kTCCServiceListenEvent", "com.apple.Terminal", 0, True, 2, None, user_db),
        TccGrant("kTCCServiceListenEvent", "com.denied.app", 0, False, 2, None, user_db),
    )
    snapshot = TccSnapshot(grants, ("the system-wide database (needs Full Disk Access)",))
    findings, limits = split(MacPrivacyGrantsCheck().judge(snapshot, Indicators.for_platform("macos")))
    by_client = {f.subject: f for f in findings}
    assert set(by_client) == {"com.teamviewer.TeamViewer", "/Users/Shared/.x/agent", "us.zoom.xos"}
    assert by_client["com.teamviewer.TeamViewer"].evidence["product"] == "teamviewer"
    assert by_client["/Users/Shared/.x/agent"].severity is Severity.LOW  # unknown, screen: worth a look
    assert by_client["us.zoom.xos"].severity is Severity.INFO  # an everyday app
    assert len(limits) == 1 and limits[0].startswith("could not read the system-wide database")
    with pytest.raises(CheckSkipped):
        list(MacPrivacyGrantsCheck().judge(TccSnapshot((), ("a", "b")), None))
