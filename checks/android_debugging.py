"""DS-AND-030: computers allowed to control the phone over USB, and debugging left on.

What it looks at: the computers Android remembers as allowed for USB debugging (``dumpsys adb``:
each key with the name its computer gave, usually ``user@computer``, and on Android 11+ the
last time it connected), and whether developer options, USB debugging and wireless debugging are on.

Why it matters: a computer that is allowed can copy data from the phone and install or control
apps without unlocking it again. An unknown name in the list means another computer was allowed.

False positives: this computer is in the list while it audits (digisafe uses the neutral name
``user@laptop``); a computer the person uses for development or backups is expected.

What to do: afterwards, in Settings > System > Developer options, tap "Revoke USB debugging
authorisations" and turn Developer options off. The other person may notice such changes:
decide with a stalking advocate first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from digisafe.core.check import SAFETY_CAUTION, Check, CheckSkipped, Yielded
from digisafe.core.model import Confidence, Severity
from digisafe.core.platforms import Platform
from digisafe.core.subject import SubjectKind

if TYPE_CHECKING:
    from digisafe.android.snapshot import PhoneState
    from digisafe.core.context import Context
    from digisafe.core.model import Finding

OUR_LABEL = "user@laptop"


class AndroidDebuggingCheck(Check):
    id = "DS-AND-030"
    title = "Computers allowed to use USB debugging, and debugging left on"
    category = "remote-access"
    subjects = frozenset({SubjectKind.ANDROID})
    platforms = frozenset({Platform.ANDROID})
    why = "An allowed computer can copy data from the phone and install apps on it without the PIN."

    def run(self, ctx: Context) -> Iterable[Yielded]:
        from digisafe.android import collect

        state = collect.state(ctx)
        if not state.adb_keys_known:
            yield self.limitation("the list of allowed computers could not be read (`dumpsys adb`, Android 11+)")
        yield from self.judge(state)

    def judge(self, state: PhoneState) -> Iterable[Finding]:
        others = [k for k in state.adb_keys if k.fingerprint != state.current_key and k.label != OUR_LABEL]
        for key in others:
            when = f", last connected {key.last_connection}" if key.last_connection else ""
            yield self.finding(
                Severity.MEDIUM, f"Another computer ({key.label or 'no name'}) is allowed to use USB debugging",
                subject=key.label or key.fingerprint,
                detail=f"The phone trusts the computer named {key.label!r} (key {key.fingerprint}{when}).",
                confidence=Confidence.MEDIUM,
                evidence={"label": key.label, "fingerprint": key.fingerprint, "last_connection": key.last_connection},
                advice="If nobody the person trusts uses this computer, it was allowed by someone else. "
                "Revoke USB debugging authorisations later (Developer options). " + SAFETY_CAUTION,
                guidance="phones.usb-debugging",
            )  # fmt: skip
        wireless = state.global_settings.get("adb_wifi_enabled") == "1"
        if wireless:
            yield self.finding(
                Severity.MEDIUM, "Wireless debugging is on", subject="adb_wifi_enabled",
                detail="A paired computer on the same Wi-Fi can control this phone.", confidence=Confidence.HIGH,
                evidence={"adb_wifi_enabled": "1"}, advice="Turn it off in Developer options when it is safe to.",
                guidance="phones.usb-debugging",
            )  # fmt: skip
        settings = state.global_settings
        if settings.get("development_settings_enabled") == "1" or settings.get("adb_enabled") == "1":
            yield self.finding(
                Severity.INFO, "Developer options and USB debugging are on (this audit needs them)",
                subject="adb_enabled", detail="Turn them off after the audit unless the person uses them.",
                confidence=Confidence.HIGH,
                evidence={k: state.global_settings.get(k, "") for k in ("development_settings_enabled", "adb_enabled")},
                advice=REVOKE_ADVICE, guidance="phones.usb-debugging",
            )  # fmt: skip
        if not state.global_settings:
            raise CheckSkipped("the phone's settings could not be read")


REVOKE_ADVICE = (
    "Afterwards: Settings > System > Developer options > Revoke USB debugging authorisations, then turn "
    "Developer options off. The other person may notice changes: decide with a stalking advocate first."
)
