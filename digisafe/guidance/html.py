"""Self-contained HTML guide and checklist: no scripts, no external assets, print styles.

The help line repeats on every printed page: a fixed footer, with a spacer in a repeating table
footer so the text never runs underneath it (browsers repeat <tfoot> on each printed page).
"""

from __future__ import annotations

from html import escape
from typing import Iterable

from digisafe.guidance import words
from digisafe.guidance.model import Guidance, Item, Topic, how_label
from digisafe.guidance.refs import checks_for, topic_sources
from digisafe.guidance.tailor import ChecklistPlan
from digisafe.render.plain import plain_evidence

PAPER_SIZES = {"a4": "A4", "letter": "letter"}

_CSS = """
body{font-family:Arial,Helvetica,sans-serif;color:#000;max-width:48rem;margin:1.5rem auto;padding:0 1rem;
line-height:1.4;font-size:12pt}
h1{font-size:20pt;margin:0 0 .3rem}h2{font-size:14pt;border-bottom:2px solid #000;margin:1.2rem 0 .4rem;
break-after:avoid;page-break-after:avoid}h3{font-size:12pt;margin:.8rem 0 .2rem;break-after:avoid}
.help{border:2px solid #000;padding:.3rem .6rem;font-weight:bold;font-size:10pt}
.intro{margin:.4rem 0}.safety{border-left:4px solid #000;padding:.2rem .6rem;background:#f2f2f2}
ul.tick{list-style:none;padding:0;margin:0}ul.tick>li{margin:.25rem 0;break-inside:avoid;
page-break-inside:avoid;padding-left:7mm;text-indent:-7mm}
.box{display:inline-block;width:4mm;height:4mm;border:1.5px solid #000;margin-right:3mm;vertical-align:-.6mm;
text-indent:0}.id{color:#555;font-size:8.5pt}.found{font-weight:bold}
.mark{display:block;text-indent:0;margin-left:0;font-size:10.5pt}.mark b{border:1px solid #000;padding:0 .2rem}
.mark.todo{font-weight:normal}.mark.todo b{border:0;padding:0}
.notes{display:block;text-indent:0;border-bottom:1px solid #000;height:7mm;color:#555;font-size:9pt}
.lines div{border-bottom:1px solid #000;height:8mm}
.warn{border:2px solid #000;padding:.3rem .6rem;font-weight:bold}
table.log{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;break-inside:avoid}
table.log th{text-align:left;width:30%;vertical-align:top;font-size:10pt}
table.log th,table.log td{border:1px solid #000;padding:.2rem .4rem;height:11mm}
.ev{font-family:monospace;font-size:9pt;word-break:break-all}
.item{break-inside:avoid;page-break-inside:avoid;margin-bottom:.6rem}
.src{font-size:9pt;color:#333;overflow-wrap:anywhere}a{color:#000}.sources h4{margin:.4rem 0 0;font-size:10pt}
.sources{break-inside:avoid;page-break-inside:avoid}
table.page{width:100%;border-collapse:collapse}table.page td{padding:0}
.footer-space{height:0}.footer{margin-top:1rem}
.newpage{break-before:page;page-break-before:always}
@media print{body{margin:0;max-width:none;font-size:11pt}
.footer{position:fixed;bottom:0;left:0;right:0;margin:0;text-align:center;background:#fff}
.footer-space{height:14mm}a{text-decoration:none}}
"""


def _page(title: str, body: list[str], footer: str, paper: str) -> str:
    size = PAPER_SIZES.get(paper, "A4")
    css = _CSS + f"@page{{size:{size};margin:14mm 14mm 12mm}}"
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en-GB">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{escape(title)}</title>", f"<style>{css}</style>", "</head>", "<body>",
        '<table class="page"><tbody><tr><td>', *body, "</td></tr></tbody>",
        '<tfoot><tr><td><div class="footer-space"></div></td></tr></tfoot></table>',
        f'<div class="footer help">{escape(footer)}</div>', "</body>", "</html>", ""])


def _item(item: Item, platforms: Iterable[str] | None) -> str:
    parts = [f'<div class="item" id="{escape(item.id)}"><h3>{escape(item.title)} '
             f'<span class="id">{escape(item.id)}</span></h3>', f"<p><b>Why:</b> {escape(item.why)}</p>"]
    for label, steps in item.steps_for(platforms):
        parts.append(f"<p><b>{escape(how_label(label))}:</b></p><ol>"
                     + "".join(f"<li>{escape(s)}</li>" for s in steps) + "</ol>")
    parts.append(f"<p><b>Take care:</b> {escape(item.caution)}</p>")
    checks = checks_for(item, platforms)
    if checks:
        parts.append(f'<p class="src">digisafe checks: {escape(", ".join(checks))}</p>')
    parts.append("</div>")
    return "\n".join(parts)


def _sources(topic: Topic, platforms: Iterable[str] | None) -> str:
    sources = topic_sources(topic, platforms)
    if not sources:
        return ""
    rows = "".join(f'<li>{escape(s.title)} (<a href="{escape(s.url)}">{escape(s.url)}</a>)</li>' for s in sources)
    return f'<div class="sources"><h4>Sources for this topic</h4><ol class="src">{rows}</ol></div>'



def _contacts(guidance: Guidance) -> str:
    rows = "".join(f"<li><b>{escape(c.name)}:</b> {escape(c.detail)}</li>" for c in guidance.support.contacts)
    return f"<h2>{escape(words.SUPPORT_HEADING)}</h2><ul>{rows}</ul>"


def render_guide(guidance: Guidance, topics: Iterable[Topic], platforms: Iterable[str] | None = None,
                 paper: str = "a4") -> str:
    body = [f"<h1>{escape(words.GUIDE_TITLE)}</h1>", f'<p class="help">{escape(guidance.support.footer)}</p>']
    for topic in topics:
        body += [f'<h2 id="{escape(topic.id)}">{escape(topic.title)}</h2>', f"<p>{escape(topic.summary)}</p>"]
        body += [_item(i, platforms) for i in topic.items]
        body.append(_sources(topic, platforms))
    body += [_contacts(guidance), f'<p class="src">{escape(words.NOT_QUOTED)}</p>']
    return _page(words.GUIDE_TITLE, body, guidance.support.footer, paper)


def _tick(title: str, item_id: str, extra: str = "", found: bool = False) -> str:
    li = '<li class="found">' if found else "<li>"
    return (f'{li}<span class="box"></span>{escape(title)} <span class="id">{escape(item_id)}</span>'
            f"{extra}</li>")


def render_checklist(plan: ChecklistPlan, paper: str = "a4") -> str:
    body = [f"<h1>{escape(words.CHECKLIST_TITLE)}</h1>",
            f"<p><b>Date:</b> ____________________ &nbsp; <span class=\"id\">Printed {escape(plan.made_on)}</span></p>"]
    if plan.report_note:
        body.append(f"<p>{escape(plan.report_note)}</p>")
    body += [f'<p class="help">{escape(plan.support.footer)}</p>',
             f'<p class="intro">{escape(words.CHECKLIST_INTRO)}</p>']
    if plan.before_you_start:
        body.append(f'<p class="safety"><b>{escape(words.BEFORE_YOU_START)}:</b> '
                    f'{escape(plan.before_you_start)}</p>')
    if plan.found:
        body += [f"<h2>{escape(words.FOUND_HEADING)}</h2>", f"<p>{escape(words.FOUND_INTRO)}</p>",
                 '<ul class="tick">']
        for marked in plan.found:
            extra = "".join(f'<span class="mark"><b>{words.FOUND_MARK}</b> {escape(f.title)} '
                            f'<span class="id">{escape(f.check_id)}</span></span>' for f in marked.findings)
            extra += "".join(f'<span class="mark todo"><b>{escape(words.WHAT_TO_DO)}:</b> {escape(step)}</span>'
                             for step in plan.first_steps(marked.item))
            extra += '<span class="notes">Notes:</span>'
            body.append(_tick(marked.item.title, marked.item.id, extra, found=True))
        body.append("</ul>")
    if plan.not_checked or plan.not_applicable:
        body += [f"<h2>{escape(words.NOT_CHECKED_HEADING)}</h2>", f"<p>{escape(words.NOT_CHECKED_INTRO)}</p>",
                 "<ul>"]
        body += [f"<li>{escape(r.title)} <span class=\"id\">{escape(r.check_id)}</span>: {escape(r.reason)}</li>"
                 for r in plan.not_checked]
        if plan.not_applicable:
            body.append(f"<li>{escape(words.NOT_APPLICABLE.format(n=plan.not_applicable))}</li>")
        body.append("</ul>")
    for topic, items in plan.sections:
        body += [f"<h2>{escape(topic.title)}</h2>", '<ul class="tick">']
        body += [_tick(i.title, i.id) for i in items] + ["</ul>"]
    body += [f'<div class="item"><h2>{escape(words.NOTES_HEADING)}</h2><div class="lines">'
             + "<div></div>" * 6 + "</div></div>"]
    if plan.include_findings:
        body += _details(plan)
    for n in range(plan.log_pages):
        body += _log_page(n + 1, plan.log_pages)
    return _page(words.CHECKLIST_TITLE, body, plan.support.footer, paper)


def _details(plan: ChecklistPlan) -> list[str]:
    out = [f'<h2 class="newpage">{escape(words.DETAILS_HEADING)}</h2>',
           f'<p class="warn">{escape(words.PAPER_WARNING)}</p>']
    for f in plan.findings:
        rows = "".join(f"<li><b>{escape(k)}:</b> <span class=\"ev\">{escape(v)}</span></li>"
                       for k, v in plain_evidence(f.evidence))
        out.append(f'<div class="item"><h3>{escape(f.title)}</h3><p class="src">{escape(f.severity.value)}, '
                   f"confidence {escape(f.confidence.value)}, check {escape(f.check_id)}"
                   f"{' &middot; about: ' + escape(f.subject) if f.subject else ''}</p><ul>{rows}</ul></div>")
    return out


def _log_page(n: int, total: int) -> list[str]:
    table = "".join(f"<tr><th>{escape(label)}</th><td></td></tr>" for label in words.LOG_FIELDS)
    return [f'<h2 class="newpage">{escape(words.LOG_HEADING)} ({n} of {total})</h2>',
            f"<p>{escape(words.LOG_INTRO)}</p>",
            *[f'<table class="log">{table}</table>' for _ in range(words.LOG_ENTRIES_PER_PAGE)]]
