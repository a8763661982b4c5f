from __future__ import annotations

import plistlib

import pytest
from digisafe.checks.mac_find_my import FindMyMacCheck
from digisafe.checks.mac_location import MacLocationServicesCheck
from digisafe.checks.mac_mdm import MacManagementCheck
from digisafe.checks.mac_remote_access import MacRemoteAccessCheck
from hypothesis import given, settings
from hypothesis import strategies as st

from digisafe.core.check import CheckSkipped
from digisafe.core.context import CommandResult, ListeningSocket, ProcessInfo
from digisafe.core.model import Finding, Limitation, Severity
from digisafe.settings.macos import (
    parse_enrollment_status,
    parse_find_my,
    parse_nvram_xml,
    parse_print_disabled,
    parse_profiles_list,
)
from tests.fakes import FakeCommands, FakeNetwork, FakeProcesses


def run(check, ctx):
    items = list(check.run(ctx))
    return [i for i in items if isinstance(i, Finding)], [i.message for i in items if isinstance(i, Limitation)]


def nvram_text(account: str | None, computer: str = "Sam's MacBook") -> str:
    """What `nvram -x -p` prints: an XML plist of variable -> data, the token itself a binary plist."""
    variables = {"SystemAudioVolume": b"\x2f", "fmm-computer-name": computer.encode()}
    if account is not None:
        token = {"username": account, "authToken": "SECRET-TOKEN", "personID": "123456",
                 "userInfo": {"InUseOwnerFirstName": "Alex", "InUseOwnerLastName": "Other"}}
        variables["fmm-mobileme-token-FMM"] = plistlib.dumps(token, fmt=plistlib.FMT_BINARY)
    return plistlib.dumps(variables).decode()


def write_plist(path, data, fmt=plistlib.FMT_XML) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        plistlib.dump(data, handle, fmt=fmt)


def mobileme(tmp_path, account: str, find_my: bool = True) -> None:
    write_plist(tmp_path / "home/Library/Preferences/MobileMeAccounts.plist", {"Accounts": [{
        "AccountID": account, "DisplayName": "Sam", "LoggedIn": True,
        "Services": [{"Name": "MOBILE_DOCUMENTS", "Enabled": True},
                     {"Name": "FIND_MY_MAC", "Enabled": find_my}]}]}, fmt=plistlib.FMT_BINARY)


# ---- Find My Mac -----------------------------------------------------------------------------

def test_find_my_token_parsed_without_secrets():
    info = parse_find_my(parse_nvram_xml(nvram_text("alex@example.com")))
    assert info.enabled and info.apple_id == "alex@example.com"
    assert info.owner_name == "Alex Other" and info.computer_name == "Sam's MacBook"


def test_find_my_tied_to_another_account_is_high(make_ctx, tmp_path):
    mobileme(tmp_path, "sam@example.org")
    ctx = make_ctx(platform="darwin", commands=FakeCommands({("nvram", "-x", "-p"): nvram_text("alex@example.com")}))
    [f], _ = run(FindMyMacCheck(), ctx)
    assert f.severity is Severity.HIGH
    assert f.evidence["find_my_account"] == "alex@example.com"
    assert f.evidence["icloud_accounts_here"] == ["sam@example.org"]
    assert "SECRET" not in repr(f.to_dict())
    assert f.guidance == "location-sharing"


def test_find_my_under_own_account_is_info(make_ctx, tmp_path):
    mobileme(tmp_path, "Sam@Example.org")
    ctx = make_ctx(platform="darwin", commands=FakeCommands({("nvram", "-x", "-p"): nvram_text("sam@example.org")}))
    [f], limits = run(FindMyMacCheck(), ctx)
    assert f.severity is Severity.INFO and "sam@example.org" in f.title and limits == []


def test_find_my_off_reports_nothing(make_ctx, tmp_path):
    mobileme(tmp_path, "sam@example.org", find_my=False)
    ctx = make_ctx(platform="darwin", commands=FakeCommands({("nvram", "-x", "-p"): nvram_text(None)}))
    assert run(FindMyMacCheck(), ctx) == ([], [])


def test_find_my_service_without_token_is_a_limitation(make_ctx, tmp_path):
    mobileme(tmp_path, "sam@example.org", find_my=True)
    ctx = make_ctx(platform="darwin", commands=FakeCommands({("nvram", "-x", "-p"): nvram_text(None)}))
    findings, limits = run(FindMyMacCheck(), ctx)
    assert findings == [] and "firmware has no Find My token" in limits[0]


def test_nvram_unavailable_is_skipped(make_ctx):
    with pytest.raises(CheckSkipped, match="Find My Mac"):
        run(FindMyMacCheck(), make_ctx(platform="darwin"))
    ctx = make_ctx(platform="darwin", commands=FakeCommands({("nvram", "-x", "-p"): CommandResult(1, "", "denied")}))
    with pytest.raises(CheckSkipped):
        run(FindMyMacCheck(), ctx)


def test_damaged_token_still_says_find_my_is_on(make_ctx):
    text = plistlib.dumps({"fmm-mobileme-token-FMM": b"\x00garbage"}).decode()
    ctx = make_ctx(platform="darwin", commands=FakeCommands({("nvram", "-x", "-p"): text}))
    findings, limits = run(FindMyMacCheck(), ctx)
    assert findings[0].severity is Severity.MEDIUM
    assert any("could not be decoded" in m for m in limits)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_nvram_parser_never_crashes(text):
    parse_find_my(parse_nvram_xml(text))


# ---- MDM and profiles ------------------------------------------------------------------------

ENROLLED = "Enrolled via DEP: No\nMDM enrollment: Yes (User Approved)\nMDM server: https://mdm.example.net/checkin\n"
NOT_ENROLLED = "Enrolled via DEP: No\nMDM enrollment: No\n"
PROFILES = """\
_computerlevel[1] attribute: name: Example Proxy
_computerlevel[1] attribute: configurationDescription: Routes web traffic
_computerlevel[1] attribute: installationDate: 2024-05-01 10:00:00 +0000
_computerlevel[1] attribute: organization: Example Ltd
_computerlevel[1] attribute: profileIdentifier: com.example.proxy
_computerlevel[1] attribute: profileUUID: 1B2C
There are 1 configuration profiles installed
"""
NO_PROFILES = "There are no configuration profiles installed\n"


def test_enrollment_status_parsed():
    status = parse_enrollment_status(ENROLLED)
    assert status.mdm is True and status.dep is False and status.user_approved
    assert status.server == "https://mdm.example.net/checkin"
    assert parse_enrollment_status(NOT_ENROLLED).mdm is False


def test_profiles_list_parsed():
    [profile] = parse_profiles_list(PROFILES)
    assert (profile.scope, profile.identifier, profile.name) == ("_computerlevel", "com.example.proxy", "Example Proxy")
    assert (profile.organization, profile.installed) == ("Example Ltd", "2024-05-01 10:00:00 +0000")


def test_enrolled_mac_and_profile_reported(make_ctx):
    commands = FakeCommands({("profiles", "status", "-type", "enrollment"): ENROLLED,
                             ("profiles", "list"): PROFILES})
    findings, limits = run(MacManagementCheck(), make_ctx(platform="darwin", commands=commands))
    assert [f.severity for f in findings] == [Severity.HIGH, Severity.MEDIUM]
    assert "mdm.example.net" in findings[0].title
    assert any("administrator" in m for m in limits)


def test_unmanaged_mac_reports_nothing_but_admin_gap(make_ctx):
    commands = FakeCommands({("profiles", "status", "-type", "enrollment"): NOT_ENROLLED,
                             ("profiles", "list"): NO_PROFILES,
                             ("profiles", "show", "-type", "configuration"): NO_PROFILES})
    findings, limits = run(MacManagementCheck(), make_ctx(platform="darwin", commands=commands, is_admin=True))
    assert findings == [] and limits == []


def test_profiles_needing_root_is_a_limitation(make_ctx):
    commands = FakeCommands({("profiles", "status", "-type", "enrollment"): NOT_ENROLLED,
                             ("profiles", "list"): CommandResult(1, "", "profiles: this command requires root")})
    findings, limits = run(MacManagementCheck(), make_ctx(platform="darwin", commands=commands))
    assert findings == [] and any("needs administrator rights" in m for m in limits)


def test_no_profiles_tool_is_skipped(make_ctx):
    with pytest.raises(CheckSkipped, match="Device Management"):
        run(MacManagementCheck(), make_ctx(platform="darwin"))


# ---- Remote access ---------------------------------------------------------------------------

def test_print_disabled_both_styles():
    text = '\tdisabled services = {\n\t\t"com.apple.screensharing" => enabled\n\t\t"com.openssh.sshd" => true\n\t}\n'
    assert parse_print_disabled(text) == {"com.apple.screensharing": False, "com.openssh.sshd": True}


def test_screen_sharing_enabled_and_listening(make_ctx, tmp_path):
    write_plist(tmp_path / "root/var/db/com.apple.xpc.launchd/disabled.plist",
                {"com.apple.screensharing": False, "com.openssh.sshd": True, "com.apple.AEServer": True},
                fmt=plistlib.FMT_BINARY)
    net = FakeNetwork([ListeningSocket("tcp", "0.0.0.0", 5900, 1, "launchd")])
    findings, limits = run(MacRemoteAccessCheck(), make_ctx(platform="darwin", network=net))
    [f] = findings
    assert f.subject == "Screen Sharing" and f.severity is Severity.HIGH
    assert len(f.evidence["signals"]) == 2 and limits == []


def test_ard_agent_and_prefs(make_ctx, tmp_path):
    write_plist(tmp_path / "root/var/db/com.apple.xpc.launchd/disabled.plist", {})
    write_plist(tmp_path / "root/Library/Preferences/com.apple.RemoteManagement.plist",
                {"ARD_AllLocalUsers": True, "VNCLegacyConnectionsEnabled": True})
    procs = FakeProcesses([ProcessInfo(pid=77, name="ARDAgent")])
    findings, _ = run(MacRemoteAccessCheck(), make_ctx(platform="darwin", processes=procs))
    [f] = findings
    assert f.subject.startswith("Remote Management")
    assert f.evidence["settings"]["VNCLegacyConnectionsEnabled"] is True
    assert "only a password" in f.detail


def test_all_off_reports_nothing(make_ctx, tmp_path):
    write_plist(tmp_path / "root/var/db/com.apple.xpc.launchd/disabled.plist",
                {"com.apple.screensharing": True, "com.openssh.sshd": True})
    net = FakeNetwork([ListeningSocket("tcp", "127.0.0.1", 5900, 1, "x")])
    assert run(MacRemoteAccessCheck(), make_ctx(platform="darwin", network=net)) == ([], [])


def test_launchd_unreadable_is_a_limitation_and_ports_still_count(make_ctx):
    net = FakeNetwork([ListeningSocket("tcp", "::", 22, None, None)], complete=False, reason="only own programs")
    findings, limits = run(MacRemoteAccessCheck(), make_ctx(platform="darwin", network=net))
    assert [f.subject for f in findings] == ["Remote Login (SSH)"]
    assert any("launchd" in m for m in limits) and "only own programs" in limits


def test_admin_systemsetup(make_ctx, tmp_path):
    write_plist(tmp_path / "root/var/db/com.apple.xpc.launchd/disabled.plist", {})
    commands = FakeCommands({("systemsetup", "-getremotelogin"): "Remote Login: On\n"})
    findings, _ = run(MacRemoteAccessCheck(), make_ctx(platform="darwin", commands=commands, is_admin=True))
    assert [f.subject for f in findings] == ["Remote Login (SSH)"]


# ---- Location Services -----------------------------------------------------------------------

def clients_plist(tmp_path, enabled: bool | None = True) -> None:
    write_plist(tmp_path / "root/var/db/locationd/clients.plist", {
        "com.apple.weather": {"Authorized": True, "BundleId": "com.apple.weather",
                              "BundlePath": "/System/Applications/Weather.app"},
        "com.example.maps": {"Authorized": True, "BundleId": "com.example.maps",
                             "BundlePath": "/Applications/Maps Pro.app", "LocationTimeStopped": 700000000.0},
        "i/Users/sam/.hidden/agent:": {"AuthorizationStatus": 3, "Executable": "/Users/sam/.hidden/agent"},
        "com.example.denied": {"Authorized": False, "BundleId": "com.example.denied"},
        "com.example.weird": {"AuthorizationStatus": 9, "BundleId": "com.example.weird"},
    }, fmt=plistlib.FMT_BINARY)
    if enabled is not None:
        write_plist(tmp_path / "root/var/db/locationd/Library/Preferences/ByHost/com.apple.locationd.ABCD-1234.plist",
                    {"LocationServicesEnabled": enabled})


def test_location_grants_reported(make_ctx, tmp_path):
    clients_plist(tmp_path)
    findings, limits = run(MacLocationServicesCheck(), make_ctx(platform="darwin", is_admin=True))
    by_subject = {f.subject: f for f in findings}
    assert set(by_subject) == {"location permission com.example.maps",
                               "location permission /Users/sam/.hidden/agent", "Location Services"}
    assert by_subject["location permission /Users/sam/.hidden/agent"].severity is Severity.MEDIUM
    assert by_subject["location permission com.example.maps"].evidence["last_stopped"] == "2023-03-08T20:26:40Z"
    assert any("com.example.weird" in m for m in limits)


def test_location_off_reports_no_apps(make_ctx, tmp_path):
    clients_plist(tmp_path, enabled=False)
    assert run(MacLocationServicesCheck(), make_ctx(platform="darwin", is_admin=True)) == ([], [])


def test_location_unreadable_is_skipped_with_the_manual_way(make_ctx):
    with pytest.raises(CheckSkipped, match="Privacy & Security > Location Services"):
        run(MacLocationServicesCheck(), make_ctx(platform="darwin"))


def test_damaged_clients_plist_is_skipped(make_ctx, tmp_path):
    path = tmp_path / "root/var/db/locationd/clients.plist"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"bplist00\xff\xff")
    with pytest.raises(CheckSkipped, match="not a readable property list"):
        run(MacLocationServicesCheck(), make_ctx(platform="darwin"))


def test_find_my_same_account_by_dsid_after_email_change(make_ctx, tmp_path):
    write_plist(tmp_path / "home/Library/Preferences/MobileMeAccounts.plist", {"Accounts": [
        {"AccountID": "sam.new@example.org", "AccountDSID": "123456", "Services": []}]})
    ctx = make_ctx(platform="darwin", commands=FakeCommands({("nvram", "-x", "-p"): nvram_text("sam.old@example.org")}))
    [f], _ = run(FindMyMacCheck(), ctx)
    assert f.severity is Severity.INFO
