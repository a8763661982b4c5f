"""Markdown, to print or hand over: the same order and plain wording as the HTML report."""

from __future__ import annotations

from digisafe.core.model import Finding, Report, Status
from digisafe.render import wording
from digisafe.render.plain import plain_evidence

TODO_HEADING = "Could not be checked or failed"  # the closing words point to it by name


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _finding(f: Finding) -> list[str]:
    out = [f"#### {f.title}", "", f"- Check: `{f.check_id}`; confidence: {f.confidence.value}"]
    if f.subject:
        out.append(f"- About: {f.subject}")
    if f.detail:
        out.append(f"- What it means: {f.detail}")
    if f.advice:
        out.append(f"- What to do: {f.advice}")
    if f.evidence:
        out.append("- Evidence:")
        out += [f"  - {label}: {_cell(value)}" for label, value in plain_evidence(f.evidence)]
    return out + [""]


def _summary(report: Report) -> list[str]:
    c = wording.counts(report)
    by_severity = ", ".join(f"{n} {s.value}" for s, n in sorted(report.count_by_severity().items(), reverse=True) if n)
    lines = [f"- {wording.plural(c['findings'], 'finding')}" + (f" ({by_severity})" if by_severity else ""),
             f"- {wording.summary_line(report)}"]
    return ["**Summary**", "", *lines, ""]


def render(report: Report) -> str:
    out = ["# digisafe report", "", wording.headline(report), "", *_summary(report)]
    out.append(f"- Run: {wording.evidence_value(report.started_at)} to {wording.evidence_value(report.finished_at)}")
    out.append(f"- digisafe {report.tool_version}, report schema {report.schema_version}")
    platform = report.platform
    out.append(f"- System: {platform.get('system', '?')} {platform.get('release', '')} ({platform.get('machine', '')})")
    if report.identity:
        out.append(f"- Computer: {report.identity.get('hostname', '')}, user {report.identity.get('user', '')}")
    note = wording.indicator_note(report)
    if note:
        out.append(f"- {note}")
    out.append("")
    groups = wording.by_severity(report)
    if groups:
        out += ["## What digisafe found", ""]
        for severity, group in groups:
            out += [f"### {wording.about_subject(report, wording.SEVERITY_WORDS[severity.value])} ({len(group)})", ""]
            for f in group:
                out += _finding(f)
    todo = [r for r in report.results if r.status is Status.SKIPPED and not wording.for_other_platforms(r)]
    todo += report.results_with(Status.ERROR)
    if todo:
        out += [f"## {TODO_HEADING}: please do these by hand", ""]
        out += [f"- [ ] `{r.check_id}` {_cell(r.title)}: {_cell(wording.status_note(r))}" for r in todo]
        out.append("")
    out += ["## Every check", "", "| Check | What it looks at | Result |", "|---|---|---|"]
    elsewhere = [r.check_id for r in report.results if wording.for_other_platforms(r)]
    for r in report.results:
        if r.check_id not in elsewhere:
            out.append(f"| `{r.check_id}` | {_cell(r.title)} | {_cell(wording.status_note(r))} |")
    out.append("")
    if elsewhere:
        out += [f"{wording.plural(len(elsewhere), 'check')} only for other operating systems, not listed: "
                + ", ".join(f"`{i}`" for i in elsewhere) + ".", ""]
    safe = wording.caution(report, f'"{TODO_HEADING}" above')
    out += ["## Please read", "", safe, "", wording.READ_ONLY, "", wording.HELP_LINE, ""]
    return "\n".join(out)
