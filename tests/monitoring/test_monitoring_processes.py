from __future__ import annotations

import hashlib
import os

import pytest
from digisafe.checks.monitoring_processes import MonitoringProcessesCheck

from digisafe.core.check import SAFETY_CAUTION
from digisafe.core.context import ProcessInfo
from digisafe.core.model import Confidence, Severity
from tests.fakes import FakeProcesses, captured_listing
from tests.monitoring.conftest import run_check
from tests.monitoring.samples import darwin_benign, linux_benign, p, windows_benign

SPC = "C:\\ProgramData\\spc\\"


def ctx_with(make_ctx, platform, rows, **kw):
    return make_ctx(platform=platform, processes=FakeProcesses(rows), **kw)


@pytest.mark.parametrize(
    ("platform", "rows"), [("windows", windows_benign()), ("darwin", darwin_benign()), ("linux", linux_benign())]
)
def test_no_false_alarms_on_ordinary_systems(make_ctx, platform, rows):
    ctx = ctx_with(make_ctx, platform, rows)
    findings, limits = run_check(MonitoringProcessesCheck, ctx)
    assert findings == [], [f.title for f in findings]
    assert ctx.sources["indicators"]["version"]
    assert not any("could not be fully inspected" in m for m in limits)


def test_sentrypc_disguised_as_csrss_is_high_with_full_evidence(make_ctx):
    rows = [*windows_benign(), p(7712, "csrss.exe", SPC + "csrss.exe", "LAPTOP\\sam", "-run")]
    ctx = ctx_with(make_ctx, "windows", rows)
    exe = ctx.files.path("/C/ProgramData/spc/csrss.exe")
    exe.parent.mkdir(parents=True)
    exe.write_bytes(b"MZ fake sentrypc agent")
    (finding,) = run_check(MonitoringProcessesCheck, ctx)[0]
    assert finding.severity is Severity.CRITICAL and finding.confidence is Confidence.HIGH
    assert "SentryPC" in finding.title and "disguised" in finding.detail
    ev = finding.evidence
    assert ev["sha256"] == hashlib.sha256(b"MZ fake sentrypc agent").hexdigest()
    assert ev["pid"] == 7712 and ev["ppid"] == 1 and ev["user"] == "LAPTOP\\sam"
    assert ev["started"] == "2023-11-14T22:13:20Z" and ev["cmdline"].endswith("-run")
    assert ev["exe"] == SPC + "csrss.exe" and ev["product"] == "sentrypc" and "install-path" in ev["signals"]
    assert ev["indicator_version"] == ctx.sources["indicators"]["version"]
    assert SAFETY_CAUTION in finding.advice


def test_system_name_in_wrong_folder_without_product_is_flagged(make_ctx):
    rows = [p(66, "svchost.exe", "C:\\Users\\sam\\AppData\\Roaming\\svchost.exe")]
    (finding,) = run_check(MonitoringProcessesCheck, ctx_with(make_ctx, "windows", rows))[0]
    assert finding.severity is Severity.HIGH and "disguised" in finding.title
    assert "C:\\Windows\\System32" in finding.evidence["masquerade"]


def test_remote_access_is_dual_use_and_below_stalkerware(make_ctx):
    rows = [
        p(10, "TeamViewer_Service.exe", "C:\\Program Files\\TeamViewer\\TeamViewer_Service.exe", "SYSTEM"),
        p(11, "TeamViewer_Service.exe", "C:\\Program Files\\TeamViewer\\TeamViewer_Service.exe", "SYSTEM"),
        p(12, "csrss.exe", SPC + "csrss.exe"),
    ]
    findings, _ = run_check(MonitoringProcessesCheck, ctx_with(make_ctx, "windows", rows))
    tv = [f for f in findings if f.evidence["product"] == "teamviewer"]
    spc = [f for f in findings if f.evidence["product"] == "sentrypc"]
    assert len(tv) == 1 and tv[0].evidence["instance_count"] == 2  # one finding per program file
    assert "If you did not install this, someone may be able to see or control this laptop" in tv[0].detail
    assert tv[0].severity < spc[0].severity
    assert tv[0].severity is Severity.MEDIUM


@pytest.mark.parametrize("known", ["teamviewer", "TeamViewer", "team viewer"])
def test_known_and_consented_tool_drops_to_info(make_ctx, known):
    rows = [p(10, "TeamViewer.exe", "C:\\Program Files\\TeamViewer\\TeamViewer.exe")]
    ctx = ctx_with(make_ctx, "windows", rows, known_tools=frozenset({known.lower()}))
    (finding,) = run_check(MonitoringProcessesCheck, ctx)[0]
    assert finding.severity is Severity.INFO and "known" in finding.title


def test_unverified_indicator_gives_lower_severity_and_confidence(make_ctx, custom_db):
    custom_db(
        [
            {"id": "kl-unverified", "name": "Old Keylogger", "category": "keylogger", "presentation": "covert",
             "verified": "unverified", "windows": {"processes": ["oldkl.exe"]}},
            {"id": "kl-verified", "name": "Known Keylogger", "category": "keylogger", "presentation": "covert",
             "verified": "verified", "windows": {"processes": ["knownkl.exe"]}},
        ]
    )  # fmt: skip
    rows = [p(1, "oldkl.exe", "C:\\x\\oldkl.exe"), p(2, "knownkl.exe", "C:\\x\\knownkl.exe")]
    findings, _ = run_check(MonitoringProcessesCheck, ctx_with(make_ctx, "windows", rows))
    by = {f.evidence["product"]: f for f in findings}
    assert by["kl-unverified"].severity is Severity.MEDIUM and by["kl-unverified"].confidence is Confidence.LOW
    assert "weak match" in by["kl-unverified"].detail
    assert by["kl-verified"].severity is Severity.HIGH and by["kl-verified"].confidence is Confidence.MEDIUM


def test_confidence_grows_with_autostart_and_service_on_linux(make_ctx):
    exe = "/opt/teamviewer/tv_bin/teamviewerd"
    plain = ctx_with(make_ctx, "linux", [p(5, "teamviewerd", None, "root", "-d")])
    (weak,) = run_check(MonitoringProcessesCheck, plain)[0]
    ctx = ctx_with(make_ctx, "linux", [p(5, "teamviewerd", exe, "root", "-d")])
    unit = ctx.files.path("/etc/systemd/system/teamviewerd.service")
    unit.parent.mkdir(parents=True)
    unit.write_text(f"[Service]\nExecStart={exe} -d\n")
    (strong,) = run_check(MonitoringProcessesCheck, ctx)[0]
    assert set(strong.evidence["signals"]) >= {"process-name", "install-path", "service"}
    assert weak.evidence["signals"] == ["process-name"]
    assert strong.confidence > Confidence.LOW and strong.confidence >= weak.confidence


def test_hidden_program_files_are_a_limitation_not_silence(make_ctx):
    rows = [*linux_benign(), ProcessInfo(900, "someone", None, ("/usr/bin/someone",), None)]
    _, limits = run_check(MonitoringProcessesCheck, ctx_with(make_ctx, "linux", rows))
    assert any("1 of" in m and "administrator" in m for m in limits)


def test_captured_listing_without_paths_says_names_only_and_does_not_hash(make_ctx):
    rows = [ProcessInfo(1, "TeamViewer.exe"), ProcessInfo(2, "explorer.exe")]
    ctx = ctx_with(make_ctx, "windows", rows, subject=captured_listing("windows", "tasklist", "t.csv"))
    findings, limits = run_check(MonitoringProcessesCheck, ctx)
    assert [f.evidence["product"] for f in findings] == ["teamviewer"]
    assert any("matched by name only" in m and "t.csv" in m for m in limits)
    ctx = ctx_with(make_ctx, "windows", [p(3, "TeamViewer.exe", "C:\\Program Files\\TeamViewer\\TeamViewer.exe")],
                   subject=captured_listing("windows", "cim-csv", "c.csv"))  # fmt: skip
    (finding,) = run_check(MonitoringProcessesCheck, ctx)[0]
    assert "sha256" not in finding.evidence and "another machine" in finding.evidence["hash_note"]


def test_stale_database_is_named_in_the_report(make_ctx, custom_db):
    custom_db([], built="2020-01-01")
    ctx = ctx_with(make_ctx, "linux", linux_benign())
    _, limits = run_check(MonitoringProcessesCheck, ctx)
    assert any("days old" in m for m in limits) and "warning" in ctx.sources["indicators"]


def test_hash_is_cached_by_path_size_and_mtime_and_capped(make_ctx, tmp_path):
    from digisafe.monitoring.judgement import file_fingerprint

    target = tmp_path / "prog"
    target.write_bytes(b"a" * 100)
    first = file_fingerprint(target)
    assert first["sha256"] == hashlib.sha256(b"a" * 100).hexdigest() and first["size"] == 100
    target.write_bytes(b"b" * 100)
    os.utime(target, ns=(1, 2_000_000_000))  # new mtime: the cache must not serve the old hash
    assert file_fingerprint(target)["sha256"] == hashlib.sha256(b"b" * 100).hexdigest()
    capped = file_fingerprint(target, max_bytes=10)
    assert capped["sha256"] is None and "larger than" in capped["hash_note"]
    assert file_fingerprint(tmp_path / "missing")["sha256"] is None


def test_macos_app_bundle_path_matches(make_ctx, custom_db):
    custom_db(
        [{"id": "mac-mon", "name": "Mac Monitor", "category": "monitoring", "presentation": "covert",
          "verified": "vendor-docs", "darwin": {"paths": ["/Applications/Mac Monitor.app/"]}}]
    )  # fmt: skip
    exe = "/Applications/Mac Monitor.app/Contents/MacOS/agent"
    rows = [*darwin_benign(), p(990, "agent", exe)]
    (finding,) = run_check(MonitoringProcessesCheck, ctx_with(make_ctx, "darwin", rows))[0]
    assert finding.evidence["product"] == "mac-mon" and finding.evidence["signals"] == ["install-path"]
    assert finding.severity is Severity.HIGH and finding.confidence is Confidence.HIGH


def test_truncated_linux_name_is_matched_through_argv0(make_ctx, custom_db):
    custom_db(
        [{"id": "long-agent", "name": "Long Agent", "category": "monitoring", "presentation": "covert",
          "verified": "vendor-docs", "linux": {"processes": ["longmonitoragentd"]}}]
    )  # fmt: skip
    rows = [ProcessInfo(77, "longmonitoragen", None, ("/usr/sbin/longmonitoragentd", "-d"), "root")]
    (finding,) = run_check(MonitoringProcessesCheck, ctx_with(make_ctx, "linux", rows))[0]
    assert finding.evidence["product"] == "long-agent" and finding.evidence["signals"] == ["process-name"]


def test_argv0_name_of_a_windows_command_line_string():
    from digisafe.checks.monitoring_processes import argv0_name

    proc = ProcessInfo(1, "x", None, ('"C:\\Program Files\\A B\\agent.exe" --run now',))
    assert argv0_name(proc, "windows") == "agent.exe"
    assert argv0_name(ProcessInfo(2, "y", None, ("/usr/bin/y", "-d")), "linux") == "y"
    assert argv0_name(ProcessInfo(3, "z"), "linux") == ""


def test_hidden_count_ignores_kernel_tasks_and_pseudo_processes():
    from digisafe.checks.monitoring_processes import hidden_count

    live = [
        ProcessInfo(0, "System Idle Process", None, (), None),  # Windows pseudo-process
        ProcessInfo(612, "csrss.exe", None, (), None),  # hidden from a non-administrator
        ProcessInfo(2, "kthreadd", None, (), "root"),  # Linux kernel thread
        ProcessInfo(900, "agent", None, ("/opt/agent",), "root"),  # program file hidden
        ProcessInfo(901, "bash", "/usr/bin/bash", ("bash",), "sam"),
    ]
    assert hidden_count(live, captured=False) == 2
    ps_rows = [ProcessInfo(2, "kthreadd", None, ("[kthreadd]",), "root"), ProcessInfo(3, "bash", None, ("-bash",))]
    assert hidden_count(ps_rows, captured=True) == 1


def test_macos_bundle_id_from_the_apps_info_plist_adds_a_signal(make_ctx, custom_db):
    import plistlib

    custom_db(
        [{"id": "mac-mon2", "name": "Mac Monitor Two", "category": "monitoring", "presentation": "covert",
          "verified": "vendor-docs", "darwin": {"processes": ["mmagent"], "bundle_ids": ["com.example.mmagent"]}}]
    )  # fmt: skip
    exe = "/Library/Application Support/.mm/Helper.app/Contents/MacOS/mmagent"
    ctx = ctx_with(make_ctx, "darwin", [*darwin_benign(), p(991, "mmagent", exe, "root")])
    info = ctx.files.path("/Library/Application Support/.mm/Helper.app/Contents/Info.plist")
    info.parent.mkdir(parents=True)
    info.write_bytes(plistlib.dumps({"CFBundleIdentifier": "com.example.mmagent", "CFBundleName": "Helper"}))
    safari = ctx.files.path("/Applications/Safari.app/Contents/Info.plist")
    safari.parent.mkdir(parents=True)
    safari.write_bytes(plistlib.dumps({"CFBundleIdentifier": "com.apple.Safari"}, fmt=plistlib.FMT_BINARY))
    (finding,) = run_check(MonitoringProcessesCheck, ctx)[0]
    assert finding.evidence["signals"] == ["bundle-id", "process-name"]
    assert finding.confidence is Confidence.HIGH
