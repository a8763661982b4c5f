"""DS-AND-060: accounts on the phone, location-sharing and family-tracking apps, location mode.

What it looks at: the accounts signed in (``dumpsys account``: Google, Samsung, Microsoft...),
apps that share the phone's location with other people (Life360, Google Family Link, Findmykids,
GeoZilla, Glympse, Microsoft Family Safety, carrier family locators, Find My Device) and whether
location is on.

Why it matters: a second Google or Samsung account on the phone can receive its location,
photos and messages on another device; a family-locator app shows where the phone is to everyone
in its circle. Neither looks like spyware.

False positives: a work account, a child's account on a family phone, a circle the person chose.

What to do: ask the person whether they know each account and circle. Removing an account or
leaving a circle may be noticed: decide with a stalking advocate first.
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Iterable

from digisafe.core.check import SAFETY_CAUTION, Check, Yielded
from digisafe.core.model import Confidence, Severity
from digisafe.core.platforms import Platform
from digisafe.core.subject import SubjectKind

if TYPE_CHECKING:
    from digisafe.android.snapshot import Account, PackageSnapshot, PhoneState
    from digisafe.core.context import Context
    from digisafe.core.model import Finding

LOCATION_APPS = {
    "com.life360.android.safetymapd": "Life360",
    "com.google.android.apps.kids.familylink": "Google Family Link (parent)",
    "com.google.android.apps.kids.familylinkhelper": "Google Family Link (supervised phone)",
    "org.findmykids.app": "Findmykids", "org.findmykids.child": "Pingo by Findmykids",
    "com.geozilla.family": "GeoZilla", "com.glympse.android.glympse": "Glympse",
    "com.microsoft.familysafety": "Microsoft Family Safety",
    "com.verizon.familybase.companion": "Verizon Smart Family (companion)",
    "com.google.android.apps.adm": "Google Find My Device",
}  # fmt: skip
SYNCING_ACCOUNTS = {"com.google": "Google", "com.osp.app.signin": "Samsung", "com.microsoft.workaccount": "Microsoft",
                    "com.xiaomi": "Xiaomi", "com.huawei.hwid": "Huawei"}  # fmt: skip
LOCATION_MODES = {"0": "off", "1": "device only (GPS)", "2": "battery saving", "3": "high accuracy"}


class AndroidSharingCheck(Check):
    id = "DS-AND-060"
    title = "Accounts, location-sharing apps and location mode"
    category = "location"
    subjects = frozenset({SubjectKind.ANDROID})
    platforms = frozenset({Platform.ANDROID})
    why = "A second account or a family-locator circle can share location, photos and messages."

    def run(self, ctx: Context) -> Iterable[Yielded]:
        from digisafe.android import collect

        accounts, notes = collect.accounts(ctx)
        yield from self.judge(accounts, collect.packages(ctx), collect.state(ctx))
        for note in notes:
            yield self.limitation(note)

    def judge(self, accounts: list[Account], snapshot: PackageSnapshot, state: PhoneState) -> Iterable[Finding]:
        counts = Counter(a.type for a in accounts)
        for type_, name in SYNCING_ACCOUNTS.items():
            if counts[type_] > 1:
                names = [a.name for a in accounts if a.type == type_]
                yield self.finding(
                    Severity.MEDIUM, f"{counts[type_]} {name} accounts are signed in on this phone", subject=name,
                    detail=f"Each can sync location, photos or messages to other devices: {', '.join(names)}.",
                    confidence=Confidence.MEDIUM, evidence={"type": type_, "accounts": names},
                    advice="Ask the person whether they know every account. " + SAFETY_CAUTION,
                    guidance="accounts.list",
                )  # fmt: skip
        if accounts:
            listing = [f"{a.name} ({SYNCING_ACCOUNTS.get(a.type, a.type)})" for a in accounts]
            yield self.finding(
                Severity.INFO, f"{len(accounts)} account(s) on the phone", subject="accounts",
                detail="; ".join(listing), confidence=Confidence.HIGH,
                evidence={"accounts": [{"type": a.type, "name": a.name} for a in accounts]}, guidance="accounts.list",
            )  # fmt: skip
        for package, name in LOCATION_APPS.items():
            app = snapshot.apps.get(package)
            if app is not None and app.installed:
                yield self.finding(
                    Severity.MEDIUM, f"{name} can share this phone's location", subject=package,
                    detail=f"{name} is installed: people in its circle or family group can see where the phone is.",
                    confidence=Confidence.MEDIUM, evidence=app.evidence(),
                    advice="Open the app with the person and look at who can see them. " + SAFETY_CAUTION,
                    guidance="location-sharing.family-apps",
                )  # fmt: skip
        mode = state.secure_settings.get("location_mode")
        if mode is not None and mode != "0":
            yield self.finding(
                Severity.INFO, f"Location is on ({LOCATION_MODES.get(mode, mode)})", subject="location_mode",
                detail="Apps allowed to use location, and accounts with location sharing, can see where the phone is.",
                confidence=Confidence.HIGH, evidence={"location_mode": mode},
                guidance="location-sharing.device-location",
            )  # fmt: skip
