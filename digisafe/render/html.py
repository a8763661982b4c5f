"""Self-contained HTML with print styles: no scripts, no external assets, safe to open anywhere."""

from __future__ import annotations

from html import escape

from digisafe.core.model import Report, Status
from digisafe.render import wording

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;max-width:60rem;margin:2rem auto;
padding:0 1rem;color:#111;line-height:1.45}
h1{font-size:1.6rem}h2{border-bottom:2px solid #333;padding-bottom:.2rem;margin-top:2rem}
.finding{border:1px solid #bbb;border-left:.5rem solid #888;padding:.5rem 1rem;margin:1rem 0;
break-inside:avoid;page-break-inside:avoid}
.critical{border-left-color:#7b1fa2}.high{border-left-color:#c62828}.medium{border-left-color:#ef6c00}
.low{border-left-color:#0277bd}.info{border-left-color:#757575}
.sev{font-weight:bold;text-transform:uppercase;font-size:.85rem}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;
vertical-align:top}th{background:#eee}code{font-size:.9em;word-break:break-all}
.help{border:2px solid #333;padding:.5rem 1rem;margin-top:2rem;font-weight:bold}
.skipped{color:#555}.error{color:#b71c1c;font-weight:bold}
@page{margin:15mm}
@media print{body{margin:0;max-width:none;font-size:11pt}a{color:inherit;text-decoration:none}}
"""


def _finding(f) -> str:  # noqa: ANN001
    parts = [
        f'<div class="finding {f.severity.value}">',
        f'<div class="sev">{escape(f.severity.value)} &middot; {escape(f.check_id)} &middot; '
        f"confidence {escape(f.confidence.value)}</div>",
        f"<h3>{escape(f.title)}</h3>",
    ]
    if f.subject:
        parts.append(f"<p><b>About:</b> {escape(f.subject)}</p>")
    if f.detail:
        parts.append(f"<p><b>What it means:</b> {escape(f.detail)}</p>")
    if f.advice:
        parts.append(f"<p><b>What to do:</b> {escape(f.advice)}</p>")
    if f.evidence:
        rows = "".join(
            f"<tr><th>{escape(str(k))}</th><td><code>{escape(wording.evidence_value(v))}</code></td></tr>"
            for k, v in f.evidence.items()
        )
        parts.append(f"<table><caption>Evidence</caption>{rows}</table>")
    parts.append("</div>")
    return "\n".join(parts)


def render(report: Report) -> str:
    body = [
        f"<h1>digisafe report</h1><p><b>{escape(wording.headline(report))}</b></p>",
        f"<p>Run {escape(report.started_at)} to {escape(report.finished_at)} (UTC); digisafe "
        f"{escape(report.tool_version)}; system {escape(report.platform.get('system', '?'))} "
        f"{escape(report.platform.get('release', ''))}.</p>",
    ]
    if report.identity:
        body.append(
            f"<p>Computer {escape(report.identity.get('hostname', ''))}, user "
            f"{escape(report.identity.get('user', ''))}.</p>"
        )
    note = wording.indicator_note(report)
    if note:
        body.append(f"<p>{escape(note)}</p>")
    groups = wording.by_severity(report)
    if groups:
        body.append("<h2>Findings</h2>")
        for severity, group in groups:
            body.append(f"<h3>{escape(wording.SEVERITY_WORDS[severity.value])} ({len(group)})</h3>")
            body.extend(_finding(f) for f in group)
    rows = []
    for r in report.results:
        cls = {Status.SKIPPED: "skipped", Status.NOT_APPLICABLE: "skipped", Status.ERROR: "error"}.get(r.status, "")
        rows.append(
            f'<tr class="{cls}"><td><code>{escape(r.check_id)}</code></td><td>{escape(r.title)}</td>'
            f"<td>{escape(wording.status_note(r))}</td></tr>"
        )
    body.append(
        "<h2>Checks</h2><table><tr><th>Check</th><th>Title</th><th>Result</th></tr>" + "".join(rows) + "</table>"
    )
    body.append(f"<p>{escape(wording.NOTHING_PROVES_SAFE)}</p><p>{escape(wording.READ_ONLY)}</p>")
    body.append(f'<div class="help">{escape(wording.HELP_LINE)}</div>')
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>digisafe report {escape(report.started_at)}</title><style>{_CSS}</style></head>"
        f"<body>{''.join(body)}</body></html>\n"
    )
