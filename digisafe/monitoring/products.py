"""One finding per product across signals (report level).

The monitoring checks each see a product their own way: DS-PROC-010 a running program (one
finding per program file, so a TeamViewer service and its client were two rows), DS-PROC-020 a
start-up entry or install folder, DS-PROC-030 an installed program, DS-NET-020 a lookup of or a
connection to its servers, DS-BRW-040 visits to its pages. After the audit, this step keeps one
finding per product: the one from the strongest kind of signal (running first), with every other
finding's evidence attached under ``also_seen``, the worst severity of them all, and a confidence
one step higher when independent kinds of signal agree (a product running AND installed AND
started automatically is more certain than any one of them). The checks whose findings were folded
in keep a note saying where their finding went, so nothing looks silently clean.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from digisafe.core.model import CheckResult, Confidence, Finding, Report

# Check -> the kind of signal it gives, strongest first (the first one keeps the finding).
PRODUCT_CHECKS = {
    "DS-PROC-010": "running",
    "DS-PROC-020": "starts automatically",
    "DS-PROC-030": "installed",
    "DS-NET-020": "network traces",
    "DS-BRW-040": "browser history",
}
_ORDER = list(PRODUCT_CHECKS)
MAX_ALSO_SEEN = 20


def _product(finding: Finding) -> str | None:
    product = finding.evidence.get("product") if isinstance(finding.evidence, dict) else None
    return product if isinstance(product, str) and product else None


def _raise(confidence: Confidence, families: set[str], evidence: dict[str, Any]) -> Confidence:
    """One step more certain when at least two kinds of signal agree; never for unconfirmed facts alone."""
    if len(families) < 2 or evidence.get("verified") == "unverified":
        return confidence
    return Confidence.HIGH if confidence is not Confidence.LOW else Confidence.MEDIUM


def _merge(group: list[tuple[str, Finding]]) -> Finding:
    severities = list(type(group[0][1].severity))
    group = sorted(group, key=lambda item: (_ORDER.index(item[0]), -severities.index(item[1].severity)))
    _check, primary = group[0]
    families = {PRODUCT_CHECKS[check] for check, _f in group}
    evidence = dict(primary.evidence)
    signals = set(evidence.get("signals") or ())
    also = []
    for check, finding in group[1:]:
        signals |= set(finding.evidence.get("signals") or ())
        also.append({
            "check_id": check, "kind": PRODUCT_CHECKS[check], "title": finding.title, "subject": finding.subject,
            "severity": finding.severity.value, "confidence": finding.confidence.value,
            "evidence": {k: v for k, v in finding.evidence.items() if k not in ("sources", "indicator_version")},
        })  # fmt: skip
    evidence["signals"] = sorted(signals)
    evidence["seen_as"] = sorted(families, key=list(PRODUCT_CHECKS.values()).index)
    evidence["also_seen"] = also[:MAX_ALSO_SEEN]
    severity = max(f.severity for _c, f in group)
    confidence = _raise(max(f.confidence for _c, f in group), families, evidence)
    kinds = ", ".join(evidence["seen_as"])
    detail = f"{primary.detail} Seen {len(group)} ways on this laptop ({kinds}); all the evidence is in this finding."
    if len(families) >= 2:
        detail += " Several independent signs agree, which makes this more certain."
    return dataclasses.replace(primary, severity=severity, confidence=confidence, detail=detail, evidence=evidence)


def merge_product_findings(report: Report) -> Report:
    """The report with one finding per product across the monitoring checks."""
    groups: dict[str, list[tuple[str, Finding]]] = {}
    for result in report.results:
        if result.check_id in PRODUCT_CHECKS:
            for finding in result.findings:
                product = _product(finding)
                if product:
                    groups.setdefault(product, []).append((result.check_id, finding))
    merged = {p: _merge(g) for p, g in groups.items() if len(g) > 1}
    if not merged:
        return report
    home = {p: sorted(g, key=lambda i: _ORDER.index(i[0]))[0][0] for p, g in groups.items() if p in merged}
    results = [_rewrite(r, merged, home) if r.check_id in PRODUCT_CHECKS else r for r in report.results]
    return dataclasses.replace(report, results=tuple(results))


def _rewrite(result: CheckResult, merged: dict[str, Finding], home: dict[str, str]) -> CheckResult:
    kept: list[Finding] = []
    notes: list[str] = []
    placed: set[str] = set()
    for finding in result.findings:
        product = _product(finding)
        if product not in merged:
            kept.append(finding)
        elif home[product] == result.check_id and product not in placed:
            kept.append(merged[product])
            placed.add(product)
        elif home[product] != result.check_id:
            name = finding.evidence.get("product_name") or product
            notes.append(f"{name}: reported once, under {home[product]}, with this check's evidence")
    notes = list(dict.fromkeys(notes))
    return dataclasses.replace(result, findings=tuple(kept), limitations=(*result.limitations, *notes))
