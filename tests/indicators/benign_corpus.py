# ruff: noqa: E501 - long real-world paths are the point of this corpus
"""Ordinary processes of Windows, macOS and Linux in their proper folders, and everyday apps.
None of them may match an indicator or look like masquerading."""

from __future__ import annotations

W = "C:\\Windows\\System32\\"
WINDOWS = [
    (n, W + n)
    for n in (
        "smss.exe csrss.exe wininit.exe winlogon.exe services.exe lsass.exe svchost.exe taskhostw.exe "
        "sihost.exe dwm.exe ctfmon.exe RuntimeBroker.exe fontdrvhost.exe spoolsv.exe SearchIndexer.exe "
        "conhost.exe dllhost.exe SecurityHealthService.exe audiodg.exe smartscreen.exe Taskmgr.exe "
        "cmd.exe notepad.exe WUDFHost.exe dasHost.exe LogonUI.exe userinit.exe rundll32.exe msiexec.exe "
        "backgroundTaskHost.exe WerFault.exe consent.exe mstsc.exe"
    ).split()
] + [
    ("svchost.exe", "C:\\Windows\\SysWOW64\\svchost.exe"),
    ("explorer.exe", "C:\\Windows\\explorer.exe"),
    ("WmiPrvSE.exe", "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe"),
    ("powershell.exe", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"),
    ("MsMpEng.exe", "C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MsMpEng.exe"),
    ("NisSrv.exe", "C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\NisSrv.exe"),
    ("SearchHost.exe", "C:\\Windows\\SystemApps\\MicrosoftWindows.Client.CBS_cw5n1h2txyewy\\SearchHost.exe"),
    ("StartMenuExperienceHost.exe", "C:\\Windows\\SystemApps\\Microsoft.Windows.StartMenuExperienceHost_cw5n1h2txyewy\\StartMenuExperienceHost.exe"),
    ("chrome.exe", "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe"),
    ("msedge.exe", "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe"),
    ("msedgewebview2.exe", "C:\\Program Files (x86)\\Microsoft\\EdgeWebView\\Application\\130.0.2849.80\\msedgewebview2.exe"),
    ("firefox.exe", "C:\\Program Files\\Mozilla Firefox\\firefox.exe"),
    ("WINWORD.EXE", "C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE"),
    ("EXCEL.EXE", "C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE"),
    ("OUTLOOK.EXE", "C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE"),
    ("POWERPNT.EXE", "C:\\Program Files\\Microsoft Office\\root\\Office16\\POWERPNT.EXE"),
    ("OfficeClickToRun.exe", "C:\\Program Files\\Common Files\\Microsoft Shared\\ClickToRun\\OfficeClickToRun.exe"),
    ("ms-teams.exe", "C:\\Program Files\\WindowsApps\\MSTeams_24295.605.3225.8804_x64__8wekyb3d8bbwe\\ms-teams.exe"),
    ("Teams.exe", "C:\\Users\\alice\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe"),
    ("Zoom.exe", "C:\\Users\\alice\\AppData\\Roaming\\Zoom\\bin\\Zoom.exe"),
    ("slack.exe", "C:\\Users\\alice\\AppData\\Local\\slack\\app-4.41.97\\slack.exe"),
    ("Dropbox.exe", "C:\\Program Files (x86)\\Dropbox\\Client\\Dropbox.exe"),
    ("OneDrive.exe", "C:\\Users\\alice\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe"),
    ("Spotify.exe", "C:\\Users\\alice\\AppData\\Roaming\\Spotify\\Spotify.exe"),
    ("steam.exe", "C:\\Program Files (x86)\\Steam\\steam.exe"),
    ("steamwebhelper.exe", "C:\\Program Files (x86)\\Steam\\bin\\cef\\cef.win7x64\\steamwebhelper.exe"),
    ("Discord.exe", "C:\\Users\\alice\\AppData\\Local\\Discord\\app-1.0.9163\\Discord.exe"),
    ("WhatsApp.exe", "C:\\Program Files\\WindowsApps\\5319275A.WhatsAppDesktop_2.2440.9.0_x64__cv1g1gvanyjgm\\WhatsApp.exe"),
    ("Code.exe", "C:\\Users\\alice\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe"),
    ("AcroRd32.exe", "C:\\Program Files (x86)\\Adobe\\Acrobat Reader DC\\Reader\\AcroRd32.exe"),
    ("vlc.exe", "C:\\Program Files\\VideoLAN\\VLC\\vlc.exe"),
    ("GoogleDriveFS.exe", "C:\\Program Files\\Google\\Drive File Stream\\97.0.1.0\\GoogleDriveFS.exe"),
    ("nvcontainer.exe", "C:\\Program Files\\NVIDIA Corporation\\NvContainer\\nvcontainer.exe"),
    ("iTunes.exe", "C:\\Program Files\\iTunes\\iTunes.exe"),
    ("Skype.exe", "C:\\Program Files (x86)\\Microsoft\\Skype for Desktop\\Skype.exe"),
    ("PhoneExperienceHost.exe", "C:\\Program Files\\WindowsApps\\Microsoft.YourPhone_1.24092.211.0_x64__8wekyb3d8bbwe\\PhoneExperienceHost.exe"),
    ("KeePass.exe", "C:\\Program Files\\KeePass Password Safe 2\\KeePass.exe"),
    ("python.exe", "C:\\Users\\alice\\AppData\\Local\\Programs\\Python\\Python312\\python.exe"),
    ("node.exe", "C:\\Program Files\\nodejs\\node.exe"),
    ("winpty-agent.exe", "C:\\Users\\alice\\AppData\\Local\\Programs\\Microsoft VS Code\\resources\\app\\node_modules\\node-pty\\build\\Release\\winpty-agent.exe"),
    ("Setup.exe", "C:\\Users\\alice\\Downloads\\Setup.exe"),
    ("update.exe", "C:\\Users\\alice\\AppData\\Local\\Discord\\Update.exe"),
]

CORE = "/System/Library/Frameworks/CoreServices.framework/Versions/A/Frameworks/"
DARWIN = [
    ("launchd", "/sbin/launchd"),
    ("kernel_task", None),
    ("WindowServer", "/System/Library/PrivateFrameworks/SkyLight.framework/Versions/A/Resources/WindowServer"),
    ("loginwindow", "/System/Library/CoreServices/loginwindow.app/Contents/MacOS/loginwindow"),
    ("Finder", "/System/Library/CoreServices/Finder.app/Contents/MacOS/Finder"),
    ("Dock", "/System/Library/CoreServices/Dock.app/Contents/MacOS/Dock"),
    ("SystemUIServer", "/System/Library/CoreServices/SystemUIServer.app/Contents/MacOS/SystemUIServer"),
    ("mds", CORE + "Metadata.framework/Versions/A/Support/mds"),
    ("mds_stores", "/System/Library/Frameworks/CoreServices.framework/Frameworks/Metadata.framework/Support/mds_stores"),
    ("mdworker_shared", CORE + "Metadata.framework/Versions/A/Support/mdworker_shared"),
    ("fseventsd", CORE + "FSEvents.framework/Versions/A/Support/fseventsd"),
    ("tccd", "/System/Library/PrivateFrameworks/TCC.framework/Support/tccd"),
    ("cfprefsd", "/usr/sbin/cfprefsd"),
    ("trustd", "/usr/libexec/trustd"),
    ("securityd", "/usr/sbin/securityd"),
    ("syspolicyd", "/usr/libexec/syspolicyd"),
    ("coreaudiod", "/usr/sbin/coreaudiod"),
    ("distnoted", "/usr/sbin/distnoted"),
    ("configd", "/usr/libexec/configd"),
    ("notifyd", "/usr/sbin/notifyd"),
    ("opendirectoryd", "/usr/libexec/opendirectoryd"),
    ("UserEventAgent", "/usr/libexec/UserEventAgent"),
    ("syslogd", "/usr/sbin/syslogd"),
    ("logd", "/usr/libexec/logd"),
    ("Google Chrome", "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"),
    ("Safari", "/System/Volumes/Preboot/Cryptexes/App/System/Applications/Safari.app/Contents/MacOS/Safari"),
    ("firefox", "/Applications/Firefox.app/Contents/MacOS/firefox"),
    ("Microsoft Word", "/Applications/Microsoft Word.app/Contents/MacOS/Microsoft Word"),
    ("Microsoft Excel", "/Applications/Microsoft Excel.app/Contents/MacOS/Microsoft Excel"),
    ("MSTeams", "/Applications/Microsoft Teams.app/Contents/MacOS/MSTeams"),
    ("zoom.us", "/Applications/zoom.us.app/Contents/MacOS/zoom.us"),
    ("Slack", "/Applications/Slack.app/Contents/MacOS/Slack"),
    ("Dropbox", "/Applications/Dropbox.app/Contents/MacOS/Dropbox"),
    ("OneDrive", "/Applications/OneDrive.app/Contents/MacOS/OneDrive"),
    ("Spotify", "/Applications/Spotify.app/Contents/MacOS/Spotify"),
    ("steam_osx", "/Users/alice/Library/Application Support/Steam/Steam.AppBundle/Steam/Contents/MacOS/steam_osx"),
    ("Messages", "/System/Applications/Messages.app/Contents/MacOS/Messages"),
    ("Mail", "/System/Applications/Mail.app/Contents/MacOS/Mail"),
    ("Photos", "/System/Applications/Photos.app/Contents/MacOS/Photos"),
    ("Code Helper", "/Applications/Visual Studio Code.app/Contents/Frameworks/Code Helper.app/Contents/MacOS/Code Helper"),
]

LINUX = [
    ("systemd", "/usr/lib/systemd/systemd"),
    ("systemd", "/lib/systemd/systemd"),
    ("systemd-journald", "/usr/lib/systemd/systemd-journald"),
    ("systemd-logind", "/usr/lib/systemd/systemd-logind"),
    ("systemd-udevd", "/usr/bin/udevadm"),  # NOTE: a symlink on Debian/Ubuntu
    ("systemd-resolved", "/usr/lib/systemd/systemd-resolved"),
    ("kthreadd", ""),
    ("kworker/0:1H-kblockd", ""),
    ("ksoftirqd/0", None),
    ("migration/3", ""),
    ("rcu_preempt", ""),
    ("sshd", "/usr/sbin/sshd"),
    ("cron", "/usr/sbin/cron"),
    ("dbus-daemon", "/usr/bin/dbus-daemon"),
    ("NetworkManager", "/usr/sbin/NetworkManager"),
    ("gdm3", "/usr/sbin/gdm3"),
    ("gnome-shell", "/usr/bin/gnome-shell"),
    ("Xwayland", "/usr/bin/Xwayland"),
    ("Xorg", "/usr/lib/xorg/Xorg"),
    ("pipewire", "/usr/bin/pipewire"),
    ("pulseaudio", "/usr/bin/pulseaudio"),
    ("bash", "/usr/bin/bash"),
    ("python3", "/usr/bin/python3.12"),
    ("firefox", "/snap/firefox/5187/usr/lib/firefox/firefox"),
    ("firefox-bin", "/usr/lib/firefox/firefox-bin"),
    ("chrome", "/opt/google/chrome/chrome"),
    ("code", "/usr/share/code/code"),
    ("slack", "/usr/lib/slack/slack"),
    ("zoom", "/opt/zoom/zoom"),
    ("spotify", "/snap/spotify/80/usr/share/spotify/spotify"),
    ("steam", "/home/alice/.local/share/Steam/ubuntu12_32/steam"),
    ("dropbox", "/home/alice/.dropbox-dist/dropbox-lnx.x86_64-210.4.5839/dropbox"),
    ("thunderbird", "/usr/lib/thunderbird/thunderbird"),
    ("teams-for-linux", "/opt/teams-for-linux/teams-for-linux"),
    ("onedrive", "/usr/bin/onedrive"),
    ("signal-desktop", "/opt/Signal/signal-desktop"),
]

CORPUS = {"windows": WINDOWS, "darwin": DARWIN, "linux": LINUX}

EVERYDAY_HOSTS = [
    "www.google.com", "mail.google.com", "teams.microsoft.com", "login.microsoftonline.com", "zoom.us",
    "us02web.zoom.us", "slack.com", "app.slack.com", "www.dropbox.com", "onedrive.live.com",
    "open.spotify.com", "store.steampowered.com", "github.com", "s3.amazonaws.com",
    "mybucket.s3.amazonaws.com", "firebaseio.com", "other-project.firebaseio.com", "www.bbc.co.uk",
    "www.facebook.com", "web.whatsapp.com", "www.apple.com", "icloud.com", "zoho.com", "mail.zoho.com",
    "login.tailscale.com", "cdn.discordapp.com", "8.8.8.8", "1.1.1.1",
]  # fmt: skip
