from __future__ import annotations

import pytest
from digisafe.checks.local_accounts import LocalAccountsCheck
from hypothesis import given, settings
from hypothesis import strategies as st

from digisafe.core.check import CheckSkipped
from digisafe.core.context import CommandResult
from digisafe.core.model import Finding, Limitation, Severity
from digisafe.settings.accounts import (
    admin_members,
    parse_dscl_ids,
    parse_dscl_members,
    parse_group,
    parse_passwd,
    uid_min,
)
from tests.fakes import FakeCommands, FakeRegistry

PASSWD = """\
root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
toor:x:0:0::/var/toor:/bin/sh
sam:x:1000:1000:Sam Jones,,,:/home/sam:/bin/bash
alex:x:1001:1001:Alex:/home/alex:/bin/zsh
kid:x:1002:1002::/home/kid:/bin/bash
svc:x:1003:1003::/srv:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
broken line
"""
GROUP = "root:x:0:\nsudo:x:27:sam,alex\nwheel:x:10:\nadmin:x:1002:\nkid:x:1002:\n"
SHADOW = "root:!:19000::::::\nsam:$6$abc:19000::::::\nalex:$y$j9T$x:19000::::::\nkid:!:19000::::::\ntoor:*:1::::::\n"


def write(root, files: dict) -> None:
    for name, text in files.items():
        path = root / name.lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def run(ctx):
    items = list(LocalAccountsCheck().run(ctx))
    return [i for i in items if isinstance(i, Finding)], [i.message for i in items if isinstance(i, Limitation)]


def env(tmp_path, user: str) -> dict:
    return {"HOME": str(tmp_path / "home"), "USER": user}


def test_passwd_and_groups():
    passwd = parse_passwd(PASSWD)
    assert [p.name for p in passwd if p.can_log_in] == ["root", "toor", "sam", "alex", "kid"]
    admins = admin_members(passwd, parse_group(GROUP))
    assert admins == {"sam": ["sudo"], "alex": ["sudo"], "kid": ["admin"]}  # kid by primary group
    assert uid_min("# c\nUID_MIN\t\t\t 500\n") == 500 and uid_min("") == 1000


def test_linux_other_admins_and_uid0(make_ctx, tmp_path):
    write(tmp_path / "root", {"/etc/passwd": PASSWD, "/etc/group": GROUP})
    findings, limits = run(make_ctx(environ=env(tmp_path, "sam")))
    by_name = {f.evidence["account"]: f for f in findings}
    assert set(by_name) == {"toor", "alex", "kid"}
    assert by_name["toor"].severity is Severity.HIGH
    assert by_name["alex"].severity is Severity.MEDIUM and by_name["alex"].guidance == "accounts"
    assert by_name["alex"].evidence["admin_groups"] == ["sudo"]
    assert any("/etc/shadow" in m for m in limits)


def test_linux_shadow_read_as_admin(make_ctx, tmp_path):
    write(tmp_path / "root", {"/etc/passwd": PASSWD, "/etc/group": GROUP, "/etc/shadow": SHADOW})
    findings, limits = run(make_ctx(environ=env(tmp_path, "sam"), is_admin=True))
    by_name = {f.evidence["account"]: f for f in findings}
    assert by_name["kid"].evidence["password_sign_in"] is False
    assert by_name["alex"].evidence["password_sign_in"] is True
    assert limits == []


def test_linux_only_me_reports_nothing(make_ctx, tmp_path):
    write(tmp_path / "root", {"/etc/passwd": "root:x:0:0::/root:/bin/bash\nsam:x:1000:1000::/home/sam:/bin/bash\n",
                              "/etc/group": "sudo:x:27:sam\n", "/etc/shadow": SHADOW})
    assert run(make_ctx(environ=env(tmp_path, "sam"))) == ([], [])


def test_linux_without_passwd_is_skipped(make_ctx):
    with pytest.raises(CheckSkipped):
        run(make_ctx())


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400))
def test_account_parsers_never_crash(text):
    parse_passwd(text)
    parse_group(text)
    parse_dscl_members(text)
    parse_dscl_ids(text)


# ---- macOS -----------------------------------------------------------------------------------

DSCL_USERS = "".join(f"{name:<25}{uid}\n" for name, uid in [
    ("_mbsetupuser", 248), ("_spotlight", 89), ("daemon", 1), ("nobody", -2), ("root", 0),
    ("sam", 501), ("alex", 502), ("guestish", 503)])
DSCL_ADMIN = "GroupMembership: root sam alex\n"


def test_dscl_parsers():
    assert parse_dscl_ids(DSCL_USERS)["nobody"] == -2
    assert parse_dscl_members(DSCL_ADMIN) == ["root", "sam", "alex"]
    assert parse_dscl_members("GroupMembership:\n root sam\nRecordName: admin\n") == ["root", "sam"]


def test_mac_accounts(make_ctx, tmp_path):
    commands = FakeCommands({("dscl", ".", "list", "/Users", "UniqueID"): DSCL_USERS,
                             ("dscl", ".", "read", "/Groups/admin", "GroupMembership"): DSCL_ADMIN})
    findings, limits = run(make_ctx(platform="darwin", commands=commands, environ=env(tmp_path, "sam")))
    assert [(f.evidence["account"], f.severity) for f in findings] == [("alex", Severity.MEDIUM),
                                                                       ("guestish", Severity.LOW)]
    assert limits == []


def test_mac_without_dscl_is_skipped(make_ctx):
    with pytest.raises(CheckSkipped, match="Users & Groups"):
        run(make_ctx(platform="darwin"))


# ---- Windows ---------------------------------------------------------------------------------

PL = r"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\ProfileList"
NET_USER = ("\nUser accounts for \\\\DESKTOP-1\n\n" + "-" * 79 + "\n"
            "Administrator            DefaultAccount           Guest\n"
            "alex                     sam                      WDAGUtilityAccount\n"
            "The command completed successfully.\n\n")
NET_ADMINS = ("Alias name     Administrators\n\nMembers\n\n" + "-" * 79 + "\n"
              "Administrator\nDESKTOP-1\\alex\nDESKTOP-1\\sam\nThe command completed successfully.\n")


def windows_registry() -> FakeRegistry:
    return FakeRegistry({
        rf"{PL}\S-1-5-18": {"ProfileImagePath": r"%systemroot%\system32\config\systemprofile"},
        rf"{PL}\S-1-5-21-1-2-3-1001": {"ProfileImagePath": r"C:\Users\sam"},
        rf"{PL}\S-1-5-21-1-2-3-1002": {"ProfileImagePath": r"C:\Users\alex"},
        rf"{PL}\S-1-5-21-1-2-3-1003": {"ProfileImagePath": r"C:\Users\helper"},
    })


def test_windows_accounts(make_ctx, tmp_path):
    commands = FakeCommands({("net", "user"): NET_USER, ("net", "localgroup", "Administrators"): NET_ADMINS})
    ctx = make_ctx(platform="windows", registry=windows_registry(), commands=commands,
                   environ={"USERNAME": "sam"})
    findings, limits = run(ctx)
    by_name = {f.evidence["account"]: f for f in findings}
    assert set(by_name) == {"alex", "helper"}  # built-in Administrator has no profile: not reported
    assert by_name["alex"].severity is Severity.MEDIUM and by_name["alex"].evidence["id"] == "S-1-5-21-1-2-3-1002"
    assert by_name["helper"].severity is Severity.LOW
    assert limits == []


def test_windows_localised_group_is_a_limitation(make_ctx):
    commands = FakeCommands({("net", "user"): NET_USER,
                             ("net", "localgroup", "Administrators"): CommandResult(2, "", "System error 1376")})
    ctx = make_ctx(platform="windows", registry=windows_registry(), commands=commands, environ={"USERNAME": "sam"})
    findings, limits = run(ctx)
    assert all(f.severity is Severity.LOW for f in findings)
    assert any("Administrators group" in m for m in limits)


def test_windows_nothing_readable_is_skipped(make_ctx):
    with pytest.raises(CheckSkipped):
        run(make_ctx(platform="windows", registry=None))


def test_linux_me_from_sudo_user_or_home_folder(make_ctx, tmp_path):
    home = tmp_path / "home"
    passwd = PASSWD + f"me:x:1004:1004::{home}:/bin/bash\n"
    write(tmp_path / "root", {"/etc/passwd": passwd, "/etc/group": GROUP})
    by_sudo = {f.evidence["account"] for f in run(make_ctx(environ={"USER": "root", "SUDO_USER": "alex"}))[0]}
    assert "alex" not in by_sudo and "me" in by_sudo
    findings, limits = run(make_ctx(environ={}))
    assert "me" not in {f.evidence["account"] for f in findings}
    assert not any("which account is yours" in m for m in limits)


def test_mac_dslocal_files_when_dscl_is_missing(make_ctx, tmp_path):
    import plistlib

    base = tmp_path / "root/var/db/dslocal/nodes/Default"
    (base / "users").mkdir(parents=True)
    (base / "groups").mkdir(parents=True)
    for name, uid in (("sam", "501"), ("alex", "502"), ("_www", "70")):
        (base / "users" / f"{name}.plist").write_bytes(plistlib.dumps({"name": [name], "uid": [uid]},
                                                                      fmt=plistlib.FMT_BINARY))
    (base / "users" / "broken.plist").write_bytes(b"bplist00garbage")
    (base / "groups" / "admin.plist").write_bytes(plistlib.dumps({"name": ["admin"], "users": ["root", "alex"]}))
    findings, _ = run(make_ctx(platform="darwin", environ={"USER": "sam"}, is_admin=True))
    assert [(f.evidence["account"], f.severity) for f in findings] == [("alex", Severity.MEDIUM)]
    assert findings[0].evidence["source"] == "/var/db/dslocal/nodes/Default"
