"""The terminal view, fitted to the terminal's width (never splitting an ID, a phone number or a
command): the headline and counts, the findings worst first with what to do, the checks that
could not run (to do by hand), the ones that failed and the ones that found nothing, and a short
closing block that repeats what was found and what to do next, so it is the last thing on screen.
"""

from __future__ import annotations

from digisafe.core.model import CheckResult, Finding, Report, Status
from digisafe.render import wording
from digisafe.render.fit import wrap

_COLORS = {"critical": "magenta", "high": "red", "medium": "yellow", "low": "cyan", "info": "white"}
INDENT = "     "
SKIPPED_HEADING, FAILED_HEADING = "Could not be checked", "Failed"  # the closing words point to them by name


def _style(text: str, severity: str, color: bool) -> str:
    if not color:
        return text
    import click

    return click.style(text, fg=_COLORS.get(severity), bold=severity in ("critical", "high"))


def _finding(f: Finding, number: int, width: int) -> list[str]:
    lines = wrap(f.title, width, INDENT, first=f"{number:>3}. ")
    about = f"About: {f.subject}. " if f.subject else ""
    lines += wrap(f"{about}Check {f.check_id}, confidence {f.confidence.value}.", width, INDENT)
    if f.detail:
        lines += wrap(f.detail, width, INDENT)
    if f.advice:
        lines += wrap("What to do: " + f.advice, width, INDENT)
    return lines


def _check_rows(results: list[CheckResult], width: int, idw: int, note: bool = True) -> list[str]:
    lines: list[str] = []
    pad = " " * (idw + 4)
    for r in results:
        lines += wrap(r.title, width, pad, first=f"  {r.check_id:<{idw}}  ")
        if note or r.limitations:
            lines += wrap(wording.status_note(r), width, pad + "  ", first=pad)
    return lines


def _checks(report: Report, width: int) -> list[str]:
    results = [r for r in report.results if not wording.for_other_platforms(r)]
    idw = max((len(r.check_id) for r in report.results), default=10)
    groups = [
        (f"{SKIPPED_HEADING}: please do these by hand", Status.SKIPPED, True),
        (f"{FAILED_HEADING}, so this audit is incomplete", Status.ERROR, True),
        ("Found something (see above)", Status.FINDINGS, False),
        ("Found nothing", Status.PASS, False),
    ]
    out: list[str] = []
    for heading, status, note in groups:
        chosen = [r for r in results if r.status is status]
        if not chosen:
            continue
        out.append(f"{heading} ({len(chosen)})")
        out += _check_rows(chosen, width, idw, note)
        out.append("")
    elsewhere = [r.check_id for r in report.results if wording.for_other_platforms(r)]
    if elsewhere:
        out += wrap(f"Not for this operating system ({len(elsewhere)}): " + ", ".join(elsewhere), width)
        out.append("")
    return out


def closing(report: Report, width: int, color: bool = False, saved: bool = False) -> list[str]:
    """The last lines on screen: what was found (one line each) and what to do next.
    ``saved``: the report went to a file, so the screen gets the headline and no "save" step."""
    findings = [f for _severity, group in wording.by_severity(report) for f in group]
    out: list[str] = wrap(wording.headline(report), width) if saved else []
    if findings:
        out.append("In short, digisafe found:")
        for f in findings:
            tag = _style(f"{f.severity.value.upper():<8}", f.severity.value, color)
            out += wrap(f.title, width, " " * 12, first=f"  {tag}  ")
    out.append("What to do next:")
    for step in wording.next_steps(report):
        if not (saved and step.startswith("Save")):
            out += wrap(step, width, "    ", first="  - ")
    if saved:
        out += wrap(wording.caution(report, "the saved report"), width)
    else:
        out += wrap(wording.caution(report, f'"{SKIPPED_HEADING}" above', f'"{FAILED_HEADING}" above'), width)
    out += wrap(wording.READ_ONLY, width)
    return out


def render(report: Report, *, color: bool = False, width: int = 80) -> str:
    width = max(40, width)
    out: list[str] = wrap(wording.headline(report), width) + wrap(wording.summary_line(report), width) + [""]
    number = 0
    for severity, group in wording.by_severity(report):
        title = wording.about_subject(report, wording.SEVERITY_WORDS[severity.value])
        out.append(_style(f"{title} ({len(group)})", severity.value, color))
        for f in group:
            number += 1
            out += _finding(f, number, width)
        out.append("")
    out += _checks(report, width)
    note = wording.indicator_note(report)
    if note:
        out += wrap(note, width) + [""]
    out += [""] if out[-1] else []
    out += closing(report, width, color)
    return "\n".join(line.rstrip() for line in out) + "\n"
