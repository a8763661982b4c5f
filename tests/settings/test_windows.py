from __future__ import annotations

from datetime import datetime, timezone

import pytest
from digisafe.checks.win_accounts import WindowsAccountsCheck
from digisafe.checks.win_location import WindowsPrivacyConsentCheck
from digisafe.checks.win_remote_access import WindowsRemoteAccessCheck

from digisafe.core.check import CheckSkipped
from digisafe.core.context import ProcessInfo
from digisafe.core.model import Finding, Limitation, Severity
from digisafe.settings import filetime_to_iso
from digisafe.settings.windows import parse_net_list, read_consent
from tests.fakes import FakeProcesses, FakeRegistry

CS = r"SOFTWARE\Microsoft\Windows\CurrentVersion\CapabilityAccessManager\ConsentStore"
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=timezone.utc).timestamp()


def filetime(moment: datetime) -> int:
    """100-ns ticks since 1601-01-01 UTC, computed independently of the code under test."""
    return int((moment.timestamp() + 11644473600) * 10_000_000)


START = filetime(datetime(2026, 11, 19, 21, 30, 5, tzinfo=timezone.utc))
STOP = filetime(datetime(2026, 11, 19, 21, 45, 0, tzinfo=timezone.utc))


def run(check, ctx):
    items = list(check.run(ctx))
    return [i for i in items if isinstance(i, Finding)], [i.message for i in items if isinstance(i, Limitation)]


def consent_tree(device="Allow", user="Allow", desktop="Allow") -> dict:
    return {
        rf"HKLM\{CS}\location": {"Value": device},
        rf"HKCU\{CS}\location": {"Value": user},
        rf"HKCU\{CS}\location\NonPackaged": {"Value": desktop},
        rf"HKCU\{CS}\location\NonPackaged\C:#Users#sam#AppData#Roaming#svc#svchelper.exe": {
            "LastUsedTimeStart": START, "LastUsedTimeStop": STOP},
        rf"HKCU\{CS}\location\NonPackaged\C:#Program Files#Maps#maps.exe": {
            "LastUsedTimeStart": START, "LastUsedTimeStop": 0},
        rf"HKCU\{CS}\location\Microsoft.WindowsMaps_8wekyb3d8bbwe": {"Value": "Allow"},
        rf"HKCU\{CS}\location\Contoso.Weather_abc123": {"Value": "Allow"},
        rf"HKCU\{CS}\location\Contoso.Old_abc123": {"Value": "Deny"},
        rf"HKLM\{CS}\webcam": {"Value": "Deny"},
        rf"HKCU\{CS}\webcam\NonPackaged\C:#Temp#cam.exe": {"LastUsedTimeStart": START, "LastUsedTimeStop": STOP},
    }


def test_filetime_conversion():
    assert filetime_to_iso(START) == "2026-11-19T21:30:05Z"
    assert filetime_to_iso(0) is None and filetime_to_iso(START.to_bytes(8, "little")) == "2026-11-19T21:30:05Z"
    assert filetime_to_iso(2**63) is None


def test_read_consent_unmangles_desktop_paths():
    consent = read_consent(FakeRegistry(consent_tree()), "location")
    names = {a.name for a in consent.apps if a.desktop}
    assert names == {r"C:\Users\sam\AppData\Roaming\svc\svchelper.exe", r"C:\Program Files\Maps\maps.exe"}
    maps = next(a for a in consent.apps if a.name.endswith("maps.exe"))
    assert maps.in_use and maps.last_stop is None


def test_location_apps_reported_with_times(make_ctx):
    ctx = make_ctx(platform="windows", registry=FakeRegistry(consent_tree()), now=lambda: NOW)
    findings, limits = run(WindowsPrivacyConsentCheck(), ctx)
    by_app = {f.evidence.get("app"): f for f in findings if "app" in f.evidence}
    assert set(by_app) == {r"C:\Users\sam\AppData\Roaming\svc\svchelper.exe", r"C:\Program Files\Maps\maps.exe",
                           "Contoso.Weather_abc123"}
    helper = by_app[r"C:\Users\sam\AppData\Roaming\svc\svchelper.exe"]
    assert helper.severity is Severity.MEDIUM
    assert helper.evidence["LastUsedTimeStart"] == "2026-11-19T21:30:05Z"
    assert helper.evidence["LastUsedTimeStop"] == "2026-11-19T21:45:00Z"
    assert "is using" in by_app[r"C:\Program Files\Maps\maps.exe"].title
    assert by_app["Contoso.Weather_abc123"].severity is Severity.LOW
    summary = next(f for f in findings if f.subject == r"ConsentStore\location")
    assert summary.evidence["windows_apps"] == ["Microsoft.WindowsMaps_8wekyb3d8bbwe"]
    assert summary.guidance == "location-sharing"
    assert not any("webcam" in f.subject for f in findings)  # camera is denied for the device
    assert limits and "only this Windows account" in limits[0]


def test_location_denied_reports_nothing(make_ctx):
    ctx = make_ctx(platform="windows", registry=FakeRegistry(consent_tree(device="Deny")))
    findings, _ = run(WindowsPrivacyConsentCheck(), ctx)
    assert findings == []


def test_policy_forcing_location_is_reported(make_ctx):
    tree = consent_tree(user="Deny")
    tree[r"HKLM\SOFTWARE\Policies\Microsoft\Windows\AppPrivacy"] = {"LetAppsAccessLocation": 1}
    findings, _ = run(WindowsPrivacyConsentCheck(), make_ctx(platform="windows", registry=FakeRegistry(tree)))
    assert findings[0].title == "A management policy forces apps to have location access"


def test_no_consent_store_is_skipped(make_ctx):
    with pytest.raises(CheckSkipped):
        run(WindowsPrivacyConsentCheck(), make_ctx(platform="windows"))
    with pytest.raises(CheckSkipped):
        run(WindowsPrivacyConsentCheck(), make_ctx(platform="windows", registry=None))


def test_odd_registry_types_do_not_crash(make_ctx):
    tree = {rf"HKLM\{CS}\location": {"Value": b"A\x00l\x00l\x00o\x00w\x00"},
            rf"HKCU\{CS}\location\NonPackaged\C:#x.exe": {"LastUsedTimeStart": "junk", "LastUsedTimeStop": [1]}}
    findings, _ = run(WindowsPrivacyConsentCheck(), make_ctx(platform="windows", registry=FakeRegistry(tree)))
    assert any(f.evidence.get("device") == "Allow" for f in findings)


# ---- accounts --------------------------------------------------------------------------------

def accounts_tree() -> dict:
    return {
        r"HKLM\SOFTWARE\Microsoft\MdmCommon\SettingValues": {"LocationSyncEnabled": 1},
        r"HKCU\Software\Microsoft\IdentityCRL\StoredIdentities\alex@outlook.com": {},
        r"HKCU\Software\Microsoft\IdentityCRL\UserExtendedProperties\alex@outlook.com": {"Cid": "x"},
        r"HKCU\Software\Microsoft\OneDrive\Accounts\Personal": {"UserEmail": "alex@outlook.com",
                                                                 "UserFolder": r"C:\Users\sam\OneDrive"},
        r"HKCU\Software\Microsoft\OneDrive\Accounts\Business1": {"UserEmail": "sam@corp.example", "Business": 1},
        r"HKLM\SOFTWARE\Microsoft\Enrollments\Context": {},
        r"HKLM\SOFTWARE\Microsoft\Enrollments\Ownership": {},
        r"HKLM\SOFTWARE\Microsoft\Enrollments\8A2B-11\FirstSync": {},
        r"HKLM\SOFTWARE\Microsoft\Enrollments\5F1C-22": {"UPN": "sam@corp.example", "ProviderID": "MS DM Server",
                                                          "EnrollmentType": 6, "EnrollmentState": 1},
        r"HKLM\SOFTWARE\Microsoft\PolicyManager\Providers\5F1C-22\default": {},
    }


def test_accounts_find_my_onedrive_and_mdm(make_ctx):
    procs = FakeProcesses([ProcessInfo(pid=9, name="WpcMon.exe")])
    ctx = make_ctx(platform="windows", registry=FakeRegistry(accounts_tree()), processes=procs)
    findings, limits = run(WindowsAccountsCheck(), ctx)
    titles = [f.title for f in findings]
    assert titles[0] == ("Find My Device is on: anyone who knows the password of alex@outlook.com can see where "
                         "this laptop is")
    assert findings[0].guidance == "location-sharing"
    assert sum("Microsoft account alex@outlook.com" in t for t in titles) == 1
    assert any("OneDrive copies files from this laptop to sam@corp.example (work or school)" == t for t in titles)
    mdm = next(f for f in findings if f.subject.startswith("Enrollment"))
    assert mdm.severity is Severity.HIGH and mdm.evidence["mdm_providers"] == ["5F1C-22"]
    assert sum(f.subject.startswith("Enrollment") for f in findings) == 1  # bookkeeping keys ignored
    assert any("Family Safety" in t for t in titles)
    assert limits == []


def test_find_my_off_and_policy_precedence(make_ctx):
    tree = accounts_tree()
    tree[r"HKLM\SOFTWARE\Policies\Microsoft\FindMyDevice"] = {"AllowFindMyDevice": 0}
    findings, limits = run(WindowsAccountsCheck(), make_ctx(platform="windows", registry=FakeRegistry(tree)))
    assert not any(f.subject == "Find My Device" for f in findings)
    # The policy was read (not "setting not found") and the rest of the check still ran.
    assert limits == []
    assert any(f.subject == "Microsoft account alex@outlook.com" for f in findings)


def test_find_my_unknown_is_a_limitation(make_ctx):
    findings, limits = run(WindowsAccountsCheck(), make_ctx(platform="windows", registry=FakeRegistry({})))
    assert findings == [] and "Find my device" in limits[0]


def test_entra_join(make_ctx):
    tree = {r"HKLM\SYSTEM\CurrentControlSet\Control\CloudDomainJoin\JoinInfo\ABCDEF": {
        "UserEmail": "sam@corp.example", "TenantId": "t-1"}}
    findings, _ = run(WindowsAccountsCheck(), make_ctx(platform="windows", registry=FakeRegistry(tree)))
    assert findings[0].evidence["TenantId"] == "t-1"


# ---- remote access ---------------------------------------------------------------------------

TS = r"HKLM\SYSTEM\CurrentControlSet\Control\Terminal Server"


def test_rdp_on_with_nla_off_and_custom_port(make_ctx):
    tree = {TS: {"fDenyTSConnections": 0}, TS + r"\WinStations\RDP-Tcp": {"PortNumber": 3390, "UserAuthentication": 0},
            r"HKLM\SYSTEM\CurrentControlSet\Control\Remote Assistance": {"fAllowToGetHelp": 1, "fAllowFullControl": 1}}
    findings, limits = run(WindowsRemoteAccessCheck(), make_ctx(platform="windows", registry=FakeRegistry(tree)))
    rdp, ra = findings
    assert rdp.severity is Severity.HIGH and rdp.evidence["PortNumber"] == 3390
    assert "Network Level Authentication is off" in rdp.detail
    assert ra.severity is Severity.MEDIUM and limits == []


def test_rdp_off_and_assistance_off(make_ctx):
    tree = {TS: {"fDenyTSConnections": 1},
            r"HKLM\SYSTEM\CurrentControlSet\Control\Remote Assistance": {"fAllowToGetHelp": 0}}
    assert run(WindowsRemoteAccessCheck(), make_ctx(platform="windows", registry=FakeRegistry(tree))) == ([], [])


def test_policy_overrides_local_rdp_setting(make_ctx):
    tree = {TS: {"fDenyTSConnections": 1},
            r"HKLM\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services": {"fDenyTSConnections": 0},
            r"HKLM\SYSTEM\CurrentControlSet\Control\Remote Assistance": {"fAllowToGetHelp": 0}}
    [f], _ = run(WindowsRemoteAccessCheck(), make_ctx(platform="windows", registry=FakeRegistry(tree)))
    assert "policy" in f.detail


def test_unreadable_rdp_settings_are_limitations(make_ctx):
    findings, limits = run(WindowsRemoteAccessCheck(), make_ctx(platform="windows", registry=FakeRegistry({})))
    assert findings == [] and len(limits) == 2


# ---- net user / net localgroup ---------------------------------------------------------------

NET_USER = """
User accounts for \\\\DESKTOP-1

-------------------------------------------------------------------------------
Administrator            DefaultAccount           Guest
Sam Jones                alex                     WDAGUtilityAccount
The command completed successfully.

"""
NET_ADMINS = """Alias name     Administrators
Comment        Administrators have complete and unrestricted access to the computer/domain

Members

-------------------------------------------------------------------------------
Administrator
DESKTOP-1\\alex
AzureAD\\SamJones
Der Befehl wurde erfolgreich ausgeführt.
"""


def test_net_lists():
    assert parse_net_list(NET_USER) == ["Administrator", "DefaultAccount", "Guest", "Sam Jones", "alex",
                                        "WDAGUtilityAccount"]
    assert parse_net_list(NET_ADMINS) == ["Administrator", "DESKTOP-1\\alex", "AzureAD\\SamJones"]
    assert parse_net_list("no dashes here") == []
