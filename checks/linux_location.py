"""DS-LOC-010: location settings on a Linux desktop (GNOME, GeoClue, Flatpak/portal apps).

What it looks at:
- GNOME's location switch and accuracy (``gsettings get org.gnome.system.location enabled`` and
  ``max-accuracy-level``): Settings > Privacy > Location Services.
- GeoClue, the service that hands out location on most Linux desktops:
  /etc/geoclue/geoclue.conf and /etc/geoclue/conf.d/*.conf. Apps listed there with
  ``allowed=true`` get location without the desktop ever asking you; the ``[agent] whitelist``
  names the programs trusted to ask you on GeoClue's behalf; ``[wifi] url`` is the server that is
  sent nearby Wi-Fi networks to work out the position (an unusual server is reported).
- Sandboxed (Flatpak) apps you have allowed to see your location, from the desktop portal's
  permission store (``flatpak permissions location location``). The portal records "last used" as
  time since the computer started, not as a date, so no date is shown.

Why it matters: a program that can read this laptop's location, and that someone else installed
or can reach, can tell them where you are. Apps added to GeoClue's allowed list never ask.

False positives: GeoClue's own defaults (the clock and colour panels, GNOME Shell, Epiphany,
Firefox) are not reported. Night-light tools (redshift, gammastep) and weather or map apps
are often allowed on purpose. Location being switched on is not sharing by itself.

Limits: only this user's desktop settings are read. If gsettings or flatpak is missing, or a file
cannot be read, the report says so instead of saying the setting is safe.

What to do: note any app you do not recognise. You can switch location off in Settings > Privacy >
Location Services, and remove an app's permission in Settings > Apps, but that may be noticed:
talk to a stalking advocate (ISAC) first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Generator, Iterable

from digisafe.core.check import Check, CheckSkipped, Yielded
from digisafe.core.model import Confidence, Severity
from digisafe.core.platforms import Platform

if TYPE_CHECKING:
    from digisafe.core.context import Context
    from digisafe.settings.linux_location import LinuxLocationSnapshot

_PRECISE = ("exact", "street")
_SCHEMA = "org.gnome.system.location"
# A source reader yields its findings and limitations, then returns whether the source could be read.
Read = Generator[Yielded, None, bool]


class LinuxLocationCheck(Check):
    id = "DS-LOC-010"
    title = "Location settings on this Linux desktop"
    category = "location"
    platforms = frozenset({Platform.LINUX})
    why = "Programs allowed to read this laptop's location can tell someone else where you are."

    def run(self, ctx: Context) -> Iterable[Yielded]:
        from digisafe.settings.linux_location import collect_linux_location

        yield from self.judge(collect_linux_location(ctx))

    def judge(self, snap: LinuxLocationSnapshot) -> Iterable[Yielded]:
        """Findings from one reading of the location settings; no Context needed."""
        if snap.sudo_caveat:
            yield self.limitation(snap.sudo_caveat)
        read_gnome = yield from self._gnome(snap)
        read_geoclue = yield from self._geoclue(snap)
        read_portal = yield from self._portal(snap)
        if not (read_gnome or read_geoclue or read_portal):
            raise CheckSkipped("no location settings could be read here (no GNOME settings, no GeoClue "
                               "configuration, no app permission store); check your desktop's privacy "
                               "settings by hand")

    def _gnome(self, snap: LinuxLocationSnapshot) -> Read:
        from digisafe.settings import advice

        if snap.gnome_problem:
            yield self.limitation(f"GNOME location switch not read: {snap.gnome_problem}")
            return False
        if snap.gnome_enabled is not True:
            return True
        accuracy = snap.accuracy
        precise = accuracy in _PRECISE
        yield self.finding(
            Severity.LOW if precise else Severity.INFO,
            "Location Services are switched on for this desktop"
            + (f" (as precise as '{accuracy}')" if accuracy else ""),
            subject=f"{_SCHEMA} enabled",
            detail="Programs that ask can be told where this laptop is"
            + (", down to a street or exact position." if precise else ".")
            + " On its own this is not sharing; it matters when a program or account the other person "
            "controls can read it.",
            confidence=Confidence.HIGH,
            evidence={"schema": _SCHEMA, "enabled": True, "max-accuracy-level": accuracy or None},
            advice=advice("If you do not need location, it can be switched off in Settings > Privacy > "
                          "Location Services."),
            guidance="location-sharing",
        )
        return True

    def _geoclue(self, snap: LinuxLocationSnapshot) -> Read:
        from digisafe.settings import advice
        from digisafe.settings.linux import GEOCLUE_DEFAULT_AGENTS, GEOCLUE_DEFAULT_ALLOWED, parse_geoclue_config

        files, problems = list(snap.geoclue_files), snap.geoclue_problems
        for problem in problems:
            yield self.limitation(f"GeoClue configuration not read: {problem}")
        if not files:
            return False
        config = parse_geoclue_config(files)
        for problem in config.problems:
            yield self.limitation(f"GeoClue configuration file could not be understood: {problem}")
        for app in config.allowed_without_asking:
            if app.app_id in GEOCLUE_DEFAULT_ALLOWED:
                continue
            who = f"users with ID {app.users}" if app.users else "every user"
            yield self.finding(
                Severity.MEDIUM,
                f"'{app.app_id}' may read your location without ever asking",
                subject=f"GeoClue [{app.app_id}] allowed=true",
                detail=f"GeoClue's configuration lets '{app.app_id}' get this laptop's location for {who} "
                "without the desktop asking you. It is not one of GeoClue's built-in exceptions, so "
                "someone with administrator rights added it.",
                confidence=Confidence.HIGH,
                evidence={"file": app.source, "section": app.app_id, "allowed": True,
                          "system": app.system, "users": app.users},
                advice=advice("If you do not know this program, note it and ask someone you trust to "
                              "look at what it is."),
                guidance="location-sharing",
            )
        yield from self._geoclue_servers(config)
        extra_agents = [a for a in config.whitelist if a not in GEOCLUE_DEFAULT_AGENTS]
        if extra_agents:
            yield self.finding(
                Severity.MEDIUM,
                "An extra program is trusted to approve location requests",
                subject="GeoClue [agent] whitelist",
                detail="GeoClue lets the programs on this list decide which apps get your location. "
                f"These are not standard: {', '.join(extra_agents)}. Such a program could approve "
                "requests without showing you anything.",
                confidence=Confidence.MEDIUM,
                evidence={"file": config.whitelist_source, "whitelist": config.whitelist,
                          "unexpected": extra_agents},
                advice=advice("Note the names and ask someone you trust to look at them."),
                guidance="location-sharing",
            )
        return True

    def _geoclue_servers(self, config) -> Iterable[Yielded]:  # noqa: ANN001
        from digisafe.settings import advice
        from digisafe.settings.linux import geoclue_unusual_servers

        servers = geoclue_unusual_servers(config)
        if not servers:
            return
        hosts = ", ".join(sorted(set(servers.values())))
        yield self.finding(
            Severity.MEDIUM,
            f"GeoClue sends the Wi-Fi networks around you to an unusual server ({hosts})",
            subject="GeoClue [wifi]",
            detail="To work out where this laptop is, GeoClue sends the names and addresses of nearby Wi-Fi "
            f"networks to {hosts}. That is not one of the public services it normally uses, so whoever runs "
            "that server could learn where this laptop is.",
            confidence=Confidence.MEDIUM,
            evidence={"file": config.wifi_source, **config.wifi, "unusual": servers},
            advice=advice("Note the server name and ask someone you trust to look at it."),
            guidance="location-sharing",
        )

    def _portal(self, snap: LinuxLocationSnapshot) -> Read:
        from digisafe.settings import advice

        store = snap.portal_store
        if not store:
            return False  # no sandboxed app has ever been given (or asked for) location
        if snap.portal_unavailable:
            yield self.limitation(f"app location permissions ({store}) not read: {snap.portal_unavailable}; check "
                                  "Settings > Apps (or Flatseal) for apps allowed to use your location")
            return False
        if snap.portal_error:
            yield self.limitation(f"app location permissions not read: flatpak said {snap.portal_error!r}")
            return False
        for grant in snap.portal_grants:
            if grant.accuracy in ("none",):
                continue
            name = grant.app_id or "programs outside the app sandbox"
            yield self.finding(
                Severity.LOW if grant.app_id else Severity.MEDIUM,
                f"'{name}' is allowed to see your location" if grant.app_id
                else "Programs outside the app sandbox were allowed to see your location",
                subject=f"portal location permission {grant.app_id or '(no app ID)'}",
                detail=f"'{name}' was allowed to read this laptop's location through the desktop portal"
                + (f" ({grant.accuracy} accuracy)" if grant.accuracy else "")
                + ("." if grant.app_id else "; that answer covers every program the portal could not name.")
                + (" It has used it at least once." if grant.last_used else ""),
                confidence=Confidence.HIGH,
                evidence={"store": store, "app": grant.app_id, "accuracy": grant.accuracy or None,
                          "last_used_monotonic_us": grant.last_used},
                advice=advice("If you do not use this app, note it. Its permission can be removed in "
                              "Settings > Apps."),
                guidance="location-sharing",
            )
        return True
