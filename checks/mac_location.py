"""DS-MAC-040: Location Services on this Mac and the apps allowed to use it.

What it looks at: locationd's own files, which only an administrator (root) can read:
/var/db/locationd/Library/Preferences/ByHost/com.apple.locationd.*.plist (the
``LocationServicesEnabled`` switch) and /var/db/locationd/clients.plist (one entry per app or
program, with whether it is allowed and when it last used location).

Why it matters: an app allowed to use Location Services can tell whoever runs it, or whoever can
sign in to its account, where this Mac is. A program you do not recognise, especially one outside
/Applications, that is allowed location is a warning sign.

False positives: Apple's own services (com.apple.*) are normal and are only counted, not listed
one by one; maps, weather and "find my" style apps are often allowed on purpose.

Limits: without administrator rights these files cannot be read and the check is SKIPPED: look in
System Settings > Privacy & Security > Location Services, which lists every app and whether it is
allowed (an arrow next to an app means it used location recently).

What to do: note any app you do not recognise. Turning Location Services off notifies no one, but
the other person may notice that they can no longer see where you are: talk to a stalking advocate
(ISAC) first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from digisafe.core.check import Check, CheckSkipped, Yielded
from digisafe.core.model import Confidence, Severity
from digisafe.core.platforms import Platform

if TYPE_CHECKING:
    from digisafe.core.context import Context
    from digisafe.settings.macos_collect import LocationSnapshot

_BY_HAND = ("check System Settings > Privacy & Security > Location Services: it shows whether location is "
            "on and which apps may use it")
_TRUSTED_PLACES = ("/Applications/", "/System/", "/usr/libexec/", "/usr/sbin/", "/Library/Apple/")


def _is_apple(client) -> bool:  # noqa: ANN001
    name = client.bundle_id or client.key
    return name.startswith("com.apple.") or client.path.startswith(("/System/", "/usr/libexec/"))


class MacLocationServicesCheck(Check):
    id = "DS-MAC-040"
    title = "Location Services and apps allowed to use it"
    category = "location"
    platforms = frozenset({Platform.MACOS})
    requires = ("administrator rights",)
    why = "Apps allowed to use Location Services can tell someone else where this Mac is."

    def run(self, ctx: Context) -> Iterable[Yielded]:
        from digisafe.settings.macos_collect import collect_location

        yield from self.judge(collect_location(ctx))

    def judge(self, snap: LocationSnapshot) -> Iterable[Yielded]:
        """The apps allowed to use Location Services, if the switch is on; no Context needed."""
        from digisafe.settings import advice

        if snap.clients_problem:
            raise CheckSkipped(f"{snap.clients_problem}; {_BY_HAND}")
        clients, path, enabled = snap.clients, snap.clients_file, snap.enabled
        if enabled is None:
            yield self.limitation(f"the Location Services switch was not found; {_BY_HAND}")
        elif enabled is False:
            return  # switched off: no app gets location, whatever its permission says
        allowed = [c for c in clients if c.allowed]
        unclear = [c for c in clients if c.allowed is None and c.authorization != "not recorded"]
        apple = [c for c in allowed if _is_apple(c)]
        for client in allowed:
            if client not in apple:
                yield self._app_finding(client, str(path))
        for client in unclear:
            yield self.limitation(f"the permission of {client.bundle_id or client.key} could not be "
                                  f"understood ({client.authorization}); {_BY_HAND}")
        if enabled:
            yield self.finding(
                Severity.INFO,
                f"Location Services are on ({len(allowed)} apps allowed, {len(apple)} of them Apple's own)",
                subject="Location Services",
                detail="This Mac can work out where it is and give that to the apps allowed to ask.",
                confidence=Confidence.HIGH,
                evidence={"file": str(path), "allowed": len(allowed), "apple_allowed": sorted(
                    c.bundle_id or c.key for c in apple)},
                advice=advice("Review the list in System Settings > Privacy & Security > Location Services."),
                guidance="location-sharing",
            )

    def _app_finding(self, client, source: str):  # noqa: ANN001, ANN202
        from digisafe.settings import advice, mac_absolute_to_iso

        name = client.bundle_id or client.path or client.key
        odd_place = bool(client.path) and not client.path.startswith(_TRUSTED_PLACES)
        last = mac_absolute_to_iso(client.last_stopped)
        return self.finding(
            Severity.MEDIUM if odd_place else Severity.LOW,
            f"'{name}' is allowed to see where this Mac is",
            subject=f"location permission {name}",
            detail=f"'{name}' may use Location Services ({client.authorization})."
            + (f" It lives outside the usual app folders ({client.path})." if odd_place else "")
            + (f" It last stopped using location at {last} (UTC)." if last else ""),
            confidence=Confidence.HIGH,
            evidence={"file": source, "key": client.key, "bundle_id": client.bundle_id or None,
                      "path": client.path or None, "authorization": client.authorization,
                      "last_stopped": last},
            advice=advice("If you do not recognise this app, note its name and where it lives."),
            guidance="location-sharing",
        )
