"""DS-AND-010: known stalkerware and monitoring apps on the phone, by package name and by signer.

What it looks at: every installed app's package name, and the signing certificate (SHA-1 and
SHA-256) of the APKs digisafe pulled (apps not from an app store, and apps holding powerful access;
``--pull all`` pulls every app), against the indicator database: Echap's stalkerware (ioc.yaml)
and watchware (watchware.yaml) lists, imported by ``digisafe indicators update``.

Why it matters: stalkerware vendors rename their apps ("System Service", "Sync") but cannot change
the certificate they sign with without losing their updates, so a certificate match catches a
renamed app. Watchware (parental-control and family-tracking apps) is sold openly, but installed on
an adult's phone by someone else it is a way to follow them.

False positives: a package name listed by a feed is strong but not proof; a watchware app the
person installed themselves, or a parental app on a child's phone, is expected. Mark it with
``--known NAME`` to keep it in the report as information.

Limits: without ``digisafe indicators update`` digisafe has no phone indicators and says so;
apps that were not pulled are matched by name only.

What to do: do not uninstall it: the other person may be told, and the evidence goes. Photograph
the app's page in Settings > Apps, keep this report, and talk to a stalking advocate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from digisafe.core.check import SAFETY_CAUTION, Check, CheckSkipped, Yielded
from digisafe.core.model import Confidence, Severity
from digisafe.core.platforms import Platform
from digisafe.core.subject import SubjectKind

if TYPE_CHECKING:
    from digisafe.android.collect_apks import SignatureSet
    from digisafe.android.indicators import PhoneIndicators
    from digisafe.android.snapshot import AppInfo, PackageSnapshot
    from digisafe.core.context import Context
    from digisafe.core.model import Finding


class AndroidKnownAppsCheck(Check):
    id = "DS-AND-010"
    title = "Known stalkerware or monitoring apps (by name and signing certificate)"
    category = "monitoring"
    subjects = frozenset({SubjectKind.ANDROID})
    platforms = frozenset({Platform.ANDROID})
    why = "Stalkerware can read messages, track location and record calls; renamed copies keep their signer."

    def run(self, ctx: Context) -> Iterable[Yielded]:
        from digisafe.android import collect, collect_apks
        from digisafe.android.indicators import phone_indicators

        index, db = phone_indicators(ctx)
        if index.empty:
            raise CheckSkipped(
                "no phone indicators yet: run `digisafe indicators update` (from a safe network) to fetch "
                "Echap's stalkerware lists, then audit again"
            )
        from digisafe.indicators import describe_for_report

        ctx.sources["indicators"] = describe_for_report(db)
        snapshot = collect.packages(ctx)
        signatures = collect_apks.signatures(ctx)
        yield from self.judge(snapshot, signatures, index, ctx.known_tools)
        if signatures.skipped:
            yield self.limitation(
                f"{len(signatures.skipped)} app(s) were matched by name only (not pulled; use --pull all to check "
                "every signer)"
            )
        for note in snapshot.notes:
            yield self.limitation(note)

    def judge(
        self, snapshot: PackageSnapshot, signatures: SignatureSet, index: PhoneIndicators, known: Iterable[str]
    ) -> Iterable[Finding]:
        from digisafe.monitoring.judgement import is_known

        for app in snapshot.apps.values():
            signature = signatures.signatures.get(app.package)
            by_cert = [p for sha in (signature.cert_sha1 + signature.cert_sha256 if signature else ()) for p in
                       index.certificate(sha)]  # fmt: skip
            by_name = index.package(app.package)
            products = list(dict.fromkeys(by_cert + by_name))
            if not products:
                continue
            product = products[0]
            yield self._finding(app, product, signature, bool(by_cert), bool(by_name), is_known(product, known))

    def _finding(self, app: AppInfo, product, signature, by_cert: bool, by_name: bool, known: bool) -> Finding:  # noqa: ANN001
        watchware = product.category == "parental"
        how = " and ".join(w for w, hit in (("its signing certificate", by_cert), ("its package name", by_name)) if hit)
        if known:
            severity = Severity.INFO
        elif watchware:
            severity = Severity.MEDIUM
        else:
            severity = Severity.CRITICAL if by_cert else Severity.HIGH
        evidence = dict(app.evidence(), product=product.name, matched_by=how, feed=product.origin)
        if signature:
            evidence.update(apk_sha256=signature.apk_sha256, cert_sha1=list(signature.cert_sha1),
                            cert_sha256=list(signature.cert_sha256), apk=signature.apk_path)  # fmt: skip
        kind = "a watchware (parental or family-tracking) app" if watchware else "known stalkerware"
        renamed = by_cert and not by_name
        return self.finding(
            severity,
            f"{product.name}: {kind} on this phone" + (" under another name" if renamed else ""),
            subject=app.package,
            detail=f"{app.package} matches {product.name} by {how} in {product.origin}."
            + (" The caseworker marked it as known." if known else ""),
            confidence=Confidence.HIGH if by_cert else Confidence.MEDIUM,
            evidence=evidence,
            advice="It can be used to follow this person (messages, location, calls). " + SAFETY_CAUTION,
            guidance="phones.stalkerware-signs",
        )
