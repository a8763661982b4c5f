"""DS-AND-040: protections against installing spyware switched off.

What it looks at: Play Protect / package verification (``package_verifier_enable``,
``verifier_verify_adb_installs``), the apps allowed to install other apps ("Install unknown apps",
the REQUEST_INSTALL_PACKAGES app-op), and on Android before 8 the global "Unknown sources" switch.

Why it matters: stalkerware is installed from a download, which needs one of these doors open;
turning Play Protect off stops it warning about the app.

False positives: browsers and file managers are often allowed to install apps by the person
themselves; F-Droid users allow their store.

What to do: note what is open. Closing it later (Settings > Security / Apps > Special app access >
Install unknown apps) may be noticed: decide with a stalking advocate first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from digisafe.core.check import SAFETY_CAUTION, Check, Yielded
from digisafe.core.model import Confidence, Severity
from digisafe.core.platforms import Platform
from digisafe.core.subject import SubjectKind

if TYPE_CHECKING:
    from digisafe.android.snapshot import PackageSnapshot, PhoneState, SpecialAccess
    from digisafe.core.context import Context
    from digisafe.core.model import Finding


class AndroidInstallSafetyCheck(Check):
    id = "DS-AND-040"
    title = "Play Protect, package verification and apps allowed to install apps"
    category = "system"
    subjects = frozenset({SubjectKind.ANDROID})
    platforms = frozenset({Platform.ANDROID})
    why = "Spyware is installed from a download: these settings are the doors it needs."

    def run(self, ctx: Context) -> Iterable[Yielded]:
        from digisafe.android import collect

        yield from self.judge(collect.state(ctx), collect.access(ctx), collect.packages(ctx))

    def judge(self, state: PhoneState, access: SpecialAccess, snapshot: PackageSnapshot) -> Iterable[Finding]:
        settings = state.global_settings
        if settings.get("package_verifier_enable") == "0":
            yield self.finding(
                Severity.MEDIUM, "Play Protect app scanning (package verification) is off",
                subject="package_verifier_enable", detail="Apps are installed without being checked for harm.",
                confidence=Confidence.HIGH, evidence={"package_verifier_enable": "0"}, advice=SAFETY_CAUTION,
                guidance="phones.play-protect",
            )  # fmt: skip
        if settings.get("verifier_verify_adb_installs") == "0":
            yield self.finding(
                Severity.LOW, "Apps installed from a computer are not checked", subject="verifier_verify_adb_installs",
                detail="Android does not verify apps installed over USB debugging.", confidence=Confidence.HIGH,
                evidence={"verifier_verify_adb_installs": "0"}, advice=SAFETY_CAUTION, guidance="phones.play-protect",
            )  # fmt: skip
        sdk = state.prop("ro.build.version.sdk")
        if sdk.isdigit() and int(sdk) < 26 and state.secure_settings.get("install_non_market_apps") == "1":
            yield self.finding(
                Severity.LOW, "Installing apps from unknown sources is allowed", subject="install_non_market_apps",
                detail="Any app downloaded can be installed.", confidence=Confidence.HIGH,
                evidence={"install_non_market_apps": "1"}, advice=SAFETY_CAUTION, guidance="phones.play-protect",
            )  # fmt: skip
        for package in sorted(access.install_unknown):
            app = snapshot.apps.get(package)
            by_hand = app is not None and (app.installer is None or "packageinstaller" in (app.installer or ""))
            odd = by_hand and app is not None and not app.system
            yield self.finding(
                Severity.MEDIUM if odd else Severity.LOW, f"{package} may install other apps", subject=package,
                detail="This app is allowed to install apps (Install unknown apps)."
                + (" It was itself installed outside an app store." if odd else ""),
                confidence=Confidence.HIGH, evidence=app.evidence() if app else {"package": package},
                advice="If the person did not allow this, someone else may have. " + SAFETY_CAUTION,
                guidance="phones.play-protect",
            )  # fmt: skip
