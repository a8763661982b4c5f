from __future__ import annotations

import pytest
from digisafe.checks.linux_location import LinuxLocationCheck

from digisafe.core.check import CheckSkipped
from digisafe.core.context import CommandResult
from digisafe.core.model import Finding, Limitation, Severity
from digisafe.settings.linux import parse_flatpak_location_permissions, parse_geoclue_config, parse_gsettings_value
from tests.fakes import FakeCommands

NO_SCHEMA = CommandResult(1, "", "No such schema “org.gnome.system.location”\n")

# The upstream file's shape: sources, the agent whitelist and the built-in exceptions.
GEOCLUE_CONF = """\
# Configuration file for Geoclue
[agent]
# Whitelist of desktop IDs (without .desktop part) of all agents we recognise
whitelist=geoclue-demo-agent;gnome-shell;io.elementary.desktop.agent-geoclue2

[wifi]
enable=true
url=https://location.services.mozilla.com/v1/geolocate?key=geoclue

[gnome-datetime-panel]
allowed=true
system=true
users=

[org.gnome.Shell]
allowed=true
system=true
users=

[firefox]
allowed=true
system=false
users=

[sm.puri.Phosh]
allowed=true
system=true
users=
"""


def gsettings(enabled: str = "true", accuracy: str = "'exact'") -> dict:
    return {
        ("gsettings", "get", "org.gnome.system.location", "enabled"): enabled + "\n",
        ("gsettings", "get", "org.gnome.system.location", "max-accuracy-level"): accuracy + "\n",
    }


def write(path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def run(ctx) -> tuple[list[Finding], list[str]]:
    items = list(LinuxLocationCheck().run(ctx))
    return ([i for i in items if isinstance(i, Finding)], [i.message for i in items if isinstance(i, Limitation)])


def test_gsettings_values():
    assert parse_gsettings_value("true\n") is True
    assert parse_gsettings_value("'street'") == "street"
    assert parse_gsettings_value("uint32 7") == 7
    assert parse_gsettings_value("") is None


def test_location_on_with_exact_accuracy_is_reported(make_ctx):
    ctx = make_ctx(commands=FakeCommands(gsettings("true", "'exact'")))
    findings, _ = run(ctx)
    [f] = findings
    assert f.severity is Severity.LOW
    assert f.evidence["max-accuracy-level"] == "exact"
    assert f.guidance == "location-sharing"
    assert "ISAC" in f.advice


def test_location_on_at_city_level_is_only_info(make_ctx):
    findings, _ = run(make_ctx(commands=FakeCommands(gsettings("true", "'city'"))))
    assert [f.severity for f in findings] == [Severity.INFO]


def test_location_off_is_not_reported(make_ctx):
    findings, limits = run(make_ctx(commands=FakeCommands(gsettings("false"))))
    assert findings == [] and limits == []


def test_nothing_readable_is_skipped_not_clean(make_ctx):
    ctx = make_ctx(commands=FakeCommands({}))
    with pytest.raises(CheckSkipped):
        run(ctx)


def test_schema_missing_is_a_limitation(make_ctx, tmp_path):
    write(tmp_path / "root/etc/geoclue/geoclue.conf", GEOCLUE_CONF)
    ctx = make_ctx(commands=FakeCommands({("gsettings", "get", "org.gnome.system.location", "enabled"): NO_SCHEMA}))
    findings, limits = run(ctx)
    assert findings == []
    assert any("No such schema" in m for m in limits)


def test_geoclue_defaults_are_quiet_but_added_apps_and_agents_are_reported(make_ctx, tmp_path):
    write(tmp_path / "root/etc/geoclue/geoclue.conf", GEOCLUE_CONF)
    write(tmp_path / "root/etc/geoclue/conf.d/90-extra.conf",
          "[agent]\nwhitelist=gnome-shell;com.example.TrackerAgent\n\n"
          "[com.example.Spy]\nallowed=true\nsystem=true\nusers=1000\n\n[redshift]\nallowed=false\n")
    findings, limits = run(make_ctx(commands=FakeCommands(gsettings("false"))))
    assert limits == []
    subjects = sorted(f.subject for f in findings)
    assert subjects == ["GeoClue [agent] whitelist", "GeoClue [com.example.Spy] allowed=true"]
    spy = next(f for f in findings if "Spy" in f.subject)
    assert spy.severity is Severity.MEDIUM
    assert spy.evidence["users"] == "1000" and spy.evidence["system"] is True
    agent = next(f for f in findings if "agent" in f.subject)
    assert agent.evidence["unexpected"] == ["com.example.TrackerAgent"]


def test_dropin_can_revoke_an_app(tmp_path):
    config = parse_geoclue_config([("a", "[com.x]\nallowed=true\n"), ("b", "[com.x]\nallowed=false\n")])
    assert config.allowed_without_asking == []


def test_damaged_geoclue_file_is_a_limitation(make_ctx, tmp_path):
    write(tmp_path / "root/etc/geoclue/geoclue.conf", "allowed=true\n[[[")
    findings, limits = run(make_ctx(commands=FakeCommands(gsettings("false"))))
    assert findings == []
    assert any("could not be understood" in m for m in limits)


def test_unreadable_geoclue_dropin_is_a_limitation(make_ctx, tmp_path):
    # A folder named like a drop-in cannot be read as a file (works even when tests run as root).
    (tmp_path / "root/etc/geoclue/conf.d/10-x.conf").mkdir(parents=True)
    findings, limits = run(make_ctx(commands=FakeCommands(gsettings("false"))))
    assert findings == []
    assert any("10-x.conf" in m and "folder" in m for m in limits)


FLATPAK_PIPED = ("location\tlocation\torg.gnome.Maps\tEXACT, 1700000000\t0x00\n"
                 "location\tlocation\tcom.example.Tracker\tSTREET,1710000000\t0x00\n"
                 "location\tlocation\torg.gnome.Weather\tNONE, 1690000000\t0x00\n")
FLATPAK_TTY = ("Table    Object   App             Permissions        Data\n"
               "location location org.gnome.Maps  EXACT, 1700000000  0x00\n")


def test_flatpak_output_both_layouts():
    piped = parse_flatpak_location_permissions(FLATPAK_PIPED)
    assert [(g.app_id, g.accuracy, g.last_used) for g in piped] == [
        ("org.gnome.Maps", "exact", 1700000000), ("com.example.Tracker", "street", 1710000000),
        ("org.gnome.Weather", "none", 1690000000)]
    tty = parse_flatpak_location_permissions(FLATPAK_TTY)
    assert [(g.app_id, g.accuracy) for g in tty] == [("org.gnome.Maps", "exact")]


def test_flatpak_grants_reported_with_times(make_ctx, tmp_path):
    write(tmp_path / "home/.local/share/flatpak/db/location", "GVariant\0binary")
    outputs = gsettings("false")
    outputs[("flatpak", "permissions", "location", "location")] = FLATPAK_PIPED
    findings, _ = run(make_ctx(commands=FakeCommands(outputs)))
    apps = {f.evidence["app"]: f for f in findings}
    assert set(apps) == {"org.gnome.Maps", "com.example.Tracker"}  # NONE means denied
    # The portal stores monotonic microseconds, not a date: kept raw, never shown as a date.
    assert apps["org.gnome.Maps"].evidence["last_used_monotonic_us"] == 1700000000
    assert "2023" not in apps["org.gnome.Maps"].detail


def test_unsandboxed_entry_is_reported(make_ctx, tmp_path):
    write(tmp_path / "home/.local/share/flatpak/db/location", "x")
    outputs = gsettings("false")
    outputs[("flatpak", "permissions", "location", "location")] = "location\tlocation\t\tEXACT,0\t0x00\n"
    findings, _ = run(make_ctx(commands=FakeCommands(outputs)))
    [f] = findings
    assert f.severity is Severity.MEDIUM and "outside the app sandbox" in f.title


def test_flatpak_store_without_command_is_a_limitation(make_ctx, tmp_path):
    write(tmp_path / "home/.local/share/flatpak/db/location", "x")
    findings, limits = run(make_ctx(commands=FakeCommands(gsettings("false"))))
    assert findings == []
    assert any("flatpak" in m for m in limits)


def test_flatpak_no_entry_is_clean(make_ctx, tmp_path):
    write(tmp_path / "home/.local/share/flatpak/db/location", "x")
    outputs = gsettings("false")
    outputs[("flatpak", "permissions", "location", "location")] = CommandResult(1, "", "error: No entry for location\n")
    findings, limits = run(make_ctx(commands=FakeCommands(outputs)))
    assert findings == [] and limits == []


def test_flatpak_not_run_when_no_store(make_ctx):
    commands = FakeCommands(gsettings("false"))
    run(make_ctx(commands=commands))
    assert not any(call[0] == "flatpak" for call in commands.calls)


def test_memory_backend_is_not_trusted(make_ctx):
    warning = "GLib-GIO-Message: Using the 'memory' GSettings backend.  Your settings will not be saved\n"
    outputs = {("gsettings", "get", "org.gnome.system.location", "enabled"): CommandResult(0, "false\n", warning)}
    with pytest.raises(CheckSkipped):
        run(make_ctx(commands=FakeCommands(outputs)))


def test_sudo_says_whose_settings_were_read(make_ctx, tmp_path):
    ctx = make_ctx(commands=FakeCommands(gsettings("false")), environ={"SUDO_USER": "sam"})
    _, limits = run(ctx)
    assert any("without sudo" in m and "sam" in m for m in limits)


def test_unusual_wifi_location_server(make_ctx, tmp_path):
    write(tmp_path / "root/etc/geoclue/geoclue.conf", GEOCLUE_CONF)  # the shipped Mozilla URL: quiet
    findings, _ = run(make_ctx(commands=FakeCommands(gsettings("false"))))
    assert findings == []
    write(tmp_path / "root/etc/geoclue/conf.d/50-wifi.conf",
          "[wifi]\nenable=true\nurl=https://geo.tracker.example/v1/geolocate\nsubmit-data=false\n"
          "submission-url=https://collect.example/submit\n")
    [f] = run(make_ctx(commands=FakeCommands(gsettings("false"))))[0]
    assert f.evidence["unusual"] == {"url": "geo.tracker.example"}  # submission off: not counted
    assert f.severity is Severity.MEDIUM
