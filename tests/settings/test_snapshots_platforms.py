"""Collect, then judge: the macOS, Windows and Linux location checks judged from snapshots built by
hand (no Context, no commands, no registry)."""

from __future__ import annotations

import pytest
from digisafe.checks.linux_location import LinuxLocationCheck
from digisafe.checks.mac_find_my import FindMyMacCheck
from digisafe.checks.mac_location import MacLocationServicesCheck
from digisafe.checks.mac_mdm import MacManagementCheck
from digisafe.checks.mac_remote_access import MacRemoteAccessCheck
from digisafe.checks.win_accounts import WindowsAccountsCheck
from digisafe.checks.win_location import WindowsPrivacyConsentCheck
from digisafe.checks.win_remote_access import WindowsRemoteAccessCheck

from digisafe.core.check import CheckSkipped
from digisafe.core.context import ListeningSocket, ProcessInfo, SocketListing
from digisafe.core.model import Finding, Limitation, Severity
from digisafe.settings.linux import PortalLocationGrant
from digisafe.settings.linux_location import LinuxLocationSnapshot
from digisafe.settings.macos import ConfigProfile, EnrollmentStatus, FindMyMac, ICloudAccount, LocationClient
from digisafe.settings.macos_collect import (
    FindMySnapshot,
    LocationSnapshot,
    MacRemoteSnapshot,
    ManagementSnapshot,
    ProfilesListing,
)
from digisafe.settings.windows_collect import RegistryCopy, WindowsSnapshot


def split(items):
    items = list(items)
    return [i for i in items if isinstance(i, Finding)], [i.message for i in items if isinstance(i, Limitation)]


def test_find_my_mac_judged_from_a_snapshot():
    mine = ICloudAccount("sam@example.org", services=("FIND_MY_MAC",), dsid="42")
    other = FindMySnapshot(find_my=FindMyMac(True, "alex@example.com", "Alex"), accounts=(mine,),
                           accounts_file="/Users/sam/Library/Preferences/MobileMeAccounts.plist")  # fmt: skip
    (finding,), limits = split(FindMyMacCheck().judge(other))
    assert finding.severity is Severity.HIGH and "alex@example.com" in finding.title and limits == []
    assert finding.evidence["icloud_accounts_here"] == ["sam@example.org"]
    same = FindMySnapshot(find_my=FindMyMac(True, "old@example.org", person_id="42"), accounts=(mine,))
    assert [f.severity for f in split(FindMyMacCheck().judge(same))[0]] == [Severity.INFO]  # same DSID
    off = FindMySnapshot(find_my=FindMyMac(False), accounts=(mine,))
    findings, (limit,) = split(FindMyMacCheck().judge(off))
    assert findings == [] and limit.startswith("iCloud says Find My Mac is on for sam@example.org but the "
                                               "firmware has no Find My token")  # fmt: skip
    with pytest.raises(CheckSkipped, match="nvram gave no readable output"):
        list(FindMyMacCheck().judge(FindMySnapshot(nvram_problem="nvram gave no readable output (exit 1)")))


def test_mac_management_judged_from_a_snapshot():
    enrolled = EnrollmentStatus(dep=True, mdm=True, user_approved=False, server="mdm.example.net")
    profile = ConfigProfile("_computerlevel", "com.example.proxy", "Proxy", "Example Ltd")
    snap = ManagementSnapshot(enrollment=enrolled, listings=(
        ProfilesListing("profiles list", (profile,)),
        ProfilesListing("profiles show -type configuration", (profile,)),
    ), device_wide_listed=True)  # fmt: skip
    findings, limits = split(MacManagementCheck().judge(snap))
    assert [f.severity for f in findings] == [Severity.HIGH, Severity.MEDIUM] and limits == []  # one profile, once
    assert "(DEP)" in findings[0].detail and findings[1].evidence["organization"] == "Example Ltd"
    unread = ManagementSnapshot(enrollment_output="profiles: not permitted",
                                listings=(ProfilesListing("profiles list", problem="it needs administrator rights"),))
    findings, limits = split(MacManagementCheck().judge(unread))
    assert findings == [] and len(limits) == 3 and "'profiles list' did not list profiles" in limits[2]
    with pytest.raises(CheckSkipped, match="profiles tool could not be run"):
        list(MacManagementCheck().judge(ManagementSnapshot(tool_problem="profiles is not installed")))


def test_mac_location_judged_from_a_snapshot():
    clients = (LocationClient("a", "com.apple.Maps", "/System/Applications/Maps.app", True, "always"),
               LocationClient("b", "com.spy.agent", "/Users/Shared/.agent/agent", True, "always"),
               LocationClient("c", "com.example.weird", "", None, "value 7"))  # fmt: skip
    snap = LocationSnapshot(clients=clients, enabled=True, clients_file="/var/db/locationd/clients.plist")
    findings, limits = split(MacLocationServicesCheck().judge(snap))
    assert [(f.severity, f.subject) for f in findings] == [
        (Severity.MEDIUM, "location permission com.spy.agent"), (Severity.INFO, "Location Services")]
    assert limits == ["the permission of com.example.weird could not be understood (value 7); check System "
                      "Settings > Privacy & Security > Location Services: it shows whether location is on and "
                      "which apps may use it"]  # fmt: skip
    assert split(MacLocationServicesCheck().judge(LocationSnapshot(clients=clients, enabled=False))) == ([], [])
    with pytest.raises(CheckSkipped):
        list(MacLocationServicesCheck().judge(LocationSnapshot(clients_problem="needs administrator rights")))


def test_mac_remote_access_judged_from_a_snapshot():
    snap = MacRemoteSnapshot(
        SocketListing((ListeningSocket("tcp", "0.0.0.0", 5900, 88, "screensharingd"),
                       ListeningSocket("tcp", "127.0.0.1", 22, 9, "sshd"))),
        processes=(ProcessInfo(88, "screensharingd", username="root"),),
        disabled={"com.apple.screensharing": False, "com.openssh.sshd": True}, disabled_source="disabled.plist",
        ard_settings={"file": "/Library/Preferences/com.apple.RemoteManagement.plist",
                      "VNCLegacyConnectionsEnabled": True, "Other": 1},
        ard_launchd_enabled=True, remote_login="Remote Login: On",
    )  # fmt: skip
    findings, limits = split(MacRemoteAccessCheck().judge(snap))
    by_name = {f.subject: f for f in findings}
    assert set(by_name) == {"Screen Sharing", "Remote Management (Apple Remote Desktop)", "Remote Login (SSH)"}
    assert len(by_name["Screen Sharing"].evidence["signals"]) == 3 and limits == []
    ard = by_name["Remote Management (Apple Remote Desktop)"].evidence
    assert ard["settings"] == {"file": "/Library/Preferences/com.apple.RemoteManagement.plist",
                               "VNCLegacyConnectionsEnabled": True} and "note" in ard  # fmt: skip
    assert by_name["Remote Login (SSH)"].evidence["systemsetup"] == "Remote Login: On"  # 127.0.0.1 did not count
    quiet = MacRemoteSnapshot(SocketListing((), complete=False, reason="hidden"), disabled_problem="no rights")
    assert split(MacRemoteAccessCheck().judge(quiet))[1][0].startswith("launchd's list")


CONSENT = r"HKCU\Software\Microsoft\Windows\CurrentVersion\CapabilityAccessManager\ConsentStore"


def test_windows_checks_judged_from_a_registry_copy():
    ts = r"HKLM\SYSTEM\CurrentControlSet\Control\Terminal Server"
    copy = RegistryCopy.from_tree({
        ts: {"fDenyTSConnections": 0},
        ts + r"\WinStations\RDP-Tcp": {"PortNumber": 3390, "UserAuthentication": 0},
        r"HKLM\SYSTEM\CurrentControlSet\Control\Remote Assistance": {"fAllowToGetHelp": 1, "fAllowFullControl": 1},
    })  # fmt: skip
    findings, limits = split(WindowsRemoteAccessCheck().judge(WindowsSnapshot(copy)))
    assert [f.severity for f in findings] == [Severity.HIGH, Severity.MEDIUM] and limits == []
    assert findings[0].evidence["PortNumber"] == 3390 and "Network Level Authentication is off" in findings[0].detail
    with pytest.raises(CheckSkipped):
        list(WindowsRemoteAccessCheck().judge(WindowsSnapshot(None)))

    accounts = RegistryCopy.from_tree({
        r"HKCU\Software\Microsoft\IdentityCRL\StoredIdentities\sam@example.org": {},
        r"HKLM\SOFTWARE\Microsoft\Settings\FindMyDevice": {"LocationSyncEnabled": 1},
        r"HKCU\Software\Microsoft\OneDrive\Accounts\Personal": {"UserEmail": "sam@example.org"},
        r"HKLM\SOFTWARE\Microsoft\Enrollments\{1}": {"UPN": "alex@corp.example", "ProviderID": "MS DM Server"},
    })  # fmt: skip
    snap = WindowsSnapshot(accounts, processes=(ProcessInfo(5, "WpcMon.exe", username="sam"),))
    findings, limits = split(WindowsAccountsCheck().judge(snap))
    assert [f.subject for f in findings] == ["Find My Device", "Microsoft account sam@example.org",
                                             "OneDrive Personal: sam@example.org", "Enrollment {1}", "WpcMon.exe"]
    assert findings[3].severity is Severity.HIGH and limits == []

    consent = RegistryCopy.from_tree({
        CONSENT.replace("HKCU", "HKLM") + r"\location": {"Value": "Allow"},
        CONSENT + r"\location": {"Value": "Allow"},
        CONSENT + r"\location\NonPackaged": {"Value": "Allow"},
        CONSENT + r"\location\NonPackaged\C:#Users#sam#AppData#Roaming#spy.exe": {
            "Value": "Allow", "LastUsedTimeStart": 133_000_000_000_000_000, "LastUsedTimeStop": 0},
    })  # fmt: skip
    findings, limits = split(WindowsPrivacyConsentCheck().judge(WindowsSnapshot(consent, checked_at=1_700_000_000)))
    spy = findings[0]
    assert spy.severity is Severity.MEDIUM and spy.evidence["app"].endswith("spy.exe") and "is using" in spy.title
    assert spy.evidence["checked_at"] == "2023-11-14T22:13:20Z" and findings[1].severity is Severity.LOW
    assert limits == ["only this Windows account's app permissions were read; other accounts have their own lists"]


def test_linux_location_judged_from_a_snapshot():
    conf = "[agent]\nwhitelist=geoclue-demo-agent;gnome-shell;evil-agent\n[spyapp]\nallowed=true\nsystem=false\n"
    snap = LinuxLocationSnapshot(
        gnome_enabled=True, accuracy="exact",
        geoclue_files=(("/etc/geoclue/geoclue.conf", conf),), geoclue_problems=("conf.d/x.conf cannot be read",),
        portal_store="/home/sam/.local/share/flatpak/db/location",
        portal_grants=(PortalLocationGrant("org.example.Tracker", "EXACT", 5),),
    )  # fmt: skip
    findings, limits = split(LinuxLocationCheck().judge(snap))
    titles = [f.title for f in findings]
    assert titles[0] == "Location Services are switched on for this desktop (as precise as 'exact')"
    assert "'spyapp' may read your location without ever asking" in titles
    assert "An extra program is trusted to approve location requests" in titles
    assert "'org.example.Tracker' is allowed to see your location" in titles
    assert limits == ["GeoClue configuration not read: conf.d/x.conf cannot be read"]
    with pytest.raises(CheckSkipped):
        list(LinuxLocationCheck().judge(LinuxLocationSnapshot(gnome_problem="gsettings is not installed")))
