"""DS-WIN-010: location, camera and microphone permissions on Windows, and which apps used them.

What it looks at (the registry values the Settings app writes):
- HKLM and HKCU \\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\CapabilityAccessManager\\ConsentStore
  \\location, \\webcam and \\microphone, value ``Value`` ("Allow"/"Deny"): the switch for the whole
  device, for this account, and (``\\NonPackaged``) for ordinary desktop programs;
- each app's entry below those keys (Store apps by package name; desktop programs under
  ``NonPackaged`` by their path, with '#' for '\\'), with ``LastUsedTimeStart``/``LastUsedTimeStop``
  (FILETIME, shown here in UTC);
- policies that force location or app access on: HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows\\AppPrivacy
  (LetAppsAccessLocation/Camera/Microphone = 1, *_ForceAllowTheseApps) and
  \\LocationAndSensors DisableLocation.

Why it matters: a program that can read this laptop's location, camera or microphone can pass it
to someone else. Desktop programs are not asked about one by one: when "Let desktop apps access
your location" is on, any of them can use it. A program in a user folder (AppData, Temp,
Downloads, ProgramData) that used location or the camera is a warning sign.

False positives: Windows' own apps (Microsoft.*) are counted, not listed; video-call apps using
the camera and microphone; weather and map apps using location.

Limits: only this Windows account's app list is read (other accounts need administrator rights).
Usage times are what Windows recorded; a stop time of zero is commonly read as "in use now".

What to do: note apps and times you do not recognise. The switches are in Settings > Privacy &
security > Location / Camera / Microphone; changing them may be noticed: talk to a stalking
advocate (ISAC) first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from digisafe.core.check import Check, CheckSkipped, Yielded
from digisafe.core.model import Confidence, Severity
from digisafe.core.platforms import Platform

if TYPE_CHECKING:
    from digisafe.core.context import Context
    from digisafe.settings.windows_collect import WindowsSnapshot

_CAPABILITIES = {  # registry name -> (plain word, policy suffix, guidance)
    "location": ("location", "Location", "location-sharing"),
    "webcam": ("camera", "Camera", "laptop"),
    "microphone": ("microphone", "Microphone", "laptop"),
}
_POLICY = r"HKLM\SOFTWARE\Policies\Microsoft\Windows\AppPrivacy"
_SENSORS = r"HKLM\SOFTWARE\Policies\Microsoft\Windows\LocationAndSensors"


class WindowsPrivacyConsentCheck(Check):
    id = "DS-WIN-010"
    title = "Apps allowed to use location, camera and microphone (Windows)"
    category = "location"
    platforms = frozenset({Platform.WINDOWS})
    why = "Programs allowed to use location, camera or microphone can pass them to someone else."

    def run(self, ctx: Context) -> Iterable[Yielded]:
        from digisafe.settings.windows import CONSENT_STORE
        from digisafe.settings.windows_collect import collect_windows

        keys = [(_POLICY, 0), (_SENSORS, 0)]
        for capability in _CAPABILITIES:
            keys += [(rf"HKLM\{CONSENT_STORE}\{capability}", 0), (rf"HKCU\{CONSENT_STORE}\{capability}", 2)]
        yield from self.judge(collect_windows(ctx, keys))

    def judge(self, snap: WindowsSnapshot) -> Iterable[Yielded]:
        """App permissions from a copy of the consent store; no Context needed."""
        from digisafe.settings.windows import CONSENT_STORE, read_consent, reg_values

        if snap.registry is None:
            raise CheckSkipped("the Windows registry is not available; check Settings > Privacy & security")
        policy = reg_values(snap.registry, _POLICY)
        read_any = False
        for capability, (word, suffix, guidance) in _CAPABILITIES.items():
            consent = read_consent(snap.registry, capability)
            if not (consent.device or consent.user or consent.apps):
                continue
            read_any = True
            yield from self._capability(snap, consent, word, guidance, policy, suffix)
        if not read_any:
            raise CheckSkipped(f"the privacy consent store ({CONSENT_STORE}) was not found; check Settings > "
                               "Privacy & security > Location, Camera and Microphone by hand")
        yield self.limitation("only this Windows account's app permissions were read; other accounts have "
                              "their own lists")

    def _capability(self, snap, consent, word, guidance, policy, suffix):  # noqa: ANN001, ANN202
        from digisafe.settings import advice
        from digisafe.settings.windows import as_int, as_text, reg_values

        forced = as_int(policy.get(f"LetAppsAccess{suffix}")) == 1
        force_list = as_text(policy.get(f"LetAppsAccess{suffix}_ForceAllowTheseApps"))
        disabled = word == "location" and as_int(reg_values(snap.registry, _SENSORS).get("DisableLocation")) == 1
        if forced or force_list:
            yield self.finding(
                Severity.MEDIUM,
                f"A management policy forces apps to have {word} access",
                subject=f"{_POLICY} LetAppsAccess{suffix}",
                detail=f"A policy set by someone with administrator rights (or a management server) gives apps "
                f"{word} access whatever you choose in Settings" + (f": {force_list}." if force_list else "."),
                confidence=Confidence.HIGH,
                evidence={"key": _POLICY, f"LetAppsAccess{suffix}": policy.get(f"LetAppsAccess{suffix}"),
                          "ForceAllowTheseApps": force_list or None},
                advice=advice("Note this; it means someone manages this laptop's settings."),
                guidance=guidance,
            )
        switched_off = disabled or "deny" in (consent.device.lower(), consent.user.lower())
        if switched_off and not forced:
            return  # no app can use it now; past use is history, not current risk
        yield from self._apps(snap, consent, word, guidance)

    def _apps(self, snap, consent, word, guidance):  # noqa: ANN001, ANN202
        from digisafe.settings import advice, unix_to_iso
        from digisafe.settings.windows import CONSENT_STORE, unusual_program_path

        checked_at = unix_to_iso(snap.checked_at)
        quiet = []
        for app in consent.apps:
            if app.value.lower() != "allow" and not app.last_start:
                continue
            if not app.desktop and app.name.lower().startswith("microsoft."):
                quiet.append(app.name)
                continue
            odd = app.desktop and unusual_program_path(app.name)
            severity = Severity.MEDIUM if odd or app.in_use else Severity.LOW
            kind = "program" if app.desktop else "app"
            when = (f" It was using it at {app.last_start} (UTC) and has not stopped." if app.in_use else
                    f" It last used it from {app.last_start} to {app.last_stop} (UTC)." if app.last_start else "")
            yield self.finding(
                severity,
                f"The {kind} '{app.name}' " + ("is using" if app.in_use else "can use" if not app.last_start
                                                else "has used") + f" this laptop's {word}",
                subject=f"{consent.capability} {'NonPackaged' if app.desktop else 'app'} {app.name}",
                detail=f"Windows records that '{app.name}' may use the {word} ({app.value or 'no choice stored'})."
                + when + (" It lives in a user folder, where programs are not normally installed." if odd else ""),
                confidence=Confidence.HIGH,
                evidence={"key": rf"HKCU\{CONSENT_STORE}\{consent.capability}"
                                 + (r"\NonPackaged" if app.desktop else ""),
                          "app": app.name, "Value": app.value or None, "LastUsedTimeStart": app.last_start,
                          "LastUsedTimeStop": app.last_stop, "LastUsedTimeStart_raw": app.last_start_raw,
                          "LastUsedTimeStop_raw": app.last_stop_raw,
                          "checked_at": checked_at},
                advice=advice(f"If you do not recognise this {kind}, note its name, path and times."),
                guidance=guidance,
            )
        desktop_on = consent.desktop_apps.lower() != "deny"
        recorded = consent.device.lower() == "allow" and consent.user.lower() == "allow"
        yield self.finding(
            Severity.LOW if word == "location" and desktop_on else Severity.INFO,
            f"{word.capitalize()} is {'on' if recorded else 'probably on (not every switch is recorded)'} "
            "for this laptop"
            + (" and desktop programs can use it without asking" if desktop_on else ""),
            subject=f"ConsentStore\\{consent.capability}",
            detail=f"Device switch: {consent.device or 'not set'}; this account: {consent.user or 'not set'}; "
            f"desktop programs: {consent.desktop_apps or 'not set'}. Desktop programs are not asked one by one."
            + (f" Windows' own apps with access: {len(quiet)}." if quiet else ""),
            confidence=Confidence.HIGH,
            evidence={"device": consent.device or None, "user": consent.user or None,
                      "desktop_apps": consent.desktop_apps or None, "windows_apps": quiet},
            advice=advice(f"You can review this in Settings > Privacy & security > {word.capitalize()}."),
            guidance=guidance,
        )
