"""Settings files and command output we have not seen: any input gives a result, a limitation or a
SKIPPED, never a crash."""

from __future__ import annotations

import plistlib
from datetime import datetime

from digisafe.checks.linux_location import LinuxLocationCheck
from digisafe.checks.linux_remote_access import LinuxRemoteAccessCheck
from digisafe.checks.mac_find_my import FindMyMacCheck
from digisafe.checks.mac_location import MacLocationServicesCheck
from digisafe.checks.mac_remote_access import MacRemoteAccessCheck
from digisafe.checks.win_accounts import WindowsAccountsCheck
from digisafe.checks.win_location import WindowsPrivacyConsentCheck
from digisafe.checks.win_remote_access import WindowsRemoteAccessCheck
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digisafe.core.check import CheckSkipped
from digisafe.settings import linux, macos, ssh, windows
from tests.fakes import FakeCommands, FakeRegistry, make_context

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

plist_leaf = st.one_of(st.text(max_size=20), st.integers(-2**40, 2**40), st.booleans(), st.binary(max_size=20),
                       st.floats(allow_nan=False, allow_infinity=False), st.datetimes(min_value=datetime(1990, 1, 1)))
plist_data = st.recursive(plist_leaf, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)), max_leaves=25)


def drain(check, ctx) -> None:
    try:
        for _ in check.run(ctx):
            pass
    except CheckSkipped:
        pass


@FAST
@given(st.text(max_size=400))
def test_text_parsers_never_crash(text):
    linux.parse_gsettings_value(text)
    linux.geoclue_unusual_servers(linux.parse_geoclue_config([("f", text)]))
    linux.geoclue_unusual_servers(linux.parse_geoclue_config([("f", f"[wifi]\nurl={text[:80]}\n".replace("%", ""))]))
    linux.parse_flatpak_location_permissions(text)
    ssh.parse_authorized_keys(text)
    ssh.parse_sshd_key_sources(text)
    ssh.sshd_includes(text)
    macos.parse_enrollment_status(text)
    macos.parse_profiles_list(text)
    macos.parse_print_disabled(text)
    windows.parse_net_list(text)


@FAST
@given(plist_data)
def test_plist_shape_parsers_never_crash(data):
    macos.parse_mobileme_accounts(data)
    macos.parse_mobileme_accounts({"Accounts": data})
    macos.parse_mobileme_accounts({"Accounts": [data, {"AccountID": "a@b.c", "Services": data}]})
    macos.parse_location_clients(data)
    macos.parse_location_clients({"k": data if isinstance(data, dict) else {"Authorized": data}})
    macos.parse_disabled_plist(data)
    macos.location_services_enabled(data)


@FAST
@given(plist_data)
def test_find_my_token_of_any_shape(tmp_path_factory, data):
    tmp = tmp_path_factory.mktemp("fm")
    try:
        token = plistlib.dumps(data if isinstance(data, dict) else {"username": data}, fmt=plistlib.FMT_BINARY)
    except (TypeError, OverflowError, ValueError):
        token = b"\0"
    nvram = plistlib.dumps({"fmm-mobileme-token-FMM": token}).decode()
    pref = tmp / "home/Library/Preferences/MobileMeAccounts.plist"
    pref.parent.mkdir(parents=True)
    try:
        pref.write_bytes(plistlib.dumps({"Accounts": data}))
    except (TypeError, OverflowError, ValueError):
        pref.write_bytes(b"not a plist")
    drain(FindMyMacCheck(), make_context(tmp, "darwin", commands=FakeCommands({("nvram", "-x", "-p"): nvram})))


@FAST
@given(st.binary(max_size=200))
def test_mac_files_of_random_bytes(tmp_path_factory, blob):
    tmp = tmp_path_factory.mktemp("mac")
    for name in ("var/db/locationd/clients.plist", "var/db/com.apple.xpc.launchd/disabled.plist",
                 "Library/Preferences/com.apple.RemoteManagement.plist",
                 "var/db/locationd/Library/Preferences/ByHost/com.apple.locationd.X.plist"):
        path = tmp / "root" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(blob)
    ctx = make_context(tmp, "darwin", is_admin=True)
    drain(MacLocationServicesCheck(), ctx)
    drain(MacRemoteAccessCheck(), ctx)


@FAST
@given(st.text(max_size=300), st.text(max_size=300))
def test_linux_files_and_output_of_any_text(tmp_path_factory, conf, output):
    tmp = tmp_path_factory.mktemp("lx")
    for name in ("root/etc/geoclue/geoclue.conf", "home/.ssh/authorized_keys", "home/.local/share/flatpak/db/location"):
        path = tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(conf)
    commands = FakeCommands({("gsettings", "get", "org.gnome.system.location", "enabled"): output,
                             ("flatpak", "permissions", "location", "location"): output,
                             ("systemctl", "is-active", "ssh.service", "ssh.socket", "sshd.service", "sshd.socket",
                              "gnome-remote-desktop.service", "xrdp.service"): output})
    ctx = make_context(tmp, "linux", commands=commands)
    drain(LinuxLocationCheck(), ctx)
    drain(LinuxRemoteAccessCheck(), ctx)


registry_value = st.one_of(st.none(), st.text(max_size=10), st.integers(-2**70, 2**70), st.binary(max_size=12),
                           st.lists(st.text(max_size=5), max_size=3), st.floats(allow_nan=False))
KEYS = [
    r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\CapabilityAccessManager\ConsentStore\location",
    r"HKCU\SOFTWARE\Microsoft\Windows\CurrentVersion\CapabilityAccessManager\ConsentStore\location\NonPackaged\C:#a",
    r"HKCU\SOFTWARE\Microsoft\Windows\CurrentVersion\CapabilityAccessManager\ConsentStore\webcam\App_1",
    r"HKLM\SOFTWARE\Microsoft\MdmCommon\SettingValues",
    r"HKCU\Software\Microsoft\OneDrive\Accounts\Personal",
    r"HKLM\SOFTWARE\Microsoft\Enrollments\X",
    r"HKLM\SYSTEM\CurrentControlSet\Control\Terminal Server",
    r"HKLM\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp",
    r"HKLM\SYSTEM\CurrentControlSet\Control\Remote Assistance",
    r"HKLM\SOFTWARE\Policies\Microsoft\Windows\AppPrivacy",
]
NAMES = ["Value", "LastUsedTimeStart", "LastUsedTimeStop", "LocationSyncEnabled", "UserEmail", "Business", "UPN",
         "ProviderID", "fDenyTSConnections", "PortNumber", "UserAuthentication", "fAllowToGetHelp",
         "LetAppsAccessLocation", "LetAppsAccessLocation_ForceAllowTheseApps"]


@FAST
@given(st.dictionaries(st.sampled_from(NAMES), registry_value, max_size=8))
def test_windows_registry_with_any_value_types(tmp_path_factory, values):
    tmp = tmp_path_factory.mktemp("win")
    ctx = make_context(tmp, "windows", registry=FakeRegistry({key: values for key in KEYS}))
    for check in (WindowsPrivacyConsentCheck(), WindowsAccountsCheck(), WindowsRemoteAccessCheck()):
        drain(check, ctx)
