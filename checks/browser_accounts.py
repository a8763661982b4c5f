"""DS-BRW-020: the account each browser profile is signed in to or syncs with.

What it looks at: for Chrome, Chromium, Edge, Brave, Vivaldi and Opera, the profile list in
``Local State`` (``profile.info_cache``: ``user_name``, ``gaia_name``,
``is_consented_primary_account``, Edge's account type) and each profile's ``Preferences``
(``account_info``, ``google.services``, ``sync``; for Brave, whether the profile joined a Brave Sync
chain, ``brave_sync_v2.seed``, whose secret value is never copied); for Firefox, ``signedInUser.json`` (the Mozilla
account's email only: tokens and keys are never read into the report) and ``prefs.js``
``services.sync.username``.

Why it matters: a synced browser shares its browsing history, saved passwords, bookmarks and open
tabs with every device signed in to the same account. If the other person knows that account's
password, or set the browser up with their own account, they can see all of this from anywhere.

False positives: your own account, whose password nobody else knows, is the normal case. The
finding is there so you can ask: is this my account, and could anyone else sign in to it?

What to do: check that you know every account listed. If someone else knows the password, or
the account is theirs, talk to a stalking advocate (ISAC) before signing out or changing the
password: the other person may notice. To check by hand: the profile picture at the top right of
Chrome, Edge or Brave shows the account and whether sync is on; in Firefox, Settings > Sync.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from digisafe.core.check import Check, Yielded
from digisafe.core.model import Confidence, Severity

if TYPE_CHECKING:
    from digisafe.browsers.collect import BrowserSnapshot, ProfileFiles
    from digisafe.browsers.discovery import BrowserProfile
    from digisafe.browsers.model import Account
    from digisafe.core.context import Context

# NOTE: the digisafe.browsers helpers are imported inside the methods that use them: `digisafe
# checks` imports every check module for its metadata, and those helpers cost ~20 ms at start-up.

HOW_BY_HAND = ("click the profile picture at the top right of Chrome, Edge or Brave (it shows the "
               "account and whether sync is on); in Firefox open Settings > Sync")


class BrowserAccountsCheck(Check):
    id = "DS-BRW-020"
    title = "Accounts that browser profiles are signed in to or sync with"
    category = "accounts"
    why = "A synced browser shares history, passwords and open tabs with whoever else holds the account."

    def run(self, ctx: Context) -> Iterable[Yielded]:
        from digisafe.browsers.collect import collect_browsers

        files = {"chromium": ("Preferences",), "firefox": ("signedInUser.json",)}
        yield from self.judge(collect_browsers(ctx, files, {"firefox": ("prefs.js",)}))

    def judge(self, snapshot: BrowserSnapshot) -> Iterable[Yielded]:
        """The accounts each profile is signed in to; no Context needed."""
        from digisafe.browsers.common import skip_unless_profiles
        from digisafe.browsers.locations import CHROMIUM

        found = skip_unless_profiles(snapshot.discovery, HOW_BY_HAND)
        for message in found.limitations:
            yield self.limitation(message)
        for files in snapshot.profiles:
            if files.profile.engine == CHROMIUM:
                yield from self._chromium(files)
            else:
                yield from self._firefox(files)

    def _chromium(self, files: ProfileFiles) -> Iterable[Yielded]:
        from digisafe.browsers import chromium

        profile = files.profile
        path = profile.path / "Preferences"
        read = files.read("Preferences")
        prefs = read.data if read.ok and isinstance(read.data, dict) else {}
        if read.problem or (read.ok and not prefs):
            yield self.limitation(f"{profile.label}: {read.problem or f'{path} is not a settings file'}; "
                                  "only the browser's profile list was used for accounts")
        for found in chromium.accounts(prefs, profile.info, profile.browser):
            source = path if prefs else profile.data_dir / "Local State"
            setting = ("brave_sync_v2.seed" if not found.emails else
                       "account_info / google.services / Local State profile.info_cache")
            yield self._finding(profile, found, source, setting, read.modified)

    def _firefox(self, files: ProfileFiles) -> Iterable[Yielded]:
        from digisafe.browsers import firefox

        profile = files.profile
        path = profile.path / "signedInUser.json"
        read = files.read("signedInUser.json")
        if read.problem:
            yield self.limitation(f"{profile.label}: {read.problem}. In Firefox open Settings > Sync.")
        text = files.text.get("prefs.js") or ""
        prefs = firefox.parse_prefs(text, ["services.sync.username"])
        found = firefox.account(read.data if read.ok else None, prefs)
        if found is not None:
            source = path if read.ok else profile.path / "prefs.js"
            yield self._finding(profile, found, source, "accountData.email / services.sync.username",
                                read.modified)

    def _finding(self, profile: BrowserProfile, account: Account, path, setting: str, modified):
        from digisafe.browsers.common import BROWSER_CAUTION, evidence

        who = " and ".join(account.emails)
        if not account.emails:  # Brave Sync: devices join a chain with a code, no account
            title = f"{profile.label} is joined to a {account.provider}"
            detail = ("Every device that joined this sync chain (with its sync code) can see this "
                      "profile's browsing history, saved passwords, bookmarks and open tabs. Settings > "
                      "Sync in Brave lists the devices in the chain.")
            severity = Severity.LOW
        elif account.syncing:
            title = f"{profile.label} syncs with the {account.provider} {who}"
            detail = (f"Anyone who can sign in to {who} can see this profile's browsing history, saved "
                      "passwords, bookmarks and open tabs, on any device. If the other person knows "
                      "this account's password, or it is their account, they can see all of this.")
            severity = Severity.LOW
        else:
            title = f"{profile.label} is signed in to the {account.provider} {who}"
            detail = (f"The profile is signed in to {who} but full sync does not appear to be on. Websites "
                      "of that account (email, files, location history) open here without a password, and "
                      "newer browsers can still save passwords and bookmarks to the account.")
            severity = Severity.INFO
        return self.finding(
            severity,
            title,
            subject=f"{profile.label}: {who or account.provider}",
            detail=detail,
            confidence=Confidence.MEDIUM if account.syncing else Confidence.LOW,
            evidence=evidence(profile, path, setting, file_modified=modified, accounts=list(account.emails),
                              provider=account.provider, syncing=account.syncing, stored=dict(account.evidence)),
            advice="Check that this is your own account and that nobody else knows its password. "
                   + BROWSER_CAUTION,
            guidance="accounts.browser-sync",
        )
