"""DS-AND-020: apps that behave like monitoring software, whatever their name.

What it looks at, per app that is not part of the phone's system: hidden from the app list (no
launcher icon, or its icon switched off), installed outside an app store (no installer recorded,
or a package installer: a downloaded APK), an enabled accessibility service (can read the screen
and act on it), a notification listener (reads every notification, so messages), device admin,
device or profile owner, an exemption from battery optimisation (keeps running), and permissions
that watch a person (precise or background location, microphone, text messages, call log,
contacts, camera). They are combined into one judgement per app, with the reason in plain words.

Why it matters: most stalkerware is not on any list. It hides its icon, is installed by hand
from a download, and asks for exactly these powers.

False positives: password managers, screen readers and automation apps use accessibility; smart
watch and car apps read notifications; work phones have a device owner. One power alone from an
app store is not an alarm and is only listed for information. ``--known PACKAGE`` marks an app the
person knows about and agreed to: it is then listed as information only.

What to do: look at the app in Settings > Apps with the person. Do not uninstall or disable it
yet: the other person may notice, and the evidence goes.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

from digisafe.core.check import SAFETY_CAUTION, Check, Yielded
from digisafe.core.model import Confidence, Severity
from digisafe.core.platforms import Platform
from digisafe.core.subject import SubjectKind

if TYPE_CHECKING:
    from digisafe.android.collect_apks import SignatureSet
    from digisafe.android.snapshot import AppInfo, PackageSnapshot, SpecialAccess
    from digisafe.core.context import Context
    from digisafe.core.model import Finding

STORE_INSTALLERS = frozenset({
    "com.android.vending", "com.sec.android.app.samsungapps", "com.huawei.appmarket", "com.xiaomi.market",
    "com.xiaomi.mipicks", "com.heytap.market", "com.oppo.market", "com.bbk.appstore", "com.amazon.venezia",
    "org.fdroid.fdroid",
})  # fmt: skip
WEIGHTS = {"hidden": 2, "sideloaded": 2, "accessibility": 2, "notifications": 2, "admin": 2, "owner": 3,
           "battery": 1}  # fmt: skip
WORDS = {
    "hidden": "is hidden from the app list", "sideloaded": "was installed outside an app store",
    "accessibility": "can read and control the screen (accessibility service)",
    "notifications": "reads every notification, so messages (notification listener)",
    "admin": "is a device administrator (hard to remove)", "owner": "manages the whole phone (device or profile owner)",
    "battery": "is exempt from battery saving (keeps running)",
}  # fmt: skip
POWERS = ("accessibility", "notifications", "admin", "owner")


@dataclass(frozen=True)
class Assessment:
    app: AppInfo
    signals: tuple[str, ...]
    watching: tuple[str, ...]
    score: int
    severity: Severity | None  # None: ordinary (listed for information only)

    @property
    def reason(self) -> str:
        parts = [WORDS[s] for s in self.signals]
        if self.watching:
            parts.append("may use " + ", ".join(self.watching))
        return "; ".join(parts)


def sideloaded(app: AppInfo) -> bool:
    return app.installer is None or "packageinstaller" in app.installer or app.installer not in STORE_INSTALLERS


def assess(app: AppInfo, access: SpecialAccess) -> Assessment | None:
    """One judgement for one app; None when it shows none of the signals."""
    signals = []
    if app.has_launcher is False:
        signals.append("hidden")
    if sideloaded(app):
        signals.append("sideloaded")
    if app.package in access.packages_with(access.accessibility):
        signals.append("accessibility")
    if app.package in access.packages_with(access.notification_listeners):
        signals.append("notifications")
    if app.package in access.packages_with(access.device_admins):
        signals.append("admin")
    if app.package == access.device_owner or app.package in access.profile_owners:
        signals.append("owner")
    if app.package in access.battery_exempt:
        signals.append("battery")
    watching = tuple(app.watching)
    if not signals:
        return None
    score = sum(WEIGHTS[s] for s in signals) + (1 if watching else 0) + (1 if len(watching) >= 3 else 0)
    powers = [s for s in signals if s in POWERS]
    suspicious_origin = "hidden" in signals or "sideloaded" in signals
    if score >= 7 and (powers or suspicious_origin):
        severity: Severity | None = Severity.HIGH
    elif score >= 5 and (suspicious_origin or len(powers) >= 2 or "owner" in powers):
        severity = Severity.MEDIUM
    elif score >= 3 and (suspicious_origin or len(powers) >= 2 or "owner" in powers):
        severity = Severity.LOW
    else:
        severity = None  # e.g. a password manager's accessibility service alone
    return Assessment(app, tuple(signals), watching, score, severity)


class AndroidAppBehaviourCheck(Check):
    id = "DS-AND-020"
    title = "Apps that hide, were installed by hand, or hold powers that watch a person"
    category = "monitoring"
    subjects = frozenset({SubjectKind.ANDROID})
    platforms = frozenset({Platform.ANDROID})
    why = "Most stalkerware is on no list: it hides its icon, is installed by hand and takes these powers."

    def run(self, ctx: Context) -> Iterable[Yielded]:
        from digisafe.android import collect, collect_apks

        snapshot = collect.packages(ctx)
        access = collect.access(ctx)
        signatures = collect_apks.signatures(ctx)
        yield from self.judge(snapshot, access, signatures, ctx.known_tools)
        for note in (*snapshot.notes, *access.notes):
            yield self.limitation(note)

    def judge(self, snapshot: PackageSnapshot, access: SpecialAccess, signatures: SignatureSet | None = None,
              known: Iterable[str] = ()) -> Iterable[Finding]:  # fmt: skip
        known_packages = {k.strip().lower() for k in known}
        ordinary = []
        for app in sorted(snapshot.third_party(), key=lambda a: a.package):
            verdict = assess(app, access)
            if verdict is None:
                continue
            if verdict.severity is None:
                if any(s in POWERS for s in verdict.signals):
                    ordinary.append(f"{app.package}: {verdict.reason}")
                continue
            if app.package.lower() in known_packages:
                verdict = dataclasses.replace(verdict, severity=Severity.INFO)
            yield self._finding(verdict, access, signatures)
        if ordinary:
            yield self.finding(
                Severity.INFO, f"{len(ordinary)} app(s) from an app store hold one powerful permission",
                subject="apps", detail="Usually ordinary (password managers, watches, accessibility tools): "
                + "; ".join(ordinary), confidence=Confidence.LOW, evidence={"apps": ordinary},
                guidance="phones.stalkerware-signs",
            )  # fmt: skip

    def _finding(self, verdict: Assessment, access: SpecialAccess, signatures: SignatureSet | None) -> Finding:
        app = verdict.app
        services = [c for c in (*access.accessibility, *access.notification_listeners, *access.device_admins)
                    if c.split("/", 1)[0] == app.package]  # fmt: skip
        evidence = dict(app.evidence(), signals=list(verdict.signals), score=verdict.score, services=services,
                        permissions=sorted(p for p in app.granted if p.startswith("android.permission.")))  # fmt: skip
        signature = signatures.signatures.get(app.package) if signatures else None
        if signature:
            evidence.update(apk_sha256=signature.apk_sha256, cert_sha1=list(signature.cert_sha1),
                            cert_sha256=list(signature.cert_sha256))  # fmt: skip
        assert verdict.severity is not None
        return self.finding(
            verdict.severity,
            f"{app.package} could be used to watch this person",
            subject=app.package,
            detail=f"This app {verdict.reason}."
            + (" The caseworker marked it as known." if verdict.severity == Severity.INFO else ""),
            confidence=Confidence.MEDIUM if verdict.severity >= Severity.MEDIUM else Confidence.LOW,
            evidence=evidence,
            advice="Look at it in Settings > Apps with the person: do they know what it is? " + SAFETY_CAUTION,
            guidance="phones.stalkerware-signs",
        )
