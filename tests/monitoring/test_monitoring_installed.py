# ruff: noqa: E501
from __future__ import annotations

import plistlib

from digisafe.checks.monitoring_installed import MonitoringInstalledCheck

from digisafe.core.model import Severity
from tests.fakes import FakeProcesses, FakeRegistry
from tests.monitoring.conftest import run_check
from tests.monitoring.samples import linux_benign, p, windows_benign
from tests.monitoring.test_autostart import make_lnk

RUN = "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run"
SERVICES = "HKLM\\SYSTEM\\CurrentControlSet\\Services"
WIN_ENV = {"APPDATA": "C:\\Users\\sam\\AppData\\Roaming", "ProgramData": "C:\\ProgramData"}


def benign_windows_registry() -> dict:
    return {
        RUN: {
            "OneDrive": '"C:\\Users\\sam\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe" /background',
            "Spotify": "C:\\Users\\sam\\AppData\\Roaming\\Spotify\\Spotify.exe /minimized",
            "Discord": "C:\\Users\\sam\\AppData\\Local\\Discord\\Update.exe --processStart Discord.exe",
        },
        "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run": {
            "SecurityHealth": "%windir%\\system32\\SecurityHealthSystray.exe",
        },
        f"{SERVICES}\\Dnscache": {"ImagePath": "%SystemRoot%\\system32\\svchost.exe -k NetworkService", "Start": 2},
        f"{SERVICES}\\WinDefend": {"ImagePath": '"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18\\MsMpEng.exe"'},
        f"{SERVICES}\\disk": {"ImagePath": "System32\\drivers\\disk.sys", "Type": 1, "Start": 0},
        f"{SERVICES}\\Steam Client Service": {"ImagePath": '"C:\\Program Files (x86)\\Common Files\\Steam\\steamservice.exe" /RunAsService'},
        "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon": {
            "Userinit": "C:\\Windows\\system32\\userinit.exe,",
            "Shell": "explorer.exe",
        },
    }


def test_benign_windows_autostarts_raise_nothing(make_ctx):
    ctx = make_ctx(platform="windows", registry=FakeRegistry(benign_windows_registry()), environ=WIN_ENV,
                   processes=FakeProcesses(windows_benign()))  # fmt: skip
    findings, limits = run_check(MonitoringInstalledCheck, ctx)
    assert findings == [], [f.title for f in findings]
    assert limits == []


def test_windows_service_of_a_known_tool_not_running(make_ctx):
    tree = benign_windows_registry()
    tree[f"{SERVICES}\\TeamViewer"] = {
        "ImagePath": '"C:\\Program Files\\TeamViewer\\TeamViewer_Service.exe"', "Start": 2, "DisplayName": "TeamViewer"
    }  # fmt: skip
    ctx = make_ctx(platform="windows", registry=FakeRegistry(tree), environ=WIN_ENV)
    (finding,) = run_check(MonitoringInstalledCheck, ctx)[0]
    assert finding.evidence["product"] == "teamviewer" and "service" in finding.evidence["signals"]
    assert finding.severity is Severity.MEDIUM and "start automatically" in finding.title
    assert finding.evidence["autostart"][0]["location"].endswith("\\TeamViewer")
    # Running now: DS-PROC-010 reports it instead, so nothing twice.
    running = p(5, "TeamViewer_Service.exe", "C:\\Program Files\\TeamViewer\\TeamViewer_Service.exe")
    ctx = make_ctx(platform="windows", registry=FakeRegistry(tree), environ=WIN_ENV, processes=FakeProcesses([running]))
    assert run_check(MonitoringInstalledCheck, ctx)[0] == []


def test_sentrypc_install_folder_present_is_found(make_ctx):
    ctx = make_ctx(platform="windows", registry=FakeRegistry(benign_windows_registry()), environ=WIN_ENV)
    folder = ctx.files.path("/C/ProgramData/spc")
    folder.mkdir(parents=True)
    (folder / "loc.exe").write_bytes(b"MZ")
    (finding,) = run_check(MonitoringInstalledCheck, ctx)[0]
    assert finding.evidence["product"] == "sentrypc" and finding.severity is Severity.CRITICAL
    assert "C:\\ProgramData\\spc" in finding.evidence["install_paths"] and "is installed" in finding.title


def test_startup_shortcut_to_temp_folder_is_flagged(make_ctx):
    ctx = make_ctx(platform="windows", registry=FakeRegistry(benign_windows_registry()), environ=WIN_ENV)
    folder = ctx.files.path("/C/Users/sam/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Startup")
    folder.mkdir(parents=True)
    (folder / "Updater.lnk").write_bytes(make_lnk("C:\\Users\\sam\\AppData\\Local\\Temp\\svc\\upd.exe"))
    (finding,) = run_check(MonitoringInstalledCheck, ctx)[0]
    assert finding.severity is Severity.MEDIUM and "temporary folder" in finding.title
    assert finding.evidence["program"].endswith("upd.exe")


def test_linux_benign_autostarts_and_units(make_ctx):
    ctx = make_ctx(platform="linux", processes=FakeProcesses(linux_benign()))
    xdg = ctx.files.path("/etc/xdg/autostart")
    xdg.mkdir(parents=True)
    (xdg / "gnome-keyring-secrets.desktop").write_text("[Desktop Entry]\nName=Secret Storage\nExec=/usr/bin/gnome-keyring-daemon --start\n")
    (xdg / "org.gnome.Software.desktop").write_text("[Desktop Entry]\nName=Software\nExec=/usr/bin/gnome-software --gapplication-service\n")
    user = ctx.files.path("~/.config/systemd/user")
    user.mkdir(parents=True)
    (user / "syncthing.service").write_text("[Service]\nExecStart=/home/sam/.local/bin/syncthing serve --no-browser\n")
    units = ctx.files.path("/etc/systemd/system")
    units.mkdir(parents=True)
    (units / "snap-firefox.mount").write_text("[Mount]\nWhat=/var/lib/snapd/snaps/firefox.snap\n")
    (units / "ssh.service").write_text("[Service]\nExecStart=/usr/sbin/sshd -D $SSHD_OPTS\n")
    assert run_check(MonitoringInstalledCheck, ctx) == ([], [])


def test_linux_hidden_cron_job_and_known_keylogger_autostart(make_ctx):
    ctx = make_ctx(platform="linux")
    spool = ctx.files.path("/var/spool/cron/crontabs")
    spool.mkdir(parents=True)
    (spool / "root").write_text("@reboot /root/.sys/.k/collector -q\n")
    units = ctx.files.path("/etc/systemd/system")
    units.mkdir(parents=True)
    (units / "tv.service").write_text("[Service]\nExecStart=/opt/teamviewer/tv_bin/teamviewerd -d\n")
    findings, _ = run_check(MonitoringInstalledCheck, ctx)
    by_title = {f.title: f for f in findings}
    hidden = [f for f in findings if "hidden folder" in f.title]
    assert len(hidden) == 1 and hidden[0].severity is Severity.LOW
    assert hidden[0].evidence["location"].endswith("crontabs/root")
    tv = [f for f in findings if f.evidence.get("product") == "teamviewer"]
    assert len(tv) == 1 and tv[0].evidence["autostart"][0]["kind"] == "systemd", by_title


def test_macos_launch_agent_for_a_known_product(make_ctx, custom_db):
    custom_db(
        [{"id": "mac-spy", "name": "Mac Spy", "category": "stalkerware", "presentation": "covert",
          "verified": "vendor-docs", "darwin": {"autostart": ["com.macspy.agent"], "paths": ["/Library/MacSpy/"]}}]
    )  # fmt: skip
    ctx = make_ctx(platform="darwin")
    agents = ctx.files.path("~/Library/LaunchAgents")
    agents.mkdir(parents=True)
    job = {"Label": "com.macspy.agent", "ProgramArguments": ["/Library/MacSpy/agent", "--daemon"], "RunAtLoad": True}
    (agents / "com.macspy.agent.plist").write_bytes(plistlib.dumps(job, fmt=plistlib.FMT_BINARY))
    apple = {"Label": "com.apple.x", "Program": "/usr/libexec/x"}
    (agents / "com.apple.x.plist").write_bytes(plistlib.dumps(apple))
    (finding,) = run_check(MonitoringInstalledCheck, ctx)[0]
    assert finding.evidence["product"] == "mac-spy" and finding.severity is Severity.CRITICAL
    assert {"autostart"} <= set(finding.evidence["signals"])


def test_known_tool_installed_is_information(make_ctx):
    tree = {f"{SERVICES}\\TeamViewer": {"ImagePath": "C:\\Program Files\\TeamViewer\\TeamViewer_Service.exe"}}
    ctx = make_ctx(platform="windows", registry=FakeRegistry(tree), known_tools=frozenset({"teamviewer"}))
    (finding,) = run_check(MonitoringInstalledCheck, ctx)[0]
    assert finding.severity is Severity.INFO
