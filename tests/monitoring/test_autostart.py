# ruff: noqa: E501
from __future__ import annotations

import plistlib
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digisafe.monitoring.autostart import (
    lnk_target,
    parse_crontab,
    parse_desktop,
    parse_launchd_plist,
    parse_scheduled_task,
    parse_systemd_unit,
    program_of,
    run_key_entries,
    service_entry,
    startup_entry,
    unusual_location,
)
from digisafe.monitoring.autostart_sources import collect_autostart
from tests.fakes import FakeRegistry


def make_lnk(target: str, args: str = "") -> bytes:
    """A minimal shell link as MS-SHLLINK lays it out: header, LinkInfo (local base path), args."""
    flags = 0x02 | 0x80 | (0x20 if args else 0)  # HasLinkInfo, IsUnicode, HasArguments
    header = struct.pack("<I16sIIQQQIIIHHII", 0x4C, b"\x01\x14\x02" + b"\x00" * 13, flags, 0x20, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0)
    assert len(header) == 0x4C
    base = target.encode("cp1252") + b"\x00"
    header_size = 0x1C
    volume = struct.pack("<IIII", 16, 3, 0, 0)  # VolumeIDSize, DriveType fixed, serial, label offset
    volume_offset = header_size
    base_offset = volume_offset + len(volume)
    suffix_offset = base_offset + len(base)
    body = volume + base + b"\x00"
    info = struct.pack("<IIIIIII", header_size + len(body), header_size, 1, volume_offset, base_offset, 0, suffix_offset)
    data = header + info + body
    if args:
        data += struct.pack("<H", len(args)) + args.encode("utf-16-le")
    return data


def test_program_of_handles_quotes_windows_spaces_and_shell_words():
    assert program_of('"C:\\Program Files\\App\\a.exe" --x') == "C:\\Program Files\\App\\a.exe"
    assert program_of("C:\\Program Files\\App\\a.exe --x", windows=True) == "C:\\Program Files\\App\\a.exe"
    assert program_of("C:\\Windows\\system32\\rundll32.exe shell32.dll,x", windows=True).endswith("rundll32.exe")
    assert program_of("/usr/bin/env FOO=1 /tmp/x --y") == "/tmp/x"
    assert program_of("env") == "env"
    assert program_of("/bin/sh -c '/home/sam/.x/agent --quiet'") == "/home/sam/.x/agent"
    assert program_of("bash -c") == "bash"
    assert program_of("sh -c 'unterminated") == "unterminated"
    assert program_of("") == ""


def test_desktop_file_enabled_disabled_and_field_codes():
    text = "[Desktop Entry]\nType=Application\nName=Spy Agent\nExec=/home/sam/.cache/.x/agent %U\nHidden=false\n"
    entry = parse_desktop(text, "/home/sam/.config/autostart/a.desktop")
    assert entry.program == "/home/sam/.cache/.x/agent" and entry.command == "/home/sam/.cache/.x/agent"
    assert entry.enabled and entry.name == "Spy Agent"
    off = parse_desktop(text + "X-GNOME-Autostart-enabled=false\n", "x")
    assert off is not None and not off.enabled
    assert parse_desktop("[Desktop Entry]\nName=No exec\n", "x") is None
    assert parse_desktop("[Other]\nExec=/bin/x\n", "x") is None


def test_systemd_unit_prefixes_and_description():
    text = "[Unit]\nDescription=TeamViewer remote control daemon\n[Service]\nType=forking\nExecStart=-/opt/teamviewer/tv_bin/teamviewerd -d\n"
    entry = parse_systemd_unit(text, "/etc/systemd/system/teamviewerd.service", "teamviewerd.service")
    assert entry.program == "/opt/teamviewer/tv_bin/teamviewerd" and entry.display_name.startswith("TeamViewer")
    assert parse_systemd_unit("[Unit]\nDescription=target only\n", "x", "x.target") is None


def test_crontab_user_and_system_forms():
    user = "# m h dom mon dow command\nMAILTO=x\n@reboot /tmp/.k/logger -q\n*/5 * * * * /usr/bin/backup.sh\n"
    entries = parse_crontab(user, "/var/spool/cron/crontabs/sam", has_user_field=False)
    assert [e.program for e in entries] == ["/tmp/.k/logger", "/usr/bin/backup.sh"]
    system = "17 * * * * root cd / && run-parts --report /etc/cron.hourly\n* * * * *\n"
    (entry,) = parse_crontab(system, "/etc/crontab", has_user_field=True)
    assert entry.program == "cd" and "run-parts" in entry.command


@pytest.mark.parametrize("fmt", [plistlib.FMT_XML, plistlib.FMT_BINARY])
def test_launchd_plist_xml_and_binary(fmt):
    job = {"Label": "com.teamviewer.service", "ProgramArguments": ["/Applications/TeamViewer.app/Contents/MacOS/TeamViewer_Service", "-d"], "RunAtLoad": True}
    entry = parse_launchd_plist(plistlib.dumps(job, fmt=fmt), "/Library/LaunchDaemons/x.plist")
    assert entry.name == "com.teamviewer.service" and entry.program.endswith("TeamViewer_Service") and entry.enabled
    disabled = parse_launchd_plist(plistlib.dumps({"Label": "x", "Program": "/bin/x", "Disabled": True}, fmt=fmt), "x")
    assert disabled.program == "/bin/x" and not disabled.enabled
    assert parse_launchd_plist(b"not a plist", "x") is None
    assert parse_launchd_plist(plistlib.dumps(["list"], fmt=fmt), "x") is None


def test_registry_run_values_and_services():
    entries = run_key_entries("HKCU\\...\\Run", {"OneDrive": '"C:\\Users\\sam\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe" /background', "Empty": "", "Bin": b"\x00"})
    assert [(e.name, e.program) for e in entries] == [("OneDrive", "C:\\Users\\sam\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe")]
    svc = service_entry("HKLM\\...\\TeamViewer", "TeamViewer", {"ImagePath": '"C:\\Program Files\\TeamViewer\\TeamViewer_Service.exe"', "Start": 2, "Type": 16, "DisplayName": "TeamViewer"})
    assert svc.program.endswith("TeamViewer_Service.exe") and svc.enabled
    assert service_entry("k", "disk", {"ImagePath": "System32\\drivers\\disk.sys", "Type": 1}) is None
    assert not service_entry("k", "x", {"ImagePath": "C:\\x.exe", "Start": 4}).enabled


def test_lnk_target_from_a_real_shell_link_layout():
    data = make_lnk("C:\\Users\\sam\\AppData\\Local\\Temp\\upd.exe", "--hidden")
    assert lnk_target(data) == ("C:\\Users\\sam\\AppData\\Local\\Temp\\upd.exe", "--hidden")
    entry = startup_entry("Updater.lnk", data, "%APPDATA%\\...\\Startup\\Updater.lnk")
    assert entry.program.endswith("upd.exe") and entry.command.endswith("--hidden")
    assert lnk_target(b"\x4c\x00\x00\x00" + b"\x00" * 10) is None
    assert lnk_target(data[:0x50]) is None  # truncated: no crash
    plain = startup_entry("run.bat", b"@echo off", "C:\\...\\Startup\\run.bat")
    assert plain.program == "C:\\...\\Startup\\run.bat"


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/tmp/x", "a temporary folder"),
        ("/var/tmp/.a/b", "a temporary folder"),
        ("/dev/shm/k", "a temporary folder"),
        ("C:\\Users\\sam\\AppData\\Local\\Temp\\a.exe", "a temporary folder"),
        ("C:\\Windows\\Temp\\a.exe", "a temporary folder"),
        ("/home/sam/.cache/.x/agent", "a hidden folder (.cache)"),
        ("/Users/sam/.hidden/agent", "a hidden folder (.hidden)"),
        ("/home/sam/.local/bin/tool", None),
        ("/home/sam/.dropbox-dist/dropboxd", None),
        ("/usr/bin/gnome-software", None),
        ("C:\\Users\\sam\\AppData\\Roaming\\Spotify\\Spotify.exe", None),
        ("/home/sam/Templates/x", None),
        ("", None),
    ],
)
def test_unusual_location(path, expected):
    assert unusual_location(path) == expected


def test_collect_linux_reads_real_files_and_reports_unreadable(make_ctx, tmp_path):
    ctx = make_ctx(platform="linux")
    auto = ctx.files.path("~/.config/autostart")
    auto.mkdir(parents=True)
    (auto / "a.desktop").write_text("[Desktop Entry]\nName=A\nExec=/tmp/a\n")
    units = ctx.files.path("/etc/systemd/system")
    units.mkdir(parents=True)
    (units / "teamviewerd.service").write_text("[Service]\nExecStart=/opt/teamviewer/tv_bin/teamviewerd -d\n")
    spool = ctx.files.path("/var/spool/cron/crontabs")
    spool.mkdir(parents=True)
    (spool / "sam").write_text("@reboot /home/sam/.k/x\n")
    locked = ctx.files.path("/etc/cron.d")
    locked.mkdir(parents=True)
    locked.chmod(0)
    try:
        scan = collect_autostart(ctx)
    finally:
        locked.chmod(0o755)
    kinds = sorted((e.kind, e.program) for e in scan.entries)
    assert ("xdg-autostart", "/tmp/a") in kinds and ("cron", "/home/sam/.k/x") in kinds
    assert ("systemd", "/opt/teamviewer/tv_bin/teamviewerd") in kinds
    import os

    if os.geteuid() != 0:  # root can read a 000 folder
        assert str(locked) in scan.unreadable


def test_collect_windows_registry_winlogon_and_startup_folder(make_ctx):
    reg = FakeRegistry(
        {
            "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run": {"Spotify": "C:\\Users\\sam\\AppData\\Roaming\\Spotify\\Spotify.exe /minimized"},
            "HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\RunOnce": {"x": "C:\\Windows\\Temp\\x.exe"},
            "HKLM\\SYSTEM\\CurrentControlSet\\Services\\TeamViewer": {"ImagePath": '"C:\\Program Files\\TeamViewer\\TeamViewer_Service.exe"', "Start": 2, "Type": 16},
            "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon": {"Userinit": "C:\\Windows\\system32\\userinit.exe,C:\\Windows\\mpk\\mpk.exe,", "Shell": "explorer.exe"},
        }
    )
    ctx = make_ctx(platform="windows", registry=reg, environ={"APPDATA": "C:\\Users\\sam\\AppData\\Roaming", "ProgramData": "C:\\ProgramData"})
    folder = ctx.files.path("/C/Users/sam/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Startup")
    folder.mkdir(parents=True)
    (folder / "Updater.lnk").write_bytes(make_lnk("C:\\Users\\sam\\AppData\\Local\\Temp\\upd.exe"))
    (folder / "desktop.ini").write_text("[.ShellClassInfo]")
    scan = collect_autostart(ctx)
    found = {(e.kind, e.program) for e in scan.entries}
    assert ("run-key", "C:\\Users\\sam\\AppData\\Roaming\\Spotify\\Spotify.exe") in found
    assert ("run-key", "C:\\Windows\\Temp\\x.exe") in found
    assert ("service", "C:\\Program Files\\TeamViewer\\TeamViewer_Service.exe") in found
    assert ("winlogon", "C:\\Windows\\mpk\\mpk.exe") in found
    assert ("startup-folder", "C:\\Users\\sam\\AppData\\Local\\Temp\\upd.exe") in found
    assert not any(e.kind == "winlogon" and "userinit" in e.program.lower() for e in scan.entries)


def test_collect_darwin_launch_agents(make_ctx):
    ctx = make_ctx(platform="darwin")
    folder = ctx.files.path("/Library/LaunchDaemons")
    folder.mkdir(parents=True)
    (folder / "com.x.plist").write_bytes(plistlib.dumps({"Label": "com.x", "Program": "/Users/Shared/.x/agent"}))
    (folder / "broken.plist").write_bytes(b"garbage")
    (entry,) = collect_autostart(ctx).entries
    assert entry.name == "com.x" and entry.kind == "launchd"


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=600))
def test_binary_parsers_never_crash_on_any_bytes(data):
    target = lnk_target(b"\x4c\x00\x00\x00" + data)
    assert target is None or isinstance(target[0], str)
    entry = parse_launchd_plist(b"bplist00" + data, "x")
    assert entry is None or isinstance(entry.program, str)
    parse_launchd_plist(data, "x")


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_text_parsers_never_crash_on_any_text(text):
    parse_desktop("[Desktop Entry]\n" + text, "x")
    parse_systemd_unit("[Service]\n" + text, "x", "x.service")
    parse_crontab(text, "x", has_user_field=True)
    program_of(text)
    program_of(text, windows=True)
    unusual_location(text)


def test_parsers_read_this_machines_real_autostart_and_unit_files():
    from pathlib import Path

    desktop = sorted(Path("/etc/xdg/autostart").glob("*.desktop")) if Path("/etc/xdg/autostart").is_dir() else []
    units = [p for folder in ("/lib/systemd/system", "/etc/systemd/system") if Path(folder).is_dir()
             for p in sorted(Path(folder).glob("*.service")) if p.is_file()]  # fmt: skip
    if not desktop and not units:
        pytest.skip("no autostart or unit files on this machine")
    for path in desktop:
        parse_desktop(path.read_text(errors="replace"), str(path))
    parsed = [parse_systemd_unit(p.read_text(errors="replace"), str(p), p.name) for p in units]
    programs = [e.program for e in parsed if e is not None]
    assert all(p and not p.startswith(("-", "@", "+", "!")) for p in programs)


# A task as Task Scheduler stores it in C:\Windows\System32\Tasks (UTF-16 with BOM).
TASK_XML = """<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <Date>2024-05-01T10:00:00</Date>
    <Author>LAPTOP\\sam</Author>
    <URI>\\WindowsUpdateHelper</URI>
  </RegistrationInfo>
  <Triggers><LogonTrigger><Enabled>true</Enabled></LogonTrigger></Triggers>
  <Principals><Principal id="Author"><UserId>S-1-5-18</UserId><RunLevel>HighestAvailable</RunLevel></Principal></Principals>
  <Settings><Enabled>{enabled}</Enabled><Hidden>true</Hidden></Settings>
  <Actions Context="Author">
    <Exec><Command>"%TEMP%\\wuh\\helper.exe"</Command><Arguments>/silent</Arguments></Exec>
    <Exec><Command>C:\\Program Files\\TeamViewer\\TeamViewer.exe</Command></Exec>
  </Actions>
</Task>
"""


def test_scheduled_task_xml_utf16_actions_and_enabled():
    data = TASK_XML.format(enabled="true").encode("utf-16")
    first, second = parse_scheduled_task(data, "C:\\Windows\\System32\\Tasks\\WindowsUpdateHelper", "WindowsUpdateHelper")
    assert first.program == "%TEMP%\\wuh\\helper.exe" and first.command.endswith("/silent") and first.enabled
    assert first.name == "\\WindowsUpdateHelper" and second.program.endswith("TeamViewer.exe")
    (off, _) = parse_scheduled_task(TASK_XML.format(enabled="false").encode("utf-16"), "x", "x")
    assert not off.enabled
    assert parse_scheduled_task(b"<not xml", "x", "x") == []
    bomb = b'<?xml version="1.0"?><!DOCTYPE t [<!ENTITY a "aaaa">]><Task>&a;</Task>'
    assert parse_scheduled_task(bomb, "x", "x") == []


def test_collect_windows_scheduled_tasks_expands_temp(make_ctx):
    env = {"SystemRoot": "C:\\Windows", "TEMP": "C:\\Users\\sam\\AppData\\Local\\Temp"}
    ctx = make_ctx(platform="windows", registry=FakeRegistry({}), environ=env)
    folder = ctx.files.path("/C/Windows/System32/Tasks/Vendor")
    folder.mkdir(parents=True)
    (folder / "Helper").write_bytes(TASK_XML.format(enabled="true").encode("utf-16"))
    entries = [e for e in collect_autostart(ctx).entries if e.kind == "scheduled-task"]
    assert entries[0].program == "C:\\Users\\sam\\AppData\\Local\\Temp\\wuh\\helper.exe"
    assert entries[0].location == "C:\\Windows\\System32\\Tasks\\Vendor\\Helper"
    assert unusual_location(entries[0].program) == "a temporary folder"


def test_collect_reads_other_accounts_homes(make_ctx):
    ctx = make_ctx(platform="linux")
    other = ctx.files.path("/home/bob/.config/autostart")
    other.mkdir(parents=True)
    (other / "x.desktop").write_text("[Desktop Entry]\nName=X\nExec=/home/bob/.x/agent\n")
    units = ctx.files.path("/home/bob/.config/systemd/user")
    units.mkdir(parents=True)
    (units / "y.service").write_text("[Service]\nExecStart=/home/bob/.y/daemon\n")
    programs = {e.program for e in collect_autostart(ctx).entries}
    assert programs == {"/home/bob/.x/agent", "/home/bob/.y/daemon"}
    mac = make_ctx(platform="darwin")
    agents = mac.files.path("/Users/alice/Library/LaunchAgents")
    agents.mkdir(parents=True)
    (agents / "a.plist").write_bytes(plistlib.dumps({"Label": "a", "Program": "/Users/alice/.a/agent"}))
    shared = mac.files.path("/Users/Shared/Library/LaunchAgents")
    shared.mkdir(parents=True)
    (shared / "s.plist").write_bytes(plistlib.dumps({"Label": "s", "Program": "/x"}))
    assert [e.program for e in collect_autostart(mac).entries] == ["/Users/alice/.a/agent"]
