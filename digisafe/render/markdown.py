"""Markdown, to print or hand over (and the base of the HTML view's wording)."""

from __future__ import annotations

from digisafe.core.model import Report, Status
from digisafe.render import wording


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render(report: Report) -> str:
    out = ["# digisafe report", "", wording.headline(report), ""]
    out.append(f"- Run: {report.started_at} to {report.finished_at} (UTC)")
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
        out += ["## Findings", ""]
        for severity, group in groups:
            out += [f"### {wording.SEVERITY_WORDS[severity.value]} ({len(group)})", ""]
            for f in group:
                out.append(f"#### {f.title}")
                out.append("")
                out.append(f"- Check: `{f.check_id}`; confidence: {f.confidence.value}")
                if f.subject:
                    out.append(f"- About: {f.subject}")
                if f.detail:
                    out.append(f"- What it means: {f.detail}")
                if f.advice:
                    out.append(f"- What to do: {f.advice}")
                if f.evidence:
                    out.append("- Evidence:")
                    for key, value in f.evidence.items():
                        out.append(f"  - {key}: `{_cell(wording.evidence_value(value))}`")
                out.append("")
    out += ["## Checks", "", "| Check | Title | Result |", "|---|---|---|"]
    for r in report.results:
        out.append(f"| `{r.check_id}` | {_cell(r.title)} | {_cell(wording.status_note(r))} |")
    out.append("")
    skipped = len(report.results_with(Status.SKIPPED))
    failed = len(report.results_with(Status.ERROR))
    out += [f"{len(report.results)} checks: {skipped} skipped, {failed} failed.", ""]
    out += ["## Please read", "", wording.NOTHING_PROVES_SAFE, "", wording.READ_ONLY, "", wording.HELP_LINE, ""]
    return "\n".join(out)
