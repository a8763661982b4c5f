"""Words every report carries, so the renderers say them the same way."""

from __future__ import annotations

from digisafe.core.model import CheckResult, Finding, Report, Severity, Status, sort_findings
from digisafe.core.notices import HELP_LINE, NOTHING_PROVES_SAFE, READ_ONLY

__all__ = [
    "HELP_LINE",
    "NOTHING_PROVES_SAFE",
    "READ_ONLY",
    "evidence_value",
    "headline",
    "indicator_note",
    "status_note",
]

SEVERITY_WORDS = {
    "critical": "Critical: act on this with a caseworker now",
    "high": "High: someone may be able to watch or control this laptop",
    "medium": "Medium: worth checking with a caseworker",
    "low": "Low: good to know",
    "info": "Information",
}


def by_severity(report: Report) -> list[tuple[Severity, list[Finding]]]:
    """The findings grouped by severity, worst first, empty groups left out (reading order)."""
    findings = sort_findings(report.findings)
    groups = [(s, [f for f in findings if f.severity is s]) for s in sorted(Severity, reverse=True)]
    return [(s, group) for s, group in groups if group]


def for_other_platforms(result: CheckResult) -> bool:
    """True for a check that belongs to another operating system (Status.NOT_APPLICABLE)."""
    return result.status is Status.NOT_APPLICABLE


def evidence_value(value: object) -> str:
    """Evidence as people and police read it: strings as they are, everything else as JSON."""
    if isinstance(value, str):
        return value
    import json

    return json.dumps(value, ensure_ascii=False)


def headline(report: Report) -> str:
    n = len(report.findings)
    errors = len(report.results_with(Status.ERROR))
    if n == 0 and errors == 0:
        return "digisafe found nothing of concern in the checks it could run."
    parts = []
    if n:
        parts.append(f"digisafe found {n} thing{'s' if n != 1 else ''} to look at")
    if errors:
        parts.append(f"{errors} check{'s' if errors != 1 else ''} failed, so this audit is incomplete")
    return "; ".join(parts) + "."


def status_note(result: CheckResult) -> str:
    """One line on how a check ended, for the 'checks' part of every report."""
    if result.status is Status.SKIPPED:
        return f"skipped: {result.reason}"
    if result.status is Status.NOT_APPLICABLE:
        return f"not on this platform ({result.reason})" if result.reason else "not on this platform"
    if result.status is Status.ERROR:
        return f"FAILED: {result.reason}"
    note = "nothing found" if result.status is Status.PASS else f"{len(result.findings)} finding(s)"
    if result.limitations:
        note += " (partial: " + "; ".join(result.limitations) + ")"
    return note


def indicator_note(report: Report) -> str | None:
    info = report.sources.get("indicators") if report.sources else None
    if not isinstance(info, dict):
        return None
    text = f"Indicator database: {info.get('version', 'unknown')}"
    if info.get("warning"):
        text += f" ({info['warning']})"
    coverage = info.get("coverage")
    if isinstance(coverage, dict) and isinstance(coverage.get("summary"), list):
        text += ". What this laptop's checks can recognise: " + "; ".join(str(x) for x in coverage["summary"])
    return text
