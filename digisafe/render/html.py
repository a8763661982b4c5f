"""Self-contained HTML with print styles: no scripts, no external assets, safe to open anywhere.

Printed (tests/render/test_print_chromium.py prints it in headless Chromium at A4 and Letter):
the summary sits at the top of page 1, headings never end a page, the checks table repeats its
header row on every page, IDs never break, and evidence reads as plain labels and values.
"""

from __future__ import annotations

from html import escape

from digisafe.core.model import CheckResult, Finding, Report, Status
from digisafe.render import wording
from digisafe.render.plain import plain_evidence
from digisafe.render.table import FAILED_HEADING, SKIPPED_HEADING

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;max-width:60rem;margin:2rem auto;
padding:0 1rem;color:#111;line-height:1.45;overflow-wrap:break-word}
h1{font-size:1.6rem;margin:0 0 .5rem}h2{border-bottom:2px solid #333;padding-bottom:.2rem;margin-top:1.5rem}
h1,h2,h3,h4,caption{break-after:avoid;page-break-after:avoid}
.finding{border:1px solid #bbb;border-left:.5rem solid #888;padding:.5rem 1rem;margin:1rem 0}
.finding h4{margin:.2rem 0;font-size:1.05rem}.finding p{margin:.3rem 0}
.critical{border-left-color:#7b1fa2}.high{border-left-color:#c62828}.medium{border-left-color:#ef6c00}
.low{border-left-color:#0277bd}.info{border-left-color:#757575}
.sev{font-weight:bold;font-size:.85rem}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;
vertical-align:top}th{background:#eee}thead{display:table-header-group}tr{break-inside:avoid;page-break-inside:avoid}
table.evidence th{width:12rem;font-weight:normal;background:#f4f4f4}
.id{white-space:nowrap;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em}
.path{overflow-wrap:anywhere}
.summary{border:2px solid #333;padding:.4rem 1rem;margin:.8rem 0}.summary ul{margin:.2rem 0;padding-left:1.2rem}
.todo li{margin:.3rem 0}.todo{list-style:"\\2610  "}.error{color:#b71c1c;font-weight:bold}
.help{border:2px solid #333;padding:.5rem 1rem;margin-top:1rem;font-weight:bold}
.closing{break-inside:avoid;page-break-inside:avoid}
@page{margin:15mm}
@media print{body{margin:0;max-width:none;font-size:11pt}a{color:inherit;text-decoration:none}
.finding p{break-inside:avoid;page-break-inside:avoid}}
"""


def _id(check_id: str) -> str:
    return f'<span class="id">{escape(check_id)}</span>'


def _evidence(f: Finding) -> str:
    rows = "".join(f'<tr><th scope="row">{escape(k)}</th><td class="path">{escape(v)}</td></tr>'
                   for k, v in plain_evidence(f.evidence))
    return f'<table class="evidence"><caption>Evidence</caption>{rows}</table>'


def _finding(f: Finding) -> str:
    parts = [
        f'<div class="finding {f.severity.value}">',
        f"<h4>{escape(f.title)}</h4>",
        f'<div class="sev">{escape(f.severity.value.capitalize())} &middot; check {_id(f.check_id)} &middot; '
        f"confidence {escape(f.confidence.value)}</div>",
    ]
    if f.subject:
        parts.append(f'<p class="path"><b>About:</b> {escape(f.subject)}</p>')
    if f.detail:
        parts.append(f"<p><b>What it means:</b> {escape(f.detail)}</p>")
    if f.advice:
        parts.append(f"<p><b>What to do:</b> {escape(f.advice)}</p>")
    if f.evidence:
        parts.append(_evidence(f))
    parts.append("</div>")
    return "\n".join(parts)


def _summary(report: Report) -> str:
    c = wording.counts(report)
    items = [
        f"{wording.plural(c['findings'], 'finding')}"
        + (" (" + ", ".join(f"{n} {s.value}" for s, n in sorted(report.count_by_severity().items(), reverse=True)
                            if n) + ")" if c["findings"] else ""),
        f"{wording.plural(c['ran'], 'check')} ran: {c['with_findings']} found something, "
        f"{c['nothing_found']} found nothing",
        f"{c['not_checked']} could not check: do these by hand (listed below)" if c["not_checked"] else
        "every check that applies here could run",
        f"{c['failed']} failed, so this audit is incomplete" if c["failed"] else "no check failed",
    ]
    if c["not_applicable"]:
        items.append(f"{c['not_applicable']} not for this operating system (not listed)")
    return ('<div class="summary"><b>Summary</b><ul>' + "".join(f"<li>{escape(i)}</li>" for i in items)
            + "</ul></div>")


def _todo(results: list[CheckResult], heading: str, intro: str) -> list[str]:
    if not results:
        return []
    rows = "".join(f"<li>{_id(r.check_id)} <b>{escape(r.title)}</b>: {escape(wording.status_note(r))}</li>"
                   for r in results)
    return [f"<h2>{escape(heading)} ({len(results)})</h2><p>{escape(intro)}</p><ul class=\"todo\">{rows}</ul>"]


def _checks_table(report: Report) -> str:
    rows = []
    for r in report.results:
        if wording.for_other_platforms(r):
            continue
        cls = ' class="error"' if r.status is Status.ERROR else ""
        rows.append(f"<tr{cls}><td>{_id(r.check_id)}</td><td>{escape(r.title)}</td>"
                    f"<td>{escape(wording.status_note(r))}</td></tr>")
    elsewhere = [r.check_id for r in report.results if wording.for_other_platforms(r)]
    note = (f"<p>{escape(wording.plural(len(elsewhere), 'check'))} only for other operating systems, not listed: "
            f"{', '.join(_id(i) for i in elsewhere)}.</p>" if elsewhere else "")
    return ("<h2>Every check</h2><table><thead><tr><th>Check</th><th>What it looks at</th><th>Result</th></tr>"
            f"</thead><tbody>{''.join(rows)}</tbody></table>{note}")


def render(report: Report) -> str:
    body = [
        f"<h1>digisafe report</h1><p><b>{escape(wording.headline(report))}</b></p>",
        _summary(report),
        f"<p>Run {escape(wording.evidence_value(report.started_at))} to "
        f"{escape(wording.evidence_value(report.finished_at))}; digisafe {escape(report.tool_version)}; system "
        f"{escape(report.platform.get('system', '?'))} {escape(report.platform.get('release', ''))}.</p>",
    ]
    if report.identity:
        body.append(f"<p>Computer {escape(report.identity.get('hostname', ''))}, user "
                    f"{escape(report.identity.get('user', ''))}.</p>")
    note = wording.indicator_note(report)
    if note:
        body.append(f"<p>{escape(note)}</p>")
    groups = wording.by_severity(report)
    if groups:
        body.append("<h2>What digisafe found</h2>")
        for severity, group in groups:
            words = wording.about_subject(report, wording.SEVERITY_WORDS[severity.value])
            body.append(f"<h3>{escape(words)} ({len(group)})</h3>")
            body.extend(_finding(f) for f in group)
    skipped = [r for r in report.results if r.status is Status.SKIPPED and not wording.for_other_platforms(r)]
    body += _todo(skipped, f"{SKIPPED_HEADING}: please do these by hand",
                  "digisafe could not look at these here. Each one says why and where to look by hand.")
    body += _todo(report.results_with(Status.ERROR), f"{FAILED_HEADING}, so this audit is incomplete",
                  "These checks went wrong. Run the audit again, or look by hand.")
    body.append(_checks_table(report))
    safe = wording.caution(report, f'"{SKIPPED_HEADING}" above', f'"{FAILED_HEADING}" above')
    body.append(f'<div class="closing"><h2>Please read</h2><p>{escape(safe)}</p><p>{escape(wording.READ_ONLY)}</p>'
                f'<div class="help">{escape(wording.HELP_LINE)}</div></div>')
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>digisafe report {escape(report.started_at)}</title><style>{_CSS}</style></head>"
        f"<body>{''.join(body)}</body></html>\n"
    )
