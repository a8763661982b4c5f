"""DS-MAC-010: Find My Mac, and whether it is tied to the Apple Account signed in on this Mac.

What it looks at: the firmware variable that Find My Mac sets when it is switched on
(``nvram -x -p``: ``fmm-mobileme-token-FMM``, which names the Apple Account, and
``fmm-computer-name``), compared with the iCloud account(s) signed in for this user
(~/Library/Preferences/MobileMeAccounts.plist, ``Accounts[].AccountID``).

Why it matters: whoever can sign in to the Apple Account that Find My Mac uses can see where this
Mac is, play a sound, lock it or erase it, at icloud.com/find or on any of their Apple devices. If
that account is not the one you use on this Mac (for example the other person's, or a shared
family account), they can follow this laptop. Even when it is your own account, anyone who knows
its password can do the same.

False positives: a Mac bought second-hand or set up by someone else for you may still be tied to
their account; a work Mac may use the employer's account. Both still let that account locate it.

Limits: if ``nvram`` cannot be read, the check is skipped; look in System Settings > [your name] >
iCloud > Find My Mac (older macOS: System Preferences > Apple ID > iCloud).

What to do: note the account shown. Switching Find My off, or signing out, needs that account's
password and the other person may notice the Mac disappear from their list: talk to a stalking
advocate (ISAC) before you change it. Change the password of your own Apple Account only from a
safe device.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from digisafe.core.check import Check, CheckSkipped, Yielded
from digisafe.core.model import Confidence, Severity
from digisafe.core.platforms import Platform

if TYPE_CHECKING:
    from digisafe.core.context import Context
    from digisafe.settings.macos_collect import FindMySnapshot

_BY_HAND = "check System Settings > [your name] > iCloud > Find My Mac to see if it is on and for which account"


class FindMyMacCheck(Check):
    id = "DS-MAC-010"
    title = "Find My Mac and the Apple Account it reports to"
    category = "location"
    platforms = frozenset({Platform.MACOS})
    why = "Whoever holds the Apple Account Find My Mac uses can locate, lock or erase this Mac."

    def run(self, ctx: Context) -> Iterable[Yielded]:
        from digisafe.settings.macos_collect import collect_find_my

        yield from self.judge(collect_find_my(ctx))

    def judge(self, snap: FindMySnapshot) -> Iterable[Yielded]:
        """Find My Mac and its account against the accounts signed in here; no Context needed."""
        if snap.nvram_problem or snap.find_my is None:
            raise CheckSkipped(f"{snap.nvram_problem or 'firmware settings not read'}; {_BY_HAND}")
        find_my, accounts = snap.find_my, snap.accounts
        if snap.accounts_problem:
            yield self.limitation(f"the iCloud account signed in here could not be read: {snap.accounts_problem}")
        signed_in = [a.account_id for a in accounts]
        service_on = [a.account_id for a in accounts if "FIND_MY_MAC" in a.services]
        if not find_my.enabled:
            if service_on:
                yield self.limitation("iCloud says Find My Mac is on for " + ", ".join(service_on)
                                      + " but the firmware has no Find My token; " + _BY_HAND)
            return
        evidence = {"nvram_variable": "fmm-mobileme-token-FMM", "find_my_account": find_my.apple_id or None,
                    "owner_name": find_my.owner_name or None, "computer_name": find_my.computer_name or None,
                    "icloud_accounts_here": signed_in, "accounts_file": snap.accounts_file}
        if find_my.problem:
            yield self.limitation(f"Find My Mac is on, but {find_my.problem}; {_BY_HAND}")
        same_dsid = bool(find_my.person_id) and any(a.dsid == find_my.person_id for a in accounts)
        yield self._finding(find_my, signed_in, evidence, same_dsid)

    def _finding(self, find_my, signed_in: list[str], evidence: dict, same_dsid: bool):  # noqa: ANN001, ANN202
        from digisafe.settings import advice
        from digisafe.settings.macos import same_account

        account = find_my.apple_id
        owner = f" (owner name: {find_my.owner_name})" if find_my.owner_name else ""
        if same_dsid or (account and any(same_account(account, a) for a in signed_in)):
            return self.finding(
                Severity.INFO,
                f"Find My Mac is on: anyone who knows the password of {account} can see where this Mac is",
                subject=f"Find My Mac: {account}",
                detail=f"Find My Mac reports this Mac's location to {account}{owner}, the iCloud account "
                "signed in here. Whoever can sign in to it can locate, lock or erase this Mac.",
                confidence=Confidence.HIGH,
                evidence=evidence,
                advice=advice("If anyone else knows or could guess this account's password, change it from a "
                              "safe device and check the account's trusted phone numbers."),
                guidance="location-sharing",
            )
        other = account or "an Apple Account that could not be read"
        here = ", ".join(signed_in) if signed_in else "no iCloud account"
        return self.finding(
            Severity.HIGH if account else Severity.MEDIUM,
            f"Find My Mac reports this Mac's location to a different account ({other})",
            subject=f"Find My Mac: {other}",
            detail=f"Find My Mac is tied to {other}{owner}, but {here} is signed in on this Mac. Whoever "
            "controls that account can see where this Mac is, lock it or erase it, without using it.",
            confidence=Confidence.HIGH if account and signed_in else Confidence.MEDIUM,
            evidence=evidence,
            advice=advice("Write down the account name shown here. Do not switch Find My off yet."),
            guidance="location-sharing",
        )
