"""DS-ACCT-010: other user accounts on this laptop, especially ones with administrator rights.

What it looks at:
- Linux: /etc/passwd (accounts with a user ID from UID_MIN in /etc/login.defs, normally 1000, and a
  real login shell; and any account other than root with user ID 0), /etc/group (members of
  sudo, wheel and admin), and, with administrator rights, /etc/shadow (whether an account can sign
  in with a password at all).
- macOS: ``dscl . list /Users UniqueID`` (IDs from 501, not starting with "_") and
  ``dscl . read /Groups/admin GroupMembership``.
- Windows: the profiles in HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\ProfileList (accounts
  that have signed in at least once), ``net user`` and ``net localgroup Administrators``. Windows'
  built-in accounts (Administrator, Guest, DefaultAccount, WDAGUtilityAccount) are only reported
  when they have been used.

Why it matters: another account is another way in. An administrator account can read every file,
install monitoring software and change any setting, including for your account, often without you
seeing it. An extra account with user ID 0 on Linux is an administrator in disguise.

False positives: accounts for other family members, a second account of your own, or IT support on
a work laptop.

Limits: one check for all three systems, so it picks the right sources by the system it runs on.
Whether a Linux account has a password is visible only with administrator rights. On Windows in
another language, the Administrators group may have another name and the report says it could not
be listed.

What to do: note any account you do not recognise and who might know its password. Removing an
account or changing its password may be noticed: talk to a stalking advocate (ISAC) first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generator, Iterable

from digisafe.core.check import Check, CheckSkipped, Yielded
from digisafe.core.model import Confidence, Severity

if TYPE_CHECKING:
    from digisafe.core.context import Context

_WINDOWS_BUILTIN = {"administrator", "guest", "defaultaccount", "wdagutilityaccount", "defaultuser0"}
_PROFILES = r"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\ProfileList"


@dataclass
class Account:
    name: str
    ident: str = ""  # uid or SID
    admin: bool = False
    superuser: bool = False  # Linux uid 0 that is not root
    can_sign_in: bool | None = None  # None when unknown
    evidence: dict = field(default_factory=dict)


# A platform reader yields limitations, then returns the accounts and the owner of our home folder
# (a name, or "" when the reader cannot tell).
Read = Generator[Yielded, None, tuple[list[Account], str]]


class LocalAccountsCheck(Check):
    id = "DS-ACCT-010"
    title = "Other user accounts on this laptop, and who has administrator rights"
    category = "accounts"
    requires = ("administrator rights to see whether Linux accounts have a password",)
    why = "Another account, above all an administrator, is another way into this laptop and its files."

    def run(self, ctx: Context) -> Iterable[Yielded]:
        # NOTE: under sudo, SUDO_USER names the person; USER would say root.
        me = (ctx.files.env("SUDO_USER") or ctx.files.env("USER") or ctx.files.env("LOGNAME")
              or ctx.files.env("USERNAME") or "").lower()
        # NOTE: the same question needs different sources on each system, so this one check
        # picks its reader by platform (the runner still declares it for all three).
        reader = {"linux": self._linux, "macos": self._mac, "windows": self._windows}[ctx.platform]
        accounts, home_owner = yield from reader(ctx)
        me = me or home_owner
        if not me:
            yield self.limitation("could not tell which account is yours; every account is listed")
        for account in accounts:
            if account.name.lower() == me or account.name.lower().rsplit("\\", 1)[-1] == me:
                continue
            yield self._finding(account)

    def _linux(self, ctx: Context) -> Read:
        from digisafe.settings import accounts as parse
        from digisafe.settings.read import Unreadable, read_text

        try:
            passwd = parse.parse_passwd(read_text(ctx.files.path("/etc/passwd")))
        except Unreadable as exc:
            raise CheckSkipped(f"{exc}; list accounts in Settings > Users") from None
        texts = {}
        for name in ("/etc/group", "/etc/login.defs"):
            try:
                texts[name] = read_text(ctx.files.path(name))
            except Unreadable as exc:
                texts[name] = ""
                if name == "/etc/group":
                    yield self.limitation(f"administrator groups not read: {exc}")
        admins = parse.admin_members(passwd, parse.parse_group(texts["/etc/group"]))
        locked: set[str] | None = None
        try:
            locked = parse.locked_accounts(read_text(ctx.files.path("/etc/shadow")))
        except Unreadable:
            yield self.limitation("whether each account has a password needs administrator rights (/etc/shadow)")
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

    def _mac(self, ctx: Context) -> Read:
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
                yield self.limitation(f"the admin group was not read ({exc}); see System Settings > Users & Groups")
        else:
            # NOTE: the local directory's own files; readable by an administrator only.
            ids, admins = self._dslocal(ctx)
            source = "/var/db/dslocal/nodes/Default"
        if not ids:
            raise CheckSkipped("dscl gave no account list and the local directory files could not be read; "
                               "list accounts in System Settings > Users & Groups")
        accounts = []
        for name, uid in sorted(ids.items(), key=lambda item: item[1]):
            if uid >= 501 and not name.startswith("_"):
                admin = name in (admins or [])
                accounts.append(Account(name, f"uid {uid}", admin, evidence={
                    "source": source, "uid": uid, "admin_group": admin if admins is not None else None}))
        return accounts, ""

    def _dslocal(self, ctx: Context) -> tuple[dict[str, int], list[str] | None]:
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

    def _windows(self, ctx: Context) -> Read:
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
            yield self.limitation(f"local accounts and administrators not fully listed ({exc}); see Settings > "
                                  "Accounts > Other users, or Computer Management > Local Users and Groups")
        if not by_name and ctx.registry is None:
            raise CheckSkipped("neither the registry nor 'net user' could be read; see Settings > Accounts")
        return list(by_name.values()), ""

    def _finding(self, account: Account):  # noqa: ANN202
        from digisafe.settings import advice

        if account.superuser:
            severity, title = Severity.HIGH, f"The account '{account.name}' has full control of this laptop (user ID 0)"
        elif account.admin:
            severity = Severity.MEDIUM
            title = f"Another account, '{account.name}', has administrator rights on this laptop"
        else:
            severity, title = Severity.LOW, f"Another account, '{account.name}', can sign in to this laptop"
        locked = " It has no password set for signing in, but may still be usable in other ways (for example an " \
            "SSH key)." if account.can_sign_in is False else ""
        power = ("Whoever can use it can read every file, install monitoring programs and change any setting, "
                 "including for your account." if account.admin else
                 "Whoever knows its password has their own way into this laptop.")
        return self.finding(
            severity,
            title,
            subject=f"account {account.name}" + (f" ({account.ident})" if account.ident else ""),
            detail=power + locked,
            confidence=Confidence.HIGH,
            evidence={"account": account.name, "id": account.ident or None, "administrator": account.admin,
                      "password_sign_in": account.can_sign_in, **account.evidence},
            advice=advice("If you do not recognise this account, or someone else knows its password, note it."),
            guidance="accounts",
        )
