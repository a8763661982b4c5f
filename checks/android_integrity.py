"""DS-AND-050: signs the phone was rooted or its protections unlocked, and security update age.

What it looks at: ``su`` in the usual places, root manager apps (Magisk, KernelSU, APatch,
SuperSU), a shell running as root, builds signed with test keys or debuggable, the verified-boot
state (``ro.boot.verifiedbootstate``: green is normal, yellow/orange mean a changed or unlocked
system), an unlocked bootloader (``ro.boot.flash.locked=0``), and the security patch date.

Why it matters: a rooted phone lets spyware hide from every check here and read everything; an
unlocked bootloader lets someone with the phone in hand install a changed system. Old patches
leave known holes open.

False positives: some people root their own phones; custom systems (LineageOS, GrapheneOS with
its own keys) report yellow or unlocked on purpose.

What to do: if the person did not do this themselves, treat the phone as not trustworthy for
private conversations and talk to a stalking advocate about a safe replacement.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Iterable

from digisafe.core.check import SAFETY_CAUTION, Check, Yielded
from digisafe.core.model import Confidence, Severity
from digisafe.core.platforms import Platform
from digisafe.core.subject import SubjectKind

if TYPE_CHECKING:
    from digisafe.android.snapshot import PackageSnapshot, PhoneState
    from digisafe.core.context import Context
    from digisafe.core.model import Finding

ROOT_APPS = {
    "com.topjohnwu.magisk": "Magisk", "io.github.huskydg.magisk": "Magisk Delta", "me.weishu.kernelsu": "KernelSU",
    "me.bmax.apatch": "APatch", "eu.chainfire.supersu": "SuperSU", "com.koushikdutta.superuser": "Superuser",
    "com.noshufou.android.su": "Superuser", "com.kingroot.kinguser": "KingRoot",
}  # fmt: skip


class AndroidIntegrityCheck(Check):
    id = "DS-AND-050"
    title = "Root, unlocked bootloader, verified boot and security updates"
    category = "system"
    subjects = frozenset({SubjectKind.ANDROID})
    platforms = frozenset({Platform.ANDROID})
    why = "A rooted or unlocked phone lets spyware hide from every other check."

    def run(self, ctx: Context) -> Iterable[Yielded]:
        from digisafe.android import collect

        yield from self.judge(collect.state(ctx), collect.packages(ctx), ctx.now())

    def _f(self, severity: Severity, title: str, subject: str, detail: str, evidence: dict) -> Finding:
        return self.finding(severity, title, subject=subject, detail=detail, confidence=Confidence.HIGH,
                            evidence=evidence, advice=SAFETY_CAUTION, guidance="phones.stalkerware-signs")  # fmt: skip

    def judge(self, state: PhoneState, snapshot: PackageSnapshot, now: float) -> Iterable[Finding]:
        if state.su_paths:
            yield self._f(Severity.HIGH, "The phone has a root tool (su)", "su",
                          "Root lets an app read everything on the phone and hide.", {"paths": list(state.su_paths)})
        for package, name in ROOT_APPS.items():
            if package in snapshot.apps:
                yield self._f(Severity.HIGH, f"{name} (a rooting tool) is installed", package,
                              "Rooting tools give apps full control of the phone.", snapshot.apps[package].evidence())
        if state.shell_uid.startswith("0("):
            yield self._f(Severity.HIGH, "USB debugging runs as root", "adbd", "The debug shell has full control.",
                          {"id": state.shell_uid})
        props = {k: state.prop(k) for k in ("ro.build.tags", "ro.debuggable", "ro.secure",
                                              "ro.boot.verifiedbootstate", "ro.boot.flash.locked")}  # fmt: skip
        if "test-keys" in props["ro.build.tags"] or props["ro.debuggable"] == "1" or props["ro.secure"] == "0":
            yield self._f(Severity.MEDIUM, "The system is a test or debuggable build", "ro.build.tags",
                          "This is not a normal release system: it may have been replaced.", props)
        boot = props["ro.boot.verifiedbootstate"]
        if boot in ("orange", "yellow", "red") or props["ro.boot.flash.locked"] == "0":
            yield self._f(Severity.MEDIUM, f"Verified boot is {boot or 'unknown'}; the bootloader may be unlocked",
                          "ro.boot.verifiedbootstate",
                          "Someone with the phone in hand could have installed a changed system.", props)
        yield from self._patch(state, now)

    def _patch(self, state: PhoneState, now: float) -> Iterable[Finding]:
        patch = state.prop("ro.build.version.security_patch")
        try:
            day = dt.date.fromisoformat(patch)
        except ValueError:
            return
        age = (dt.datetime.fromtimestamp(now, dt.timezone.utc).date() - day).days
        if age > 180:
            severity = Severity.MEDIUM if age > 365 else Severity.LOW
            yield self._f(severity, f"Security updates are {age // 30} months old",
                          "ro.build.version.security_patch", "Known holes in Android are not fixed on this phone.",
                          {"security_patch": patch, "age_days": age})
