"""DS-MAC-020: device management (MDM) enrolment and configuration profiles on this Mac.

What it looks at: ``profiles status -type enrollment`` (enrolled via DEP/Automated Device
Enrollment, MDM enrolment, the MDM server), the profiles this user can list (``profiles list``)
and, with administrator rights, every configuration profile (``profiles show -type configuration``).

Why it matters: a Mac enrolled in MDM, or carrying a configuration profile, can be given settings,
apps, certificates, VPNs and web proxies by whoever runs the management server or wrote the
profile. That can be used to read web traffic or keep watch on the Mac. On a personal Mac nobody
else should be managing it.

False positives: Macs from an employer or school are usually managed on purpose; some security
products and Wi-Fi networks install profiles.

Limits: device-wide profiles can only be listed with administrator rights; without them the report
says so. Look in System Settings > General > Device Management (on some versions Privacy &
Security > Profiles).

What to do: note the server name and each profile's name and organisation. A Mac enrolled through
DEP/Automated Device Enrollment cannot simply be removed from management; a user-approved one can,
but removal is visible to whoever manages it: talk to a stalking advocate (ISAC) first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from digisafe.core.check import Check, CheckSkipped, Yielded
from digisafe.core.model import Confidence, Severity
from digisafe.core.platforms import Platform

if TYPE_CHECKING:
    from digisafe.core.context import Context
    from digisafe.settings.macos_collect import ManagementSnapshot

_BY_HAND = ("look in System Settings > General > Device Management (or Privacy & Security > Profiles) for "
            "profiles and management")


class MacManagementCheck(Check):
    id = "DS-MAC-020"
    title = "Device management (MDM) and configuration profiles"
    category = "accounts"
    platforms = frozenset({Platform.MACOS})
    requires = ("administrator rights to list device-wide profiles",)
    why = "Whoever manages this Mac can push settings, apps and certificates to it and watch its traffic."

    def run(self, ctx: Context) -> Iterable[Yielded]:
        from digisafe.settings.macos_collect import collect_management

        yield from self.judge(collect_management(ctx))

    def judge(self, snap: ManagementSnapshot) -> Iterable[Yielded]:
        """MDM enrolment and every configuration profile listed; no Context needed."""
        if snap.tool_problem:
            raise CheckSkipped(f"the profiles tool could not be run ({snap.tool_problem}); {_BY_HAND}")
        enrollment = snap.enrollment
        if enrollment is None:
            yield self.limitation(f"MDM enrolment status not read (profiles said "
                                  f"{snap.enrollment_output!r}); {_BY_HAND}")
        elif enrollment.mdm or enrollment.dep:
            yield self._enrolled(enrollment)
        yield from self._profiles(snap)

    def _enrolled(self, enrollment):  # noqa: ANN001, ANN202
        from digisafe.settings import advice

        server = enrollment.server or "a management server"
        dep = " It was enrolled automatically (DEP), so it cannot simply be removed here." if enrollment.dep else ""
        return self.finding(
            Severity.HIGH,
            f"This Mac is managed remotely by {server}",
            subject=f"MDM enrolment ({server})",
            detail="This Mac is enrolled in device management (MDM). Whoever runs the server can install "
            "apps, settings, certificates and profiles, and can lock or erase it." + dep
            + (" You approved the enrolment at some point." if enrollment.user_approved else ""),
            confidence=Confidence.HIGH,
            evidence={"command": "profiles status -type enrollment", **enrollment.raw},
            advice=advice("If this is not a work or school Mac, note the server name."),
            guidance="laptop",
        )

    def _profiles(self, snap: ManagementSnapshot) -> Iterable[Yielded]:
        if not snap.device_wide_listed:
            yield self.limitation("device-wide configuration profiles need administrator rights to list; "
                                  + _BY_HAND)
        seen: set[tuple[str, str]] = set()
        for listing in snap.listings:
            if listing.problem.startswith("could not be run"):
                yield self.limitation(f"'{listing.command}' {listing.problem}")
                continue
            if listing.problem:
                yield self.limitation(f"'{listing.command}' did not list profiles ({listing.problem}); {_BY_HAND}")
                continue
            for profile in listing.profiles:
                key = (profile.scope, profile.identifier or profile.name)
                if key in seen:
                    continue
                seen.add(key)
                yield self._profile(profile, listing.command)

    def _profile(self, profile, command: str):  # noqa: ANN001, ANN202
        from digisafe.settings import advice

        scope = "the whole Mac" if profile.scope.startswith("_computer") else f"the user {profile.scope}"
        org = f" from {profile.organization}" if profile.organization else ""
        return self.finding(
            Severity.MEDIUM,
            f"A configuration profile is installed: {profile.name or profile.identifier}",
            subject=f"profile {profile.identifier or profile.name} ({profile.scope})",
            detail=f"The profile '{profile.name}'{org} changes settings for {scope}. Profiles can add "
            "certificates, VPNs and web proxies that let someone read web traffic, or restrict the Mac.",
            confidence=Confidence.HIGH,
            evidence={"command": command, "scope": profile.scope, "identifier": profile.identifier,
                      "name": profile.name, "organization": profile.organization,
                      "installed": profile.installed or None},
            advice=advice("If you did not install it, note its name and organisation."),
            guidance="laptop",
        )
