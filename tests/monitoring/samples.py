"""Process listings as the real tools write them, and benign everyday process sets per OS."""
# ruff: noqa: E501

from __future__ import annotations

from digisafe.core.context import ProcessInfo

# `tasklist /v /fo csv` on an English Windows 11 (values as Windows prints them).
TASKLIST_EN = (
    '"Image Name","PID","Session Name","Session#","Mem Usage","Status","User Name","CPU Time","Window Title"\r\n'
    '"System Idle Process","0","Services","0","8 K","Unknown","NT AUTHORITY\\SYSTEM","12:01:02","N/A"\r\n'
    '"csrss.exe","612","Console","1","5,312 K","Running","N/A","0:00:03","N/A"\r\n'
    '"explorer.exe","4120","Console","1","142,004 K","Running","LAPTOP\\sam","0:01:10","N/A"\r\n'
    '"spcviewer.exe","5120","Console","1","12,004 K","Running","LAPTOP\\sam","0:00:10","SentryPC, ""viewer"""\r\n'
)
# The same on a German Windows: translated headers, same column order.
TASKLIST_DE = (
    '"Abbildname","PID","Sitzungsname","Sitz.-Nr.","Speichernutzung","Status","Benutzername","CPU-Zeit",'
    '"Fenstertitel"\r\n'
    '"explorer.exe","4120","Console","1","142.004 K","Wird ausgeführt","LAPTOP\\sam","0:01:10","Nicht zutreffend"\r\n'
    '"TeamViewer.exe","6001","Console","1","52.000 K","Wird ausgeführt","LAPTOP\\sam","0:00:10","TeamViewer"\r\n'
)
# Get-CimInstance Win32_Process | Select-Object ProcessId,Name,ExecutablePath,CommandLine | Export-Csv x.csv
# (Windows PowerShell 5.1 writes the #TYPE line unless -NoTypeInformation is given).
CIM_CSV = (
    "#TYPE Selected.Microsoft.Management.Infrastructure.CimInstance\r\n"
    '"ProcessId","Name","ExecutablePath","CommandLine"\r\n'
    '"0","System Idle Process",,\r\n'
    '"4","System",,\r\n'
    '"612","csrss.exe",,\r\n'
    '"7712","csrss.exe","C:\\ProgramData\\spc\\csrss.exe","""C:\\ProgramData\\spc\\csrss.exe"" -k run, quietly"\r\n'
    '"6420","chrome.exe","C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",'
    '"""C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe"" --type=renderer\n --lang=en-GB"\r\n'
)
# macOS `ps -axo pid,user,comm,args`: comm is the full path and may contain spaces.
PS_MACOS = (
    "  PID USER             COMM                                                             ARGS\n"
    "    1 root             /sbin/launchd                                                    /sbin/launchd\n"
    "  380 _windowserver    /System/Library/PrivateFrameworks/SkyLight.framework/Resources/WindowServer "
    "/System/Library/PrivateFrameworks/SkyLight.framework/Resources/WindowServer -daemon\n"
    "  912 sam              /Applications/Google Chrome.app/Contents/MacOS/Google Chrome     "
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome --flag\n"
    "  990 sam              /Applications/TeamViewer.app/Contents/MacOS/TeamViewer           "
    "/Applications/TeamViewer.app/Contents/MacOS/TeamViewer\n"
)


def p(pid: int, name: str, exe: str | None, user: str | None = "sam", *args: str) -> ProcessInfo:
    return ProcessInfo(pid, name, exe, (exe or name, *args), user, 1_700_000_000.0, 1)


def windows_benign() -> list[ProcessInfo]:
    s32 = "C:\\Windows\\System32\\"
    rows = [
        ProcessInfo(4, "System", None, (), "NT AUTHORITY\\SYSTEM"),
        p(400, "smss.exe", s32 + "smss.exe", "NT AUTHORITY\\SYSTEM"),
        p(612, "csrss.exe", s32 + "csrss.exe", "NT AUTHORITY\\SYSTEM"),
        p(700, "wininit.exe", s32 + "wininit.exe", "NT AUTHORITY\\SYSTEM"),
        p(720, "services.exe", s32 + "services.exe", "NT AUTHORITY\\SYSTEM"),
        p(730, "lsass.exe", s32 + "lsass.exe", "NT AUTHORITY\\SYSTEM"),
        p(800, "svchost.exe", s32 + "svchost.exe", "NT AUTHORITY\\SYSTEM", "-k", "netsvcs"),
        p(801, "svchost.exe", "C:\\Windows\\SysWOW64\\svchost.exe", "NT AUTHORITY\\SYSTEM"),
        p(900, "dwm.exe", s32 + "dwm.exe", "Window Manager\\DWM-1"),
        p(950, "winlogon.exe", s32 + "winlogon.exe", "NT AUTHORITY\\SYSTEM"),
        p(1000, "explorer.exe", "C:\\Windows\\explorer.exe"),
        p(1010, "RuntimeBroker.exe", s32 + "RuntimeBroker.exe"),
        p(1020, "MsMpEng.exe", "C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MsMpEng.exe"),
        p(1030, "SearchIndexer.exe", s32 + "SearchIndexer.exe"),
        p(1040, "taskhostw.exe", s32 + "taskhostw.exe"),
        p(1050, "ctfmon.exe", s32 + "ctfmon.exe"),
        p(2000, "chrome.exe", "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe"),
        p(2001, "msedge.exe", "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe"),
        p(2002, "firefox.exe", "C:\\Program Files\\Mozilla Firefox\\firefox.exe"),
        p(2003, "WINWORD.EXE", "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE"),
        p(2004, "OUTLOOK.EXE", "C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE"),
        p(2005, "ms-teams.exe", "C:\\Program Files\\WindowsApps\\MSTeams_24295.605.3225.8804_x64__8wekyb3d8bbwe\\ms-teams.exe"),
        p(2006, "Zoom.exe", "C:\\Users\\sam\\AppData\\Roaming\\Zoom\\bin\\Zoom.exe"),
        p(2007, "slack.exe", "C:\\Users\\sam\\AppData\\Local\\slack\\app-4.41.105\\slack.exe"),
        p(2008, "Dropbox.exe", "C:\\Program Files (x86)\\Dropbox\\Client\\Dropbox.exe"),
        p(2009, "OneDrive.exe", "C:\\Users\\sam\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe"),
        p(2010, "Spotify.exe", "C:\\Users\\sam\\AppData\\Roaming\\Spotify\\Spotify.exe"),
        p(2011, "steam.exe", "C:\\Program Files (x86)\\Steam\\steam.exe"),
        p(2012, "Discord.exe", "C:\\Users\\sam\\AppData\\Local\\Discord\\app-1.0.9170\\Discord.exe"),
        p(2013, "WhatsApp.exe", "C:\\Program Files\\WindowsApps\\5319275A.WhatsAppDesktop_2.2440.9.0_x64__cv1g1gvanyjgm\\WhatsApp.exe"),
        p(2014, "conhost.exe", s32 + "conhost.exe"),
        p(2015, "powershell.exe", s32 + "WindowsPowerShell\\v1.0\\powershell.exe"),
    ]
    return rows


def darwin_benign() -> list[ProcessInfo]:
    return [
        ProcessInfo(0, "kernel_task", None, (), "root"),
        p(1, "launchd", "/sbin/launchd", "root"),
        p(100, "WindowServer", "/System/Library/PrivateFrameworks/SkyLight.framework/Resources/WindowServer", "_windowserver"),
        p(101, "loginwindow", "/System/Library/CoreServices/loginwindow.app/Contents/MacOS/loginwindow"),
        p(102, "Finder", "/System/Library/CoreServices/Finder.app/Contents/MacOS/Finder"),
        p(103, "Dock", "/System/Library/CoreServices/Dock.app/Contents/MacOS/Dock"),
        p(104, "mds", "/System/Library/Frameworks/CoreServices.framework/Frameworks/Metadata.framework/Support/mds", "root"),
        p(105, "tccd", "/System/Library/PrivateFrameworks/TCC.framework/Support/tccd"),
        p(106, "cfprefsd", "/usr/sbin/cfprefsd"),
        p(107, "trustd", "/usr/libexec/trustd"),
        p(200, "Safari", "/Applications/Safari.app/Contents/MacOS/Safari"),
        p(201, "Google Chrome", "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"),
        p(202, "Microsoft Word", "/Applications/Microsoft Word.app/Contents/MacOS/Microsoft Word"),
        p(203, "MSTeams", "/Applications/Microsoft Teams.app/Contents/MacOS/MSTeams"),
        p(204, "zoom.us", "/Applications/zoom.us.app/Contents/MacOS/zoom.us"),
        p(205, "Slack", "/Applications/Slack.app/Contents/MacOS/Slack"),
        p(206, "Dropbox", "/Applications/Dropbox.app/Contents/MacOS/Dropbox"),
        p(207, "Spotify", "/Applications/Spotify.app/Contents/MacOS/Spotify"),
        p(208, "steam_osx", "/Users/sam/Library/Application Support/Steam/Steam.AppBundle/Steam/Contents/MacOS/steam_osx"),
        p(209, "OneDrive", "/Applications/OneDrive.app/Contents/MacOS/OneDrive"),
    ]


def linux_benign() -> list[ProcessInfo]:
    return [
        p(1, "systemd", "/usr/lib/systemd/systemd", "root", "--system"),
        ProcessInfo(2, "kthreadd", None, (), "root"),
        ProcessInfo(3, "kworker/0:1-events", None, (), "root"),
        p(400, "systemd-journal", "/usr/lib/systemd/systemd-journald", "root"),
        p(500, "NetworkManager", "/usr/sbin/NetworkManager", "root"),
        p(600, "gnome-shell", "/usr/bin/gnome-shell"),
        p(601, "Xwayland", "/usr/bin/Xwayland"),
        p(602, "pipewire", "/usr/bin/pipewire"),
        p(700, "firefox", "/usr/lib/firefox/firefox"),
        p(701, "Web Content", "/usr/lib/firefox/firefox", "sam", "-contentproc"),
        p(702, "chrome", "/opt/google/chrome/chrome"),
        p(703, "slack", "/usr/lib/slack/slack"),
        p(704, "zoom", "/opt/zoom/zoom"),
        p(705, "spotify", "/snap/spotify/80/usr/share/spotify/spotify"),
        p(706, "steam", "/home/sam/.local/share/Steam/ubuntu12_32/steam"),
        p(707, "dropbox", "/home/sam/.dropbox-dist/dropbox-lnx.x86_64-210.4.5437/dropbox"),
        p(708, "teams-for-linux", "/opt/teams-for-linux/teams-for-linux"),
        p(709, "code", "/usr/share/code/code"),
    ]
