"""Collector for DS-ACCT-010: the local accounts of this laptop, who is an administrator, and
which account is the person's own, as an ``AccountsSnapshot``. The same question needs different
sources on each system (/etc/passwd and /etc/group; dscl or the local directory files; the
registry's ProfileList and ``net user``), so the collector picks its reader by platform; the
parsers are in ``digisafe.settings.accounts`` and ``digisafe.settings.windows``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from digisafe.core.platforms import Platform

if TYPE_CHECKING:
    from digisafe.core.context import Context

_WINDOWS_BUILTIN = {"administrator", "guest", "defaultaccount", "wdagutilityaccount", "defaultuser0"}
_PROFILES = r"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\ProfileList"


class NoAccounts(Exception):
    """No source of accounts could be read; the message says where to look by hand."""


@dataclass
class Account:
    name: str
    ident: str = ""  # uid or SID
    admin: bool = False
    superuser: bool = False  # Linux uid 0 that is not root
    can_sign_in: bool | None = None  # None when unknown
    evidence: dict = field(default_factory=dict)


@dataclass(frozen=True)
class AccountsSnapshot:
    accounts: tuple[Account, ...] = ()
    me: str = ""  # the person's own account name (lower case); "" when it cannot be told
    notes: tuple[str, ...] = ()  # what could not be read
    unreadable: str = ""  # set when no account list could be read at all (the check is skipped)


def collect_accounts(ctx: Context) -> AccountsSnapshot:
    # NOTE: under sudo, SUDO_USER names the person; USER would say root.
    me = (ctx.files.env("SUDO_USER") or ctx.files.env("USER") or ctx.files.env("LOGNAME")
          or ctx.files.env("USERNAME") or "").lower()
    readers: dict[Platform, Callable[[Context, list[str]], tuple[list[Account], str]]] = {
        Platform.LINUX: _linux, Platform.MACOS: _mac, Platform.WINDOWS: _windows}
    notes: list[str] = []
    try:
        accounts, home_owner = readers[ctx.platform](ctx, notes)
    except NoAccounts as exc:
        return AccountsSnapshot(notes=tuple(notes), unreadable=str(exc))
    return AccountsSnapshot(tuple(accounts), me or home_owner, tuple(notes))


def _linux(ctx: Context, notes: list[str]) -> tuple[list[Account], str]:
    from digisafe.settings import accounts as parse
    from digisafe.settings.read import Unreadable, read_text

    try:
        passwd = parse.parse_passwd(read_text(ctx.files.path("/etc/passwd")))
    except Unreadable as exc:
        raise NoAccounts(f"{exc}; list accounts in Settings > Users") from None
    texts = {}
    for name in ("/etc/group", "/etc/login.defs"):
        try:
            texts[name] = read_text(ctx.files.path(name))
        except Unreadable as exc:
            texts[name] = ""
            if name == "/etc/group":
                notes.append(f"administrator groups not read: {exc}")
    admins = parse.admin_members(passwd, parse.parse_group(texts["/etc/group"]))
    locked: set[str] | None = None
    try:
        locked = parse.locked_accounts(read_text(ctx.files.path("/etc/shadow")))
    except Unreadable:
        notes.append("whether each account has a password needs administrator rights (/etc/shadow)")
    lowest = parse.uid_min(texts["/etc/login.defs"])
    home_owner = next((p.name.lower() for p in passwd if p.home == str(ctx.files.home)), "")
    accounts = []
    for entry in passwd:
        superuser = entry.uid == 0 and entry.name != "root"
        if not superuser and not (lowest <= entry.uid < 60000 and entry.can_log_in):
            continue
        accounts.append(Account(
            entry.name, f"uid {entry.uid}", bool(admins.get(entry.name)) or superuser, superuser,
            None if locked is None else entry.name not in locked,
            {"file": "/etc/passwd", "uid": entry.uid, "home": entry.home, "shell": entry.shell,
             "full_name": entry.gecos.split(",")[0] or None, "admin_groups": admins.get(entry.name, [])}))
    return accounts, home_owner

def _mac(ctx: Context, notes: list[str]) -> tuple[list[Account], str]:
    from digisafe.settings import accounts as parse
    from digisafe.settings.read import Unreadable, run

    source = "dscl . list /Users UniqueID"
    try:
        listed = run(ctx, ["dscl", ".", "list", "/Users", "UniqueID"])
        ids = parse.parse_dscl_ids(listed.stdout) if listed.returncode == 0 else {}
    except Unreadable:
        ids = {}
    admins: list[str] | None = None
    if ids:
        try:
            group = run(ctx, ["dscl", ".", "read", "/Groups/admin", "GroupMembership"])
            admins = parse.parse_dscl_members(group.stdout)
        except Unreadable as exc:
            notes.append(f"the admin group was not read ({exc}); see System Settings > Users & Groups")
    else:
        # NOTE: the local directory's own files; readable by an administrator only.
        ids, admins = _dslocal(ctx)
        source = "/var/db/dslocal/nodes/Default"
    if not ids:
        raise NoAccounts("dscl gave no account list and the local directory files could not be read; "
                           "list accounts in System Settings > Users & Groups")
    accounts = []
    for name, uid in sorted(ids.items(), key=lambda item: item[1]):
        if uid >= 501 and not name.startswith("_"):
            admin = name in (admins or [])
            accounts.append(Account(name, f"uid {uid}", admin, evidence={
                "source": source, "uid": uid, "admin_group": admin if admins is not None else None}))
    return accounts, ""

def _dslocal(ctx: Context) -> tuple[dict[str, int], list[str] | None]:
    from digisafe.settings import accounts as parse
    from digisafe.settings.read import Unreadable, read_plist

    root = ctx.files.path("/var/db/dslocal/nodes/Default")
    ids: dict[str, int] = {}
    try:
        user_files = sorted((root / "users").glob("*.plist"))
    except OSError:
        return {}, None
    for path in user_files:
        try:
            ids.update(parse.dslocal_user(read_plist(path)))
        except Unreadable:
            continue
    try:
        admins = parse.dslocal_group_members(read_plist(root / "groups" / "admin.plist"))
    except Unreadable:
        admins = None
    return ids, admins

def _windows(ctx: Context, notes: list[str]) -> tuple[list[Account], str]:
    from digisafe.settings.read import Unreadable, run
    from digisafe.settings.windows import as_text, parse_net_list, reg_subkeys, reg_values

    by_name: dict[str, Account] = {}
    if ctx.registry is not None:
        for sid in reg_subkeys(ctx.registry, _PROFILES):
            rid = sid.rsplit("-", 1)[-1]
            if not sid.startswith("S-1-5-21-") or not rid.isdigit() or int(rid) < 500:
                continue
            path = as_text(reg_values(ctx.registry, rf"{_PROFILES}\{sid}").get("ProfileImagePath"))
            name = path.replace("/", "\\").rstrip("\\").rsplit("\\", 1)[-1] or sid
            by_name[name.lower()] = Account(name, sid, evidence={"key": rf"{_PROFILES}\{sid}",
                                                                 "ProfileImagePath": path})
    try:
        for name in parse_net_list(run(ctx, ["net", "user"]).stdout):
            if name.lower() not in _WINDOWS_BUILTIN:
                by_name.setdefault(name.lower(), Account(name, evidence={"command": "net user"}))
        result = run(ctx, ["net", "localgroup", "Administrators"])
        if result.returncode != 0:
            raise Unreadable("the Administrators group has another name on this system")
        for member in parse_net_list(result.stdout):
            short = member.rsplit("\\", 1)[-1]
            if short.lower() in _WINDOWS_BUILTIN and short.lower() not in by_name:
                continue
            account = by_name.setdefault(short.lower(), Account(member, evidence={}))
            account.admin = True
            account.evidence["administrators_member"] = member
    except Unreadable as exc:
        notes.append(f"local accounts and administrators not fully listed ({exc}); see Settings > "
                              "Accounts > Other users, or Computer Management > Local Users and Groups")
    if not by_name and ctx.registry is None:
        raise NoAccounts("neither the registry nor 'net user' could be read; see Settings > Accounts")
    return list(by_name.values()), ""
