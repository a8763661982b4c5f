"""DS-BRW-010: websites allowed to see this laptop's location, or to use its camera or microphone.

What it looks at: every profile of Chrome, Chromium, Edge, Brave, Vivaldi and Opera (the
``Preferences`` file: ``profile.content_settings.exceptions.geolocation``, ``media_stream_camera``
and ``media_stream_mic`` entries set to 1 = allow, and ``profile.default_content_setting_values``; and
the rules an enabled extension set through chrome.contentSettings, which Chromium keeps in
``extensions.settings.<id>.content_settings`` instead)
and of Firefox (``permissions.sqlite``, table ``moz_perms``: types ``geo``, ``camera`` and
``microphone`` with permission 1 = allow, leaving out expired ones; ``prefs.js``/``user.js``
``permissions.default.*`` = 1, and the testing switches ``media.navigator.permission.disabled``
and ``geo.prompt.testing`` + ``geo.prompt.testing.allow``, which let every website in without a
prompt and leave nothing in permissions.sqlite); and browser policies that allow this without asking
(``DefaultGeolocationSetting``, ``VideoCaptureAllowedUrls``, ``AudioCaptureAllowedUrls``; Firefox
``Permissions.*.Allow``). Files are read from a private copy; nothing is changed.

Why it matters: a website allowed to read location can see where this laptop is whenever that
site is open in the browser, without asking again. A site with camera or microphone access can
see or hear the room. Someone with access to the laptop can grant this to a site they control.

False positives: map, weather, delivery or video-call websites that you allowed yourself. The
finding shows when the permission was last changed, which can help you remember.

What to do: look at the list with a stalking advocate (ISAC). Before you remove a permission,
think about whether the other person would notice. To check by hand: in Chrome-like browsers open
Settings > Privacy and security > Site settings > Location (and Camera, Microphone); in Firefox
open Settings > Privacy & Security > Permissions > Location (and Camera, Microphone) > Settings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from digisafe.core.check import Check, Yielded
from digisafe.core.model import Confidence, Severity

if TYPE_CHECKING:
    from digisafe.browsers import policies
    from digisafe.browsers.collect import BrowserSnapshot, ProfileFiles
    from digisafe.browsers.discovery import BrowserProfile
    from digisafe.browsers.model import SitePermission
    from digisafe.core.context import Context

# NOTE: the digisafe.browsers helpers (and sqlite3) are imported inside the functions that use them:
# `digisafe checks` imports every check module for its metadata, and those cost ~20 ms at start-up.

HOW_BY_HAND = ("in each browser open Settings > Privacy and security > Site settings (Chrome, Edge, "
               "Brave) or Settings > Privacy & Security > Permissions (Firefox) and look at Location, "
               "Camera and Microphone")
_ABILITY = {"location": "see this laptop's location", "camera": "use the camera",
            "microphone": "use the microphone"}


def abilities(kinds: Iterable[str]) -> str:
    ordered = [k for k in ("location", "camera", "microphone") if k in set(kinds)]
    words = [_ABILITY[k] for k in ordered]
    if "camera" in ordered and "microphone" in ordered:
        words = [w for w in words if w not in (_ABILITY["camera"], _ABILITY["microphone"])]
        words.append("use the camera and microphone")
    return " and ".join(words)


def where_to_look(profile: BrowserProfile) -> str:
    from digisafe.browsers.locations import CHROMIUM

    if profile.engine == CHROMIUM:
        return f"In {profile.browser} open Settings > Privacy and security > Site settings."
    return "In Firefox open Settings > Privacy & Security > Permissions."


class BrowserSitePermissionsCheck(Check):
    id = "DS-BRW-010"
    title = "Websites allowed to see location or use the camera or microphone"
    category = "location"
    why = "A website allowed to read location can see where this laptop is whenever it is open."

    def run(self, ctx: Context) -> Iterable[Yielded]:
        from digisafe.browsers.collect import collect_browsers

        files = {"chromium": ("Preferences", "Secure Preferences")}
        texts = {"firefox": ("prefs.js", "user.js")}
        yield from self.judge(collect_browsers(ctx, files, texts, policies=True, permissions=True))

    def judge(self, snapshot: BrowserSnapshot) -> Iterable[Yielded]:
        """Sites allowed location, camera or microphone, per profile and by policy; no Context needed."""
        from digisafe.browsers import policies
        from digisafe.browsers.common import skip_unless_profiles
        from digisafe.browsers.locations import CHROMIUM

        found = skip_unless_profiles(snapshot.discovery, HOW_BY_HAND)
        for message in found.limitations:
            yield self.limitation(message)
        for files in snapshot.profiles:
            if files.profile.engine == CHROMIUM:
                yield from self._chromium(files, snapshot.now)
            else:
                yield from self._firefox(files, snapshot.now)
        for message in snapshot.policy_problems:
            yield self.limitation(message)
        for policy in snapshot.policies:
            for kind, site, name in policies.allowed_sites(policy):
                yield self._policy_finding(policy, kind, site, name)

    def _policy_finding(self, policy: policies.PolicySet, kind: str, site: str, name: str):
        from digisafe.browsers.common import BROWSER_CAUTION
        from digisafe.browsers.model import LOCATION, site_name

        can = abilities([kind])
        every = site == "*"
        who = "Every website" if every else f"The website {site_name(site)}"
        return self.finding(
            Severity.HIGH if every and kind == LOCATION else Severity.MEDIUM,
            f"{who} can {can} without asking in {policy.browser}, set by a policy",
            subject=f"{policy.browser} policy {name}: {site}",
            detail=f"A policy ({name} in {policy.where}) lets {'all websites' if every else site} {can} "
                   f"without asking, in every profile of {policy.browser}. Policies are set by someone with "
                   "administrator rights on this laptop, or by an employer.",
            confidence=Confidence.MEDIUM,
            evidence={"browser": policy.browser, "file": policy.where, "setting": name, "site": site},
            advice=f"{policy.browser} lists its policies at chrome://policy (Firefox: about:policies). "
                   + BROWSER_CAUTION,
            guidance="location-sharing.browser-sites",
        )

    def _chromium(self, files: ProfileFiles, now: float) -> Iterable[Yielded]:
        from digisafe.browsers import chromium
        from digisafe.browsers.model import is_every_site

        profile = files.profile
        path = profile.path / "Preferences"
        read = files.read("Preferences")
        if read.missing:
            return
        if not read.ok or not isinstance(read.data, dict):
            yield self.limitation(f"{profile.label}: {read.problem or f'{path} is not a settings file'}. "
                                  + where_to_look(profile))
            return
        grouped = _by_site(chromium.site_permissions(read.data, now))
        for origin, perms in grouped.items():
            if is_every_site(origin):
                for perm in perms:
                    yield self._default_finding(profile, path, perm.kind, perm.setting)
            else:
                yield self._site_finding(profile, path, origin, perms, read.modified)
        for kind, setting in chromium.default_allowed(read.data):
            yield self._default_finding(profile, path, kind, setting)
        yield from self._chromium_extensions(profile, read.data, files.read("Secure Preferences").data)

    def _chromium_extensions(self, profile: BrowserProfile, prefs: dict, secure: object) -> Iterable[Yielded]:
        """Sites an extension allowed through chrome.contentSettings (stored with the extension)."""
        from digisafe.browsers import chromium
        from digisafe.browsers.common import BROWSER_CAUTION, evidence
        from digisafe.browsers.model import LOCATION, display_origin, is_every_site, site_name

        settings = chromium.extension_settings(prefs, secure)
        in_secure = chromium.extension_settings(None, secure)
        grouped: dict[tuple[str, str], list[SitePermission]] = {}
        for ext_id, perm in chromium.extension_site_permissions(settings):
            grouped.setdefault((ext_id, perm.origin), []).append(perm)
        for (ext_id, origin), perms in grouped.items():
            path = profile.path / ("Secure Preferences" if ext_id in in_secure else "Preferences")
            every = is_every_site(origin)
            kinds = [p.kind for p in perms]
            can = abilities(kinds)
            who = "Every website" if every else f"The website {site_name(origin)}"
            yield self.finding(
                Severity.HIGH if every and LOCATION in kinds else Severity.MEDIUM,
                f"{who} can {can} without asking in {profile.label}, allowed by an extension",
                subject=f"{profile.label}: extension {ext_id}: {origin}",
                detail=f"The extension {ext_id} has told {profile.browser} to let "
                       f"{'ALL websites' if every else display_origin(origin)} {can} without asking. This "
                       "does not show as a normal site permission; it lasts while the extension is on. "
                       "Extensions that do this are rare: find out who installed it.",
                confidence=Confidence.MEDIUM,
                evidence=evidence(profile, path, ", ".join(p.setting for p in perms), site=origin,
                                  extension_id=ext_id, rules=[dict(p.raw) for p in perms]),
                advice=f"Open the extensions page of {profile.browser} and look for the ID {ext_id} (switch "
                       "on Developer mode to see IDs). " + BROWSER_CAUTION,
                guidance="location-sharing.browser-sites",
            )

    def _firefox(self, files: ProfileFiles, now: float) -> Iterable[Yielded]:
        from digisafe.browsers import firefox

        profile = files.profile
        path = profile.path / "permissions.sqlite"
        if files.permissions is not None:
            rows = list(files.permissions.rows)
            if files.permissions.problem:
                yield self.limitation(f"{profile.label}: {path} could not be read ({files.permissions.problem}). "
                                      + where_to_look(profile))
            for origin, perms in _by_site(firefox.site_permissions(rows, now)).items():
                # Firefox stores no wildcard rules, so every row is one website.
                yield self._site_finding(profile, path, origin, perms, files.permissions.modified)
        prefs: dict = {}
        came_from: dict[str, str] = {}
        for name in ("prefs.js", "user.js"):  # user.js wins: Firefox applies it last
            text = files.text.get(name)
            if text:
                values = firefox.parse_prefs(text, firefox.WANTED_PREFS)
                prefs.update(values)
                came_from.update(dict.fromkeys(values, name))
        for kind, setting in firefox.default_allowed(prefs):
            first = setting.split(" + ")[0]
            yield self._default_finding(profile, profile.path / came_from.get(first, "prefs.js"), kind, setting,
                                        prefs.get(first, 1))

    def _site_finding(self, profile: BrowserProfile, path, origin: str, perms: list[SitePermission],
                      modified: str | None):
        from digisafe.browsers.common import BROWSER_CAUTION, evidence
        from digisafe.browsers.model import LOCATION, display_origin, site_name

        site = site_name(origin)
        kinds = [p.kind for p in perms]
        can = abilities(kinds)
        granted = max((p.granted for p in perms if p.granted), default=None)
        since = f" It was last changed on {granted[:10]}." if granted else ""
        return self.finding(
            Severity.MEDIUM if LOCATION in kinds else Severity.LOW,
            f"The website {site} can {can} whenever it is open in {profile.label}",
            subject=f"{profile.label}: {origin}",
            detail=f"{profile.browser} remembers that {display_origin(origin)} may {can} without asking "
                   f"again.{since} "
                   "If you did not allow this yourself, someone with access to this laptop may have.",
            confidence=Confidence.LOW,
            evidence=evidence(profile, path, ", ".join(p.setting for p in perms), file_modified=modified,
                              site=origin,
                              permissions=[{"permission": p.kind, "setting": p.setting, "granted": p.granted,
                                            "expires": p.expires, "stored": dict(p.raw)} for p in perms]),
            advice=f"If you do not know this website, write it down. {where_to_look(profile)} "
                   + BROWSER_CAUTION,
            guidance="location-sharing.browser-sites",
        )

    def _default_finding(self, profile: BrowserProfile, path, kind: str, setting: str, value: object = 1):
        from digisafe.browsers.common import BROWSER_CAUTION, evidence
        from digisafe.browsers.model import LOCATION

        can = abilities([kind])
        hidden = "" if setting.startswith(("permissions.default", "profile.")) else (
            " This switch is not shown in Settings: look for it in about:config, and in the file user.js in "
            "the profile folder.")
        return self.finding(
            Severity.HIGH if kind == LOCATION else Severity.MEDIUM,
            f"Every website can {can} without asking, in {profile.label}",
            subject=f"{profile.label}: {setting}",
            detail=f"{profile.browser} is set to let ALL websites {can} without asking ({setting}). "
                   "Browsers never come set up like this: someone changed the setting.",
            confidence=Confidence.MEDIUM,
            evidence=evidence(profile, path, setting, value=value),
            advice=f"{where_to_look(profile)}{hidden} " + BROWSER_CAUTION,
            guidance="location-sharing.browser-sites",
        )


def _by_site(perms: list[SitePermission]) -> dict[str, list[SitePermission]]:
    grouped: dict[str, list[SitePermission]] = {}
    for perm in perms:
        grouped.setdefault(perm.origin, []).append(perm)
    return grouped
