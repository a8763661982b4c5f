# ruff: noqa: E501 - long real-world paths are the point of this corpus
"""No false alarms: ordinary system processes and everyday apps match nothing and never look
like masquerading; and in the other direction known tools and masqueraders are caught."""

from __future__ import annotations

import pytest

from digisafe.indicators import load_database
from tests.indicators.benign_corpus import CORPUS, EVERYDAY_HOSTS

CASES = [(platform, name, exe) for platform, rows in CORPUS.items() for name, exe in rows]


def alarming(matches):
    """Matches that could raise more than information: everyday tools (relevance low) are recorded
    as information only (PuTTY, WinSCP...), so they may match."""
    return [m for m in matches if m.product.relevance != "low"]


@pytest.mark.parametrize(("platform", "name", "exe"), CASES, ids=[f"{p}:{n}:{e}" for p, n, e in CASES])
def test_ordinary_process_matches_nothing(platform, name, exe):
    matcher = load_database().matcher(platform)
    assert alarming(matcher.process(name, exe)) == []
    assert matcher.masquerade(name, exe) is None
    if exe:
        assert alarming(matcher.path(exe)) == []
        assert alarming(matcher.autostart(f'"{exe}" --background')) == []


@pytest.mark.parametrize("host", EVERYDAY_HOSTS)
def test_everyday_hosts_match_nothing(host):
    for platform in CORPUS:
        assert load_database().matcher(platform).domain(host) == []


KNOWN = [
    ("windows", "csrss.exe", "C:\\ProgramData\\spc\\csrss.exe", "sentrypc", "install-path"),
    ("windows", "spcviewer.exe", "C:\\Windows\\spcviewer.exe", "sentrypc", "process-name"),
    ("windows", "dwm.exe", "C:\\ProgramData\\{4CEC2908-5CE4-48F0-A717-8FC833D8017A}\\dwm.exe", "teramind", "install-path"),
    ("windows", "TMAGENTSVC.EXE", None, "teramind", "process-name"),
    ("windows", "AnyDesk.exe", "C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe", "anydesk", "install-path"),
    ("windows", "TeamViewer_Service.exe", "D:\\Program Files\\TeamViewer\\TeamViewer_Service.exe", "teamviewer", "process-name"),
    ("windows", "wesvc.exe", None, "controlio", "process-name"),
    ("windows", "wec_launcher_ab12_.exe", None, "controlio", "process-name"),
    ("windows", "remcos_agent.exe", None, "remcos", "process-name"),
    ("windows", "x.exe", "C:\\Users\\bob\\AppData\\Roaming\\Remcos\\x.exe", "remcos", "install-path"),
    ("windows", "imdcsc.exe", "C:\\Users\\bob\\Documents\\DCSCMIN\\IMDCSC.exe", "darkcomet", "install-path"),
    ("windows", "ScreenConnect.ClientService.exe", "C:\\Program Files (x86)\\ScreenConnect Client (a1b2c3d4e5f6)\\ScreenConnect.ClientService.exe", "screenconnect", "install-path"),
    ("windows", "MPK.exe", "C:\\Windows\\System32\\MPK\\MPK.exe", "refog-personal-monitor", "install-path"),
    ("windows", "scthost.exe", "C:\\Windows\\SysWOW64\\scthost.exe", "activtrak", "process-name"),
    ("darwin", "TeamViewer", "/Applications/TeamViewer.app/Contents/MacOS/TeamViewer", "teamviewer", "install-path"),
    ("darwin", "AnyDesk", "/Applications/AnyDesk.app/Contents/MacOS/AnyDesk", "anydesk", "install-path"),
    ("darwin", "Teramind Agent", "/Applications/Teramind Agent.app/Contents/MacOS/Teramind Agent", "teramind", "install-path"),
    ("linux", "logkeys", "/usr/bin/logkeys", "logkeys", "process-name"),
    ("linux", "teamviewerd", "/opt/teamviewer/tv_bin/teamviewerd", "teamviewer", "process-name"),
    ("linux", "x11vnc", "/usr/bin/x11vnc", "linux-desktop-sharing", "process-name"),
    ("linux", "meshagent", "/usr/local/mesh_services/meshagent/meshagent", "meshcentral", "install-path"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("platform", "name", "exe", "product_id", "signal"), KNOWN, ids=[k[3] + ":" + k[1] for k in KNOWN]
)
def test_known_tools_are_found(platform, name, exe, product_id, signal):
    matches = load_database().matcher(platform).process(name, exe)
    assert (product_id, signal) in {(m.product.id, m.signal) for m in matches}


@pytest.mark.parametrize(
    ("platform", "name", "exe"),
    [
        ("windows", "svchost.exe", "C:\\Users\\bob\\AppData\\Local\\Temp\\svchost.exe"),
        ("windows", "lsass.exe", "C:\\Windows\\System32\\Tasks\\lsass.exe"),  # a sub-folder is not System32
        ("windows", "explorer.exe", "C:\\ProgramData\\explorer.exe"),
        ("windows", "services.exe", "C:\\ProgramData\\spc\\services.exe"),
        ("darwin", "launchd", "/Users/bob/Library/launchd"),
        ("darwin", "WindowServer", "/tmp/WindowServer"),
        ("darwin", "kernel_task", "/Users/bob/.hidden/kernel_task"),
        ("linux", "kworker/0:2", "/tmp/.x/miner"),
        ("linux", "sshd", "/dev/shm/sshd"),
        ("linux", "sshd", "/home/bob/.cache/xmr"),  # renamed to hide
        ("linux", "systemd", "/var/tmp/systemd"),
    ],
)
def test_masquerading_is_caught(platform, name, exe):
    reason = load_database().matcher(platform).masquerade(name, exe)
    assert reason and exe in reason


def test_refog_winlogon_userinit_autostart_is_recognised():
    value = "C:\\Windows\\system32\\userinit.exe,C:\\Windows\\system32\\MPK\\MPK.exe"
    hits = load_database().matcher("windows").autostart(value)
    assert {m.product.id for m in hits} == {"refog-personal-monitor"}
    assert load_database().matcher("windows").autostart("C:\\Windows\\system32\\userinit.exe,") == []


def test_masquerade_without_a_path_does_not_guess():
    assert load_database().matcher("windows").masquerade("svchost.exe", None) is None


def test_windows_names_ignore_case_but_linux_names_do_not():
    db = load_database()
    assert db.matcher("windows").process("ANYDESK.EXE", None)
    assert db.matcher("linux").process("logkeys", None)
    assert db.matcher("linux").process("LOGKEYS", None) == []


ORDINARY_AUTOSTARTS = {
    "darwin": [
        "/Library/LaunchAgents/com.google.keystone.agent.plist",
        "/Library/LaunchDaemons/com.microsoft.autoupdate.helper.plist",
        "us.zoom.ZoomDaemon",
        "com.dropbox.DropboxMacUpdate.agent",
        "/System/Library/LaunchDaemons/com.apple.screensharing.plist",
        "com.spotify.webhelper",
    ],
    "windows": [
        '"C:\\Program Files\\Microsoft OneDrive\\OneDrive.exe" /background',
        "C:\\Users\\alice\\AppData\\Roaming\\Spotify\\Spotify.exe --autostart --minimized",
        '"C:\\Program Files (x86)\\Steam\\steam.exe" -silent',
        "SecurityHealth",
        "%windir%\\system32\\SecurityHealthSystray.exe",
        '"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe" --no-startup-window /prefetch:5',
        "Discord.lnk",
    ],
    "linux": [
        "Exec=/usr/bin/gnome-software --gapplication-service",
        "ExecStart=/usr/lib/systemd/systemd-logind",
        "@reboot /usr/bin/python3 /home/alice/backup.py",
        "Exec=/usr/bin/nextcloud --background",
    ],
}


@pytest.mark.parametrize(("platform", "text"), [(p, t) for p, rows in ORDINARY_AUTOSTARTS.items() for t in rows])
def test_ordinary_autostart_entries_match_nothing(platform, text):
    assert load_database().matcher(platform).autostart(text) == []
