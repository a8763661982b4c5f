"""Issue 5: the location and sharing checks handle a laptop with far more settings than usual
(hundreds of accounts, keys, app grants and profiles) and report every one of them.

How fast they do it is measured by bench/settings.py (which builds these same laptops), never here:
a timed assertion fails on a loaded machine and proves nothing on an idle one."""

from __future__ import annotations

import base64
import plistlib

from digisafe.checks.linux_location import LinuxLocationCheck
from digisafe.checks.linux_remote_access import LinuxRemoteAccessCheck
from digisafe.checks.local_accounts import LocalAccountsCheck
from digisafe.checks.mac_find_my import FindMyMacCheck
from digisafe.checks.mac_location import MacLocationServicesCheck
from digisafe.checks.mac_mdm import MacManagementCheck
from digisafe.checks.mac_remote_access import MacRemoteAccessCheck
from digisafe.checks.win_accounts import WindowsAccountsCheck
from digisafe.checks.win_location import WindowsPrivacyConsentCheck
from digisafe.checks.win_remote_access import WindowsRemoteAccessCheck

from digisafe.core.model import Status
from digisafe.core.registry import RegisteredCheck
from digisafe.core.runner import run_check
from tests.fakes import FakeCommands, FakeRegistry

CS = r"SOFTWARE\Microsoft\Windows\CurrentVersion\CapabilityAccessManager\ConsentStore"


def results_of(ctx, checks) -> list:
    return [run_check(RegisteredCheck(cls, "built-in"), ctx) for cls in checks]


def key_line(i: int) -> str:
    blob = (11).to_bytes(4, "big") + b"ssh-ed25519" + (32).to_bytes(4, "big") + i.to_bytes(32, "big")
    return f"ssh-ed25519 {base64.b64encode(blob).decode()} key{i}"


def linux_laptop(make_ctx, tmp_path):
    """A Linux laptop with 200 GeoClue apps, 300 accounts and 300 SSH keys."""
    root = tmp_path / "root"
    (root / "etc/geoclue").mkdir(parents=True)
    (root / "etc/geoclue/geoclue.conf").write_text("".join(f"[app{i}]\nallowed=true\n" for i in range(200)))
    (root / "etc/passwd").write_text("".join(f"u{i}:x:{1000 + i}:{1000 + i}::/home/u{i}:/bin/bash\n"
                                             for i in range(300)))
    (root / "etc/group").write_text("sudo:x:27:" + ",".join(f"u{i}" for i in range(0, 300, 3)) + "\n")
    (tmp_path / "home/.ssh").mkdir(parents=True)
    (tmp_path / "home/.ssh/authorized_keys").write_text("\n".join(key_line(i) for i in range(300)))
    commands = FakeCommands({("gsettings", "get", "org.gnome.system.location", "enabled"): "true\n"})
    return make_ctx(commands=commands), [LinuxLocationCheck, LinuxRemoteAccessCheck, LocalAccountsCheck]


def test_linux_settings_checks_handle_many_entries(make_ctx, tmp_path):
    results = results_of(*(linux_laptop(make_ctx, tmp_path)))
    assert all(r.status is Status.FINDINGS for r in results)
    assert sum(len(r.findings) for r in results) > 700


def mac_laptop(make_ctx, tmp_path):
    """A Mac with 500 location clients and 200 configuration profiles."""
    clients = {f"com.example.app{i}": {"Authorized": True, "BundleId": f"com.example.app{i}",
                                        "BundlePath": f"/Applications/A{i}.app"} for i in range(500)}
    path = tmp_path / "root/var/db/locationd/clients.plist"
    path.parent.mkdir(parents=True)
    path.write_bytes(plistlib.dumps(clients, fmt=plistlib.FMT_BINARY))
    profiles = "".join(f"_computerlevel[{i}] attribute: name: P{i}\n_computerlevel[{i}] attribute: "
                       f"profileIdentifier: com.example.p{i}\n" for i in range(200))
    nvram = plistlib.dumps({"fmm-mobileme-token-FMM": plistlib.dumps({"username": "a@b.c"})}).decode()
    commands = FakeCommands({("nvram", "-x", "-p"): nvram, ("profiles", "list"): profiles,
                             ("profiles", "status", "-type", "enrollment"): "MDM enrollment: No\n"})
    ctx = make_ctx(platform="darwin", commands=commands, is_admin=True)
    return ctx, [FindMyMacCheck, MacManagementCheck, MacRemoteAccessCheck, MacLocationServicesCheck]


def test_mac_settings_checks_handle_many_entries(make_ctx, tmp_path):
    results = results_of(*(mac_laptop(make_ctx, tmp_path)))
    assert sum(len(r.findings) for r in results) > 700


def windows_laptop(make_ctx, tmp_path=None):
    """A Windows laptop with 200 desktop apps granted location, camera and microphone."""
    tree = {}
    for cap in ("location", "webcam", "microphone"):
        tree[rf"HKLM\{CS}\{cap}"] = {"Value": "Allow"}
        tree[rf"HKCU\{CS}\{cap}"] = {"Value": "Allow"}
        for i in range(200):
            tree[rf"HKCU\{CS}\{cap}\NonPackaged\C:#Apps#a{i}.exe"] = {
                "LastUsedTimeStart": 133000000000000000 + i, "LastUsedTimeStop": 133000000000000100 + i}
    ctx = make_ctx(platform="windows", registry=FakeRegistry(tree))
    return ctx, [WindowsPrivacyConsentCheck, WindowsAccountsCheck, WindowsRemoteAccessCheck, LocalAccountsCheck]


def test_windows_settings_checks_handle_many_entries(make_ctx):
    results = results_of(*(windows_laptop(make_ctx)))
    assert sum(len(r.findings) for r in results) >= 600
