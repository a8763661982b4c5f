"""Collect, then judge: the settings and account checks judged from snapshots built by hand (no Context)."""

from __future__ import annotations

import pytest
from digisafe.checks.linux_remote_access import LinuxRemoteAccessCheck
from digisafe.checks.local_accounts import LocalAccountsCheck

from digisafe.core.check import CheckSkipped
from digisafe.core.context import ProcessInfo
from digisafe.core.model import Finding, Limitation, Severity
from digisafe.settings.linux_remote import KeyFile, LinuxRemoteSnapshot
from digisafe.settings.local_accounts import Account, AccountsSnapshot
from digisafe.settings.ssh import AuthorizedKey


def split(items):
    items = list(items)
    return [i for i in items if isinstance(i, Finding)], [i.message for i in items if isinstance(i, Limitation)]


def test_linux_remote_access_judged_from_a_snapshot():
    key = AuthorizedKey(3, "ssh-ed25519", "SHA256:abc", "alex@laptop", ('from="10.0.0.5"',))
    snap = LinuxRemoteSnapshot(
        units={"ssh.service": "active", "gnome-remote-desktop.service": "inactive"},
        rdp=True, vnc=False, view_only={"RDP": True}, user_service="active",
        running={"x11vnc": ProcessInfo(70, "x11vnc", "/usr/bin/x11vnc", ("x11vnc", "-forever"), "sam")},
        is_admin=False, key_notes=("sshd also reads keys from '/etc/keys/%u.pub', which was not read",),
        key_files=(KeyFile("/home/sam/.ssh/authorized_keys", (key,)),
                   KeyFile("/home/sam/.ssh/authorized_keys2", problem="cannot be read")),
    )  # fmt: skip
    findings, limits = split(LinuxRemoteAccessCheck().judge(snap))
    titles = [f.title for f in findings]
    assert "GNOME Remote Desktop is switched on: someone else can watch this screen" in titles  # view-only
    vnc = next(f for f in findings if f.evidence.get("process") == "x11vnc")
    assert vnc.severity is Severity.HIGH and vnc.evidence["pid"] == 70 and "running" in vnc.title
    ssh = next(f for f in findings if f.title == "The SSH remote login server is on")
    assert ssh.evidence["units"] == {"ssh.service": "active"}
    (saved,) = [f for f in findings if "saved SSH key" in f.title]
    assert saved.severity is Severity.MEDIUM and saved.evidence["from"] == "10.0.0.5"  # SSH is on: medium
    assert limits[0].startswith("only this account's SSH keys") and "SSH keys not read: cannot be read" in limits
    assert any("%u.pub" in m for m in limits)
    quiet = LinuxRemoteSnapshot(units_problem="systemctl said 'System has not been booted with systemd'",
                                is_admin=True, key_files=(KeyFile("/root/.ssh/authorized_keys", (key,)),))  # fmt: skip
    findings, limits = split(LinuxRemoteAccessCheck().judge(quiet))
    assert [f.severity for f in findings] == [Severity.LOW]  # a key, but no SSH server: low
    assert limits == ["system services not read (systemctl said 'System has not been booted with systemd'); "
                      "running programs were checked instead"]  # fmt: skip


def test_local_accounts_judged_from_a_snapshot():
    snap = AccountsSnapshot(
        accounts=(Account("sam", "uid 1000", admin=True), Account("toor", "uid 0", True, True),
                  Account("alex", "uid 1001", can_sign_in=False), Account("LAPTOP\\Guest2", "S-1-5-21-1-1002")),
        me="sam", notes=("whether each account has a password needs administrator rights (/etc/shadow)",),
    )  # fmt: skip
    findings, limits = split(LocalAccountsCheck().judge(snap))
    assert [(f.evidence["account"], f.severity) for f in findings] == [
        ("toor", Severity.HIGH), ("alex", Severity.LOW), ("LAPTOP\\Guest2", Severity.LOW)]
    assert "no password set" in findings[1].detail
    assert limits == ["whether each account has a password needs administrator rights (/etc/shadow)"]
    findings, limits = split(LocalAccountsCheck().judge(AccountsSnapshot((Account("sam"),))))
    assert len(findings) == 1 and limits == ["could not tell which account is yours; every account is listed"]
    with pytest.raises(CheckSkipped, match="Settings > Users"):
        list(LocalAccountsCheck().judge(AccountsSnapshot(unreadable="no passwd; list accounts in Settings > Users")))
