"""The terminal view: findings grouped by severity, then how every check ended, then the caution."""

from __future__ import annotations

import textwrap

from digisafe.core.model import Report, Status
from digisafe.render import wording

_COLORS = {"critical": "magenta", "high": "red", "medium": "yellow", "low": "cyan", "info": "white"}


def _style(text: str, severity: str, color: bool) -> str:
    if not color:
        return text
    import click

    return click.style(text, fg=_COLORS.get(severity), bold=severity in ("critical", "high"))


def _wrap(text: str, indent: str = "     ", width: int = 100) -> str:
    return textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=indent)


def render(report: Report, *, color: bool = False) -> str:
    from tabulate import tabulate

    out: list[str] = [wording.headline(report), ""]
    groups = wording.by_severity(report)
    findings = [f for _severity, group in groups for f in group]
    number = 0
    for severity, group in groups:
        title = wording.SEVERITY_WORDS[severity.value]
        out.append(_style(f"{title} ({len(group)})", severity.value, color))
        rows = []
        for f in group:
            number += 1
            rows.append([number, f.check_id, f.title, f.subject, f.confidence.value])
        out.append(
            tabulate(
                rows,
                headers=["#", "Check", "What was found", "About", "Confidence"],
                tablefmt="simple",
                maxcolwidths=[None, None, 50, 40, None],
            )
        )
        out.append("")
    if findings:
        out.append("What each finding means and what to do")
        for i, f in enumerate(findings, 1):
            out.append(f"{i:>3}. {f.title}")
            if f.detail:
                out.append(_wrap(f.detail))
            if f.advice:
                out.append(_wrap("What to do: " + f.advice))
        out.append("")
    out.append("Checks")
    # Checks for other operating systems go on one line, so the ones that matter stand out.
    elsewhere = [r for r in report.results if wording.for_other_platforms(r)]
    rows = [[r.check_id, r.title, wording.status_note(r)] for r in report.results if r not in elsewhere]
    out.append(tabulate(rows, headers=["Check", "Title", "Result"], tablefmt="simple", maxcolwidths=[None, 40, 60]))
    if elsewhere:
        out.append(
            textwrap.fill(
                f"Not for this operating system ({len(elsewhere)}): " + ", ".join(r.check_id for r in elsewhere), 100
            )
        )
    out.append("")
    counts = report.count_by_severity()
    summary = ", ".join(f"{n} {s.value}" for s, n in sorted(counts.items(), reverse=True) if n) or "no findings"
    skipped = len(report.results_with(Status.SKIPPED))
    failed = len(report.results_with(Status.ERROR))
    out.append(f"Summary: {len(report.results)} checks; {summary}; {skipped} skipped; {failed} failed.")
    note = wording.indicator_note(report)
    if note:
        out.append(note)
    out.append(textwrap.fill(wording.NOTHING_PROVES_SAFE, 100))
    out.append(wording.READ_ONLY)
    out.append(wording.HELP_LINE)
    return "\n".join(out) + "\n"
