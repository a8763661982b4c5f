"""Words every report carries, so the renderers say them the same way."""

from __future__ import annotations

from digisafe.core.model import CheckResult, Finding, Report, Severity, Status, sort_findings
from digisafe.core.notices import HELP_LINE, MORE_MAY_BE_HIDDEN, NOTHING_PROVES_SAFE, READ_ONLY, standing_words

__all__ = [
    "HELP_LINE",
    "MORE_MAY_BE_HIDDEN",
    "NOTHING_PROVES_SAFE",
    "READ_ONLY",
    "evidence_value",
    "headline",
    "indicator_note",
    "status_note",
]

# The closing block's "what to do next" (every command here is run by tests/render/test_cli_experience.py).
NEXT_STEPS = (
    "Before you change anything, read: digisafe guide safety-first",
    "Save a report and a checklist to print or hand over: digisafe audit --format html -o report.html "
    "--checklist checklist.pdf",
    "Talk to a stalking advocate (ISAC) or the National Stalking Helpline 0808 802 0300 (police 101). "
    "In an emergency call 999.",
)
# The command that audits each kind of subject again; a listing has none (it was captured elsewhere).
AUDIT_COMMANDS = {"laptop": "digisafe audit", "android": "digisafe phone audit"}


def next_steps(report: Report) -> list[str]:
    """NEXT_STEPS for this report's subject: a phone's save step names `digisafe phone audit`."""
    kind = str(report.subject.kind) if report.subject is not None else "laptop"
    command = AUDIT_COMMANDS.get(kind)
    steps = []
    for step in NEXT_STEPS:
        if step.startswith("Save"):
            if command is None:
                continue
            step = step.replace("digisafe audit", command)
        steps.append(step)
    return steps


def caution(report: Report, skipped_at: str, failed_at: str | None = None) -> str:
    """The closing "finding nothing does not prove safe" words about this report's subject; checks that
    could not run or failed are counted and pointed to where this output lists them."""
    c = counts(report)
    words = standing_words(bool(report.findings), c["not_checked"], c["failed"], skipped_at, failed_at or skipped_at)
    return about_subject(report, words)

SEVERITY_WORDS = {
    "critical": "Critical: act on this with a caseworker now",
    "high": "High: someone may be able to watch or control this laptop",
    "medium": "Medium: worth checking with a caseworker",
    "low": "Low: good to know",
    "info": "Information",
}


def about_subject(report: Report, text: str) -> str:
    """Standing words written for a laptop, about what this report audited (a phone, a listing)."""
    from digisafe.core.notices import about

    return about(text, report.subject.kind if report.subject is not None else "laptop")


def by_severity(report: Report) -> list[tuple[Severity, list[Finding]]]:
    """The findings grouped by severity, worst first, empty groups left out (reading order)."""
    findings = sort_findings(report.findings)
    groups = [(s, [f for f in findings if f.severity is s]) for s in sorted(Severity, reverse=True)]
    return [(s, group) for s, group in groups if group]


def for_other_platforms(result: CheckResult) -> bool:
    """True for a check that belongs to another operating system (Status.NOT_APPLICABLE)."""
    return result.status is Status.NOT_APPLICABLE


def evidence_value(value: object) -> str:
    """Evidence as people and police read it on paper and screen (JSON keeps the raw form)."""
    from digisafe.render.plain import plain_value

    return plain_value(value)


def plural(n: int, word: str, many: str | None = None) -> str:
    """``plural(1, "check")`` -> "1 check"; ``plural(2, "check")`` -> "2 checks"."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def plain_reason(text: str) -> str:
    """A reason in plain words: a tool's own message stays in the JSON report, not on screen."""
    from digisafe.render.plain import plain_reason as _plain

    return _plain(text)


def counts(report: Report) -> dict[str, int]:
    """How the checks ended, for the summary at the top of every report."""
    elsewhere = sum(for_other_platforms(r) for r in report.results)
    return {
        "findings": len(report.findings),
        "ran": len(report.results) - elsewhere,
        "with_findings": len(report.results_with(Status.FINDINGS)),
        "nothing_found": len(report.results_with(Status.PASS)),
        "not_checked": sum(r.status is Status.SKIPPED and not for_other_platforms(r) for r in report.results),
        "failed": len(report.results_with(Status.ERROR)),
        "not_applicable": elsewhere,
    }


def summary_line(report: Report) -> str:
    """'14 checks: 2 found something, 9 found nothing, 2 could not check, 1 failed (6 not for this system).'"""
    c = counts(report)
    text = (f"{plural(c['ran'], 'check')} ran: {c['with_findings']} found something, {c['nothing_found']} found "
            f"nothing, {c['not_checked']} could not check")
    text += " (do those by hand)" if c["not_checked"] else ""
    text += f", {c['failed']} failed"
    if c["not_applicable"]:
        text += f"; {c['not_applicable']} not for this operating system"
    return text + "."


KNOWN_MARK = "(marked as known and agreed to)"  # the title ending of a --known tool's finding


def is_known(finding: Finding) -> bool:
    """A tool the person knows about and agreed to (--known): on the record, not a thing to look at."""
    return finding.evidence.get("known") is True or finding.title.endswith(KNOWN_MARK)


def headline(report: Report) -> str:
    known = sum(is_known(f) for f in report.findings)
    n = len(report.findings) - known
    errors = len(report.results_with(Status.ERROR))
    note = f" ({plural(known, 'tool')} marked as known and agreed to, listed for the record)" if known else ""
    if n == 0 and errors == 0:
        return "digisafe found nothing of concern in the checks it could run" + note + "."
    parts = []
    if n:
        parts.append(f"digisafe found {plural(n, 'thing')} to look at")
    if errors:
        parts.append(f"{plural(errors, 'check')} failed, so this audit is incomplete")
    return "; ".join(parts) + note + "."


def status_note(result: CheckResult) -> str:
    """One line on how a check ended, for the 'checks' part of every report."""
    if for_other_platforms(result):
        return "not for this operating system"
    if result.status is Status.SKIPPED:
        return f"not checked: {plain_reason(result.reason)}"
    if result.status is Status.ERROR:
        return f"FAILED: {plain_reason(result.reason)}"
    note = "nothing found" if result.status is Status.PASS else plural(len(result.findings), "finding")
    if result.limitations:
        note += " (partial: " + "; ".join(plain_reason(x) for x in result.limitations) + ")"
    return note


def indicator_note(report: Report) -> str | None:
    info = report.sources.get("indicators") if report.sources else None
    if not isinstance(info, dict):
        return None
    text = f"Indicator database: {info.get('version', 'unknown')}"
    if info.get("warning"):
        text += f" ({info['warning']})"
    coverage = info.get("coverage")
    on_laptop = report.subject is None or str(report.subject.kind) == "laptop"  # the coverage is a laptop's
    if on_laptop and isinstance(coverage, dict) and isinstance(coverage.get("summary"), list):
        text += ". What this laptop's checks can recognise: " + "; ".join(str(x) for x in coverage["summary"])
    return text
