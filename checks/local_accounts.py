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

from typing import TYPE_CHECKING, Iterable

from digisafe.core.check import Check, CheckSkipped, Yielded
from digisafe.core.model import Confidence, Severity

if TYPE_CHECKING:
    from digisafe.core.context import Context
    from digisafe.settings.local_accounts import Account, AccountsSnapshot


class LocalAccountsCheck(Check):
    id = "DS-ACCT-010"
    title = "Other user accounts on this laptop, and who has administrator rights"
    category = "accounts"
    requires = ("administrator rights to see whether Linux accounts have a password",)
    why = "Another account, above all an administrator, is another way into this laptop and its files."

    def run(self, ctx: Context) -> Iterable[Yielded]:
        from digisafe.settings.local_accounts import collect_accounts

        yield from self.judge(collect_accounts(ctx))

    def judge(self, snapshot: AccountsSnapshot) -> Iterable[Yielded]:
        """A finding for every account that is not the person's own; no Context needed."""
        for note in snapshot.notes:
            yield self.limitation(note)
        if snapshot.unreadable:
            raise CheckSkipped(snapshot.unreadable)
        me = snapshot.me
        if not me:
            yield self.limitation("could not tell which account is yours; every account is listed")
        for account in snapshot.accounts:
            if account.name.lower() == me or account.name.lower().rsplit("\\", 1)[-1] == me:
                continue
            yield self._finding(account)

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
