# ruff: noqa: E501 - real-world command lines are the point
"""An ordinary Windows 11 laptop's start-up places (Run keys, services, scheduled tasks, Startup
folder) and an ordinary Ubuntu desktop's autostart files raise nothing above information in
DS-PROC-020; the same places with one known tool added report it."""

from __future__ import annotations

from digisafe.checks.monitoring_installed import MonitoringInstalledCheck

from digisafe.core.model import Severity
from tests.fakes import FakeProcesses, FakeRegistry
from tests.monitoring.conftest import run_check
from tests.monitoring.test_autostart import make_lnk

SERVICES = "HKLM\\SYSTEM\\CurrentControlSet\\Services"
DS = "C:\\WINDOWS\\System32\\DriverStore\\FileRepository\\"
WIN_ENV = {
    "APPDATA": "C:\\Users\\sam\\AppData\\Roaming",
    "LOCALAPPDATA": "C:\\Users\\sam\\AppData\\Local",
    "ProgramData": "C:\\ProgramData",
    "SystemRoot": "C:\\Windows",
    "USERPROFILE": "C:\\Users\\sam",
}
SERVICE_IMAGES = {
    "Dnscache": "C:\\WINDOWS\\system32\\svchost.exe -k NetworkService -p",
    "TermService": "C:\\WINDOWS\\System32\\svchost.exe -k NetworkService",
    "SessionEnv": "C:\\WINDOWS\\System32\\svchost.exe -k netsvcs -p",
    "UmRdpService": "C:\\WINDOWS\\System32\\svchost.exe -k LocalSystemNetworkRestricted -p",
    "RemoteRegistry": "C:\\WINDOWS\\system32\\svchost.exe -k localService -p",
    "WinRM": "C:\\WINDOWS\\System32\\svchost.exe -k NetworkService -p",
    "RasMan": "C:\\WINDOWS\\System32\\svchost.exe -k netsvcs",
    "Spooler": "C:\\WINDOWS\\System32\\spoolsv.exe",
    "WinDefend": '"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MsMpEng.exe"',
    "WdNisSvc": '"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\NisSrv.exe"',
    "MDCoreSvc": '"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MpDefenderCoreService.exe"',
    "SecurityHealthService": "C:\\WINDOWS\\system32\\SecurityHealthService.exe",
    "MpKslceeb2796": "\\??\\C:\\ProgramData\\Microsoft\\Windows Defender\\Definition Updates\\{A1B2C3D4-0000-1111-2222-333344445555}\\MpKslDrv.sys",
    "disk": "System32\\drivers\\disk.sys",
    "nvlddmkm": "\\SystemRoot\\System32\\DriverStore\\FileRepository\\nvami.inf_amd64_8b9f2f5c6f3a4b1e\\nvlddmkm.sys",
    "NVDisplay.ContainerLocalSystem": f'"{DS}nvami.inf_amd64_8b9f2f5c6f3a4b1e\\Display.NvContainer\\NVDisplay.Container.exe" -s NVDisplay.ContainerLocalSystem',
    "RtkAudioUniversalService": f'"{DS}realtekservice.inf_amd64_0f4fa3c0d5e1b6a2\\RtkAudUService64.exe"',
    "jhi_service": f"{DS}dal.inf_amd64_1e9c4d3f5b7a8e60\\jhi_service.exe",
    "LMS": '"C:\\Program Files (x86)\\Intel\\Intel(R) Management Engine Components\\LMS\\LMS.exe"',
    "AMD External Events Utility": f"{DS}u0401234.inf_amd64_6c3c3d1e4a5b6f70\\B401200\\atiesrxx.exe",
    "AdobeARMservice": '"C:\\Program Files (x86)\\Common Files\\Adobe\\ARM\\1.0\\armsvc.exe"',
    "edgeupdate": '"C:\\Program Files (x86)\\Microsoft\\EdgeUpdate\\MicrosoftEdgeUpdate.exe" /svc',
    "GoogleChromeElevationService": '"C:\\Program Files\\Google\\Chrome\\Application\\130.0.6723.92\\elevation_service.exe"',
    "GoogleUpdaterService130.0.6679.0": '"C:\\Program Files (x86)\\Google\\GoogleUpdater\\130.0.6679.0\\updater.exe" --system --windows-service --service=update',
    "MozillaMaintenance": '"C:\\Program Files (x86)\\Mozilla Maintenance Service\\maintenanceservice.exe"',
    "ClickToRunSvc": '"C:\\Program Files\\Common Files\\Microsoft Shared\\ClickToRun\\OfficeClickToRun.exe" /service',
    "DbxSvc": "C:\\WINDOWS\\system32\\DbxSvc.exe",
    "Steam Client Service": '"C:\\Program Files (x86)\\Common Files\\Steam\\steamservice.exe" /RunAsService',
    "LGHUBUpdaterService": '"C:\\Program Files\\LGHUB\\lghub_updater.exe" --run-as-service',
    "logi_lamparray_service": '"C:\\Program Files\\LogiOptionsPlus\\logi_lamparray_service.exe"',
    "ssh-agent": "C:\\WINDOWS\\System32\\OpenSSH\\ssh-agent.exe",
    "WSLService": '"C:\\Program Files\\WSL\\wslservice.exe"',
    "ZoomCptService": '"C:\\Program Files\\Common Files\\Zoom\\Support\\CptService.exe" -user_path "C:\\Users\\sam\\AppData\\Roaming\\Zoom"',
    "OneSyncSvc_4e1f2": "C:\\WINDOWS\\system32\\svchost.exe -k UnistackSvcGroup",
}
RUN_VALUES = {
    "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run": {
        "OneDrive": '"C:\\Users\\sam\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe" /background',
        "MicrosoftEdgeAutoLaunch_0A1B2C3D4E5F": '"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe" --no-startup-window --win-session-start',
        "Spotify": "C:\\Users\\sam\\AppData\\Roaming\\Spotify\\Spotify.exe --autostart --minimized",
        "Discord": '"C:\\Users\\sam\\AppData\\Local\\Discord\\Update.exe" --processStart Discord.exe',
        "Steam": '"C:\\Program Files (x86)\\Steam\\steam.exe" -silent',
        "com.squirrel.slack.slack": '"C:\\Users\\sam\\AppData\\Local\\slack\\slack.exe" --process-start-args --startup',
        "ZoomUpdater": '"C:\\Users\\sam\\AppData\\Roaming\\Zoom\\bin\\Zoom.exe" --autostart',
    },
    "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run": {
        "SecurityHealth": "%windir%\\system32\\SecurityHealthSystray.exe",
        "RtkAudUService": f'"{DS}realtekservice.inf_amd64_0f4fa3c0d5e1b6a2\\RtkAudUService64.exe" -background',
        "Logitech Download Assistant": "C:\\Windows\\system32\\rundll32.exe C:\\Windows\\System32\\LogiLDA.dll,LogiFetch",
        "AdobeAAMUpdater-1.0": '"C:\\Program Files (x86)\\Common Files\\Adobe\\OOBE\\PDApp\\UWA\\UpdaterStartupUtility.exe"',
    },
    "HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\Windows\\CurrentVersion\\Run": {
        "Dropbox": '"C:\\Program Files (x86)\\Dropbox\\Client\\Dropbox.exe" /systemstartup',
        "iTunesHelper": '"C:\\Program Files\\iTunes\\iTunesHelper.exe"',
    },
    "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Winlogon": {
        "Userinit": "C:\\WINDOWS\\system32\\userinit.exe,",
        "Shell": "explorer.exe",
    },
}
TASKS = {
    "MicrosoftEdgeUpdateTaskMachineUA": ("C:\\Program Files (x86)\\Microsoft\\EdgeUpdate\\MicrosoftEdgeUpdate.exe", "/ua /installsource scheduler"),
    "GoogleUpdaterTaskSystem130.0.6679.0{F8B1A2C3-1234-4A5B-8C9D-0E1F2A3B4C5D}": ("C:\\Program Files (x86)\\Google\\GoogleUpdater\\130.0.6679.0\\updater.exe", "--wake --system"),
    "OneDrive Standalone Update Task-S-1-5-21-1004336348-1177238915-682003330-1001": ("%localappdata%\\Microsoft\\OneDrive\\OneDriveStandaloneUpdater.exe", ""),
    "Adobe Acrobat Update Task": ("C:\\Program Files (x86)\\Common Files\\Adobe\\ARM\\1.0\\AdobeARM.exe", ""),
    "ZoomUpdateTaskUser-S-1-5-21-1004336348-1177238915-682003330-1001": ("C:\\Users\\sam\\AppData\\Roaming\\Zoom\\bin\\installer.exe", "/autoupdate"),
    "NvDriverUpdateCheckDaily_{B2FE1952-0186-46C3-BAEC-A80AA35AC5B8}": ("C:\\Windows\\system32\\rundll32.exe", '"C:\\Program Files\\NVIDIA Corporation\\NvContainer\\NvContainerTelemetryApi.dll",NvTmRep_DailyTask'),
    "Microsoft\\Windows\\Defrag\\ScheduledDefrag": ("%windir%\\system32\\defrag.exe", "-c -h -o -$"),
    "Microsoft\\Windows\\Windows Defender\\Windows Defender Scheduled Scan": ("C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MpCmdRun.exe", "Scan -ScheduleJob -ScanTrigger 55"),
    "Microsoft\\Office\\Office Automatic Updates 2.0": ("C:\\Program Files\\Common Files\\Microsoft Shared\\ClickToRun\\OfficeC2RClient.exe", "/frequentupdate SCHEDULEDTASK displaylevel=False"),
}
STARTUP = {"Send to OneNote.lnk": "C:\\Program Files\\Microsoft Office\\root\\Office16\\ONENOTEM.EXE"}


def task_xml(command: str, args: str) -> bytes:
    text = (
        '<?xml version="1.0" encoding="UTF-16"?>\r\n'
        '<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">'
        "<Settings><Enabled>true</Enabled></Settings>"
        f'<Actions Context="Author"><Exec><Command>{command}</Command><Arguments>{args.replace("&", "&amp;")}</Arguments></Exec></Actions></Task>'
    )
    return text.encode("utf-16")


def windows_ctx(make_ctx, extra_services=None, extra_tasks=None):
    tree = {key: dict(values) for key, values in RUN_VALUES.items()}
    for name, image in {**SERVICE_IMAGES, **(extra_services or {})}.items():
        tree[f"{SERVICES}\\{name}"] = {"ImagePath": image, "Start": 2}
    ctx = make_ctx(platform="windows", registry=FakeRegistry(tree), environ=WIN_ENV, processes=FakeProcesses([]))
    tasks = ctx.files.path("/C/Windows/System32/Tasks")
    for name, (command, args) in {**TASKS, **(extra_tasks or {})}.items():
        path = tasks.joinpath(*name.split("\\"))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(task_xml(command, args))
    startup = ctx.files.path("/C/Users/sam/AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Startup")
    startup.mkdir(parents=True)
    for name, target in STARTUP.items():
        (startup / name).write_bytes(make_lnk(target))
    return ctx


def test_ordinary_windows_start_up_places_raise_nothing_above_information(make_ctx):
    findings, limits = run_check(MonitoringInstalledCheck, windows_ctx(make_ctx))
    assert [(f.severity, f.title) for f in findings if f.severity is not Severity.INFO] == []
    assert not any("could not read" in m for m in limits)


def test_the_same_laptop_with_a_remote_access_service_and_a_temp_task_reports_both(make_ctx):
    ctx = windows_ctx(
        make_ctx,
        extra_services={"AnyDesk": '"C:\\Program Files (x86)\\AnyDesk\\AnyDesk.exe" --service'},
        extra_tasks={"Updater": ("C:\\Users\\sam\\AppData\\Local\\Temp\\x1\\svc.exe", "")},
    )
    findings, _ = run_check(MonitoringInstalledCheck, ctx)
    alarms = sorted((f.evidence.get("product") or f.title) for f in findings if f.severity is not Severity.INFO)
    assert alarms == ["A program in a temporary folder starts automatically", "anydesk"]


UBUNTU_XDG = {
    "gnome-keyring-secrets.desktop": "/usr/bin/gnome-keyring-daemon --start --components=secrets",
    "org.gnome.Software.desktop": "/usr/bin/gnome-software --gapplication-service",
    "org.gnome.SettingsDaemon.Sharing.desktop": "/usr/libexec/gsd-sharing",
    "org.gnome.SettingsDaemon.MediaKeys.desktop": "/usr/libexec/gsd-media-keys",
    "snap-userd-autostart.desktop": "/usr/bin/snap userd --autostart",
    "snapd-desktop-integration_snapd-desktop-integration.desktop": "/snap/bin/snapd-desktop-integration",
    "ubuntu-advantage-notification.desktop": "/usr/lib/ubuntu-advantage/apt-news-notification",
    "update-notifier.desktop": "update-notifier",
    "im-launch.desktop": 'sh -c \'if [ "x$XDG_SESSION_TYPE" = "xwayland" ] ; then exec env IM_CONFIG_CHECK_ENV=1 im-launch true; fi\'',
    "tracker-miner-fs-3.desktop": "/usr/libexec/tracker-miner-fs-3",
    "user-dirs-update-gtk.desktop": "xdg-user-dirs-gtk-update",
    "xdg-user-dirs.desktop": "xdg-user-dirs-update",
    "at-spi-dbus-bus.desktop": "/usr/libexec/at-spi-bus-launcher --launch-immediately",
}
USER_AUTOSTART = {
    "dropbox.desktop": "dropbox start -i",
    "slack.desktop": "/usr/bin/slack --startup %U",
    "discord.desktop": "/usr/share/discord/Discord",
}


def test_ordinary_ubuntu_autostart_raises_nothing_above_information(make_ctx):
    ctx = make_ctx(platform="linux", processes=FakeProcesses([]))
    for folder, entries in (("/etc/xdg/autostart", UBUNTU_XDG), ("~/.config/autostart", USER_AUTOSTART)):
        path = ctx.files.path(folder)
        path.mkdir(parents=True)
        for name, command in entries.items():
            (path / name).write_text(f"[Desktop Entry]\nType=Application\nName={name}\nExec={command}\n")
    findings, _ = run_check(MonitoringInstalledCheck, ctx)
    assert [(f.severity, f.title) for f in findings if f.severity is not Severity.INFO] == []
