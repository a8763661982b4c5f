"""Matcher details: path spellings, autostart command lines, services, domains, signers, the
report description, and that the database is compiled once and cached."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digisafe.indicators import describe_for_report, load_database
from digisafe.indicators.database import STALE_AFTER_DAYS, build_database, load_builtin
from digisafe.indicators.schema import product_from_dict

TOOL = {
    "id": "tool",
    "name": "Tool Monitor",
    "category": "monitoring",
    "presentation": "covert",
    "verified": "verified",
    "windows": {
        "processes": ["toolmon.exe", "toolupd_*.exe"],
        "paths": ["%ProgramFiles%\\Tool Monitor\\", "%APPDATA%\\ToolMon\\<version>\\core.exe"],
        "services": ["ToolMonSvc"],
        "autostart": ["ToolMon Startup"],
        "signers": ["Tool Monitor Ltd"],
    },
    "darwin": {"paths": ["~/Library/Application Support/ToolMon/"], "bundle_ids": ["com.toolmon.agent"]},
    "linux": {"processes": ["toolmon-daemon-helper"], "paths": ["~/.config/toolmon/"], "services": ["toolmon"]},
    "domains": ["*.toolmon.test"],
    "websites": ["toolmon-shop.test"],
    "ips": ["192.0.2.44"],
    "sources": [{"name": "vendor", "url": "https://toolmon.test/docs"}],
}


@pytest.fixture(scope="module")
def db():
    meta, _builtin, system_programs = load_builtin()
    return build_database(meta, [product_from_dict(TOOL)], system_programs)


@pytest.mark.parametrize(
    "exe",
    [
        "C:\\Program Files\\Tool Monitor\\x.exe",
        "D:\\Program Files (x86)\\Tool Monitor\\bin\\x.exe",
        "c:/program files/tool monitor/x.exe",
        "\\\\?\\C:\\Program Files\\Tool Monitor\\x.exe",
        "C:\\Users\\bob\\AppData\\Roaming\\ToolMon\\5.1.2\\core.exe",
        "\\Device\\HarddiskVolume3\\Program Files\\Tool Monitor\\x.exe",
    ],
)
def test_windows_path_spellings(db, exe):
    assert [m.signal for m in db.matcher("windows").process("x.exe", exe)] == ["install-path"]


def test_folders_are_qualified(db):
    windows = db.matcher("windows")
    assert windows.path("C:\\Program Files\\Tool Monitor Extra\\x.exe") == []
    assert windows.path("C:\\Users\\bob\\AppData\\Roaming\\ToolMon\\5.1.2\\other.exe") == []


def test_home_folders_and_deleted_linux_programs(db):
    assert db.matcher("darwin").path("/Users/bob/Library/Application Support/ToolMon/agent")
    assert db.matcher("linux").path("/home/bob/.config/toolmon/run (deleted)")
    assert db.matcher("linux").path("/home/bob/.config/other/run") == []


def test_globs_names_and_truncated_linux_names(db):
    windows = db.matcher("windows")
    assert windows.process("TOOLUPD_2024.exe", None) and windows.process("toolupd.exe", None) == []
    assert db.matcher("linux").process("toolmon-daemon-", None)  # ps shows 15 characters


def test_autostart_entries_and_command_lines(db):
    windows = db.matcher("windows")
    assert windows.autostart("ToolMon Startup")
    hits = windows.autostart('"C:\\Program Files\\Tool Monitor\\toolmon.exe" /background')
    assert {m.signal for m in hits} == {"autostart"} and {m.pattern for m in hits} >= {"toolmon.exe"}
    assert windows.autostart("%APPDATA%\\ToolMon\\7.0\\core.exe -q")
    assert windows.autostart('"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe" --no-startup-window') == []
    assert db.matcher("linux").autostart("Exec=/home/bob/.config/toolmon/agent --hidden")


def test_services_signers_bundle_ids_and_domains(db):
    assert db.matcher("windows").service("toolmonsvc")
    assert db.matcher("linux").service("toolmon.service")
    assert db.matcher("windows").signer("TOOL MONITOR LTD")
    assert db.matcher("darwin").bundle_id("com.toolmon.agent")
    hits = db.matcher("linux").domain("upload.eu.toolmon.test.")
    assert [(m.signal, m.kind) for m in hits] == [("domain", "agent")]
    assert [m.kind for m in db.matcher("linux").domain("toolmon-shop.test")] == ["website"]
    assert db.matcher("linux").domain("192.0.2.44") and db.matcher("linux").domain("192.0.2.45") == []
    assert db.matcher("linux").domain("nottoolmon.test") == []


def test_matchers_and_database_are_cached():
    first = load_database()
    assert load_database() is first
    assert first.matcher("windows") is first.matcher("windows")


def test_report_description_warns_when_old():
    db = load_database()
    built = dt.datetime.fromisoformat(db.built).replace(tzinfo=dt.timezone.utc)
    fresh = describe_for_report(db, built + dt.timedelta(days=3))
    assert fresh["age_days"] == 3 and "warning" not in fresh and fresh["version"] == db.version
    assert fresh["stale"] is False
    old = describe_for_report(db, (built + dt.timedelta(days=STALE_AFTER_DAYS + 10)).timestamp())
    assert old["age_days"] == STALE_AFTER_DAYS + 10 and "indicators update" in old["warning"] and old["stale"]
    assert fresh["sources"][0]["name"].startswith("digisafe built-in")


@settings(max_examples=200, deadline=None)
@given(
    name=st.text(max_size=60),
    exe=st.none() | st.text(max_size=120),
    platform=st.sampled_from(["windows", "darwin", "linux"]),
)
def test_any_observed_text_is_handled(name, exe, platform):
    matcher = load_database().matcher(platform)
    assert isinstance(matcher.process(name, exe), list)
    reason = matcher.masquerade(name, exe)
    assert reason is None or isinstance(reason, str)
    for text in (name, exe or ""):
        matcher.path(text)
        matcher.autostart(text)
        matcher.service(text)
        matcher.domain(text)
        matcher.signer(text)
        matcher.bundle_id(text)


def test_generic_named_rats_only_in_their_qualified_folders():
    from digisafe.indicators import load_database

    matcher = load_database().matcher("windows")

    def ids(name, exe):
        return {m.product.id for m in matcher.process(name, exe)}

    assert ids("server.exe", "C:\\Users\\bob\\AppData\\Local\\Temp\\server.exe") == {"njrat"}
    assert ids("Client.exe", "C:\\Users\\bob\\AppData\\Roaming\\Client.exe") == {"asyncrat"}
    for name in ("server.exe", "Client.exe"):
        assert ids(name, None) == set()
        assert ids(name, f"C:\\Program Files\\Vendor\\{name}") == set()
        assert ids(name, f"C:\\Users\\bob\\AppData\\Roaming\\Vendor\\{name}") == set()
        assert ids(name, f"C:\\Users\\bob\\AppData\\Local\\Temp\\setup-1234\\{name}") == set()
    run_value = '"C:\\Users\\bob\\AppData\\Local\\Temp\\server.exe" ..'
    assert {m.product.id for m in matcher.autostart(run_value)} == {"njrat"}
