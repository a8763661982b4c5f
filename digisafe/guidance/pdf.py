"""PDF guide and checklist with fpdf2, using only the built-in core fonts (Helvetica, Courier).

NOTE: the core fonts cover Latin-1 only. Our own content is held to Latin-1 by the validator;
text from a report (file names, account names) may hold any character, so ``latin1`` turns what
the fonts cannot print into plain look-alikes or a visible <U+XXXX> code, never a crash and never
a silent drop. We do not ship font files (no vendoring), so this is the honest limit.
"""

from __future__ import annotations

import unicodedata
from typing import Iterable

from digisafe.guidance import words
from digisafe.guidance.model import Guidance, Item, Topic, how_label
from digisafe.guidance.refs import checks_for, topic_sources
from digisafe.guidance.tailor import ChecklistPlan
from digisafe.render.plain import plain_evidence

PAPER_FORMATS = {"a4": "A4", "letter": "Letter"}
LOOK_ALIKES = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
               "\u2026": "...", "\u2192": "->", "\u2022": "*", "\u00a0": " ", "\u2212": "-"}
BODY, SMALL = 10.5, 8
BOX = 4.2  # tick box side, mm
INDENT = 8


def latin1(text: str) -> str:
    """Text the core fonts can print: look-alikes first, then accents dropped, then <U+XXXX>."""
    out = []
    for ch in str(text):
        if ord(ch) <= 0xFF:
            out.append(ch)
            continue
        if ch in LOOK_ALIKES:
            out.append(LOOK_ALIKES[ch])
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        out.append(base if base and all(ord(c) <= 0xFF for c in base) else f"<U+{ord(ch):04X}>")
    return "".join(out)


def _document(footer: str, paper: str, title: str):  # noqa: ANN202 - an FPDF subclass built lazily
    from fpdf import FPDF

    class Document(FPDF):
        def footer(self) -> None:
            self.set_y(-15)
            self.set_draw_color(0)
            self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
            self.set_font("Helvetica", "B", 7.5)
            self.set_text_color(0)
            for line in footer:
                self.cell(0, 3.4, latin1(line), align="C", new_x="LMARGIN", new_y="NEXT")
            self.set_font("Helvetica", "", 7)
            self.cell(0, 3, f"Page {self.page_no()} of {{nb}}", align="C")

    pdf = Document(orientation="portrait", unit="mm", format=PAPER_FORMATS.get(paper, "A4"))
    pdf.set_margins(15, 14, 15)
    pdf.set_auto_page_break(True, margin=20)
    pdf.set_title(latin1(title))
    pdf.set_creator("digisafe")
    pdf.add_page()
    return pdf


def _para(pdf, text: str, size: float = BODY, style: str = "", indent: float = 0, height: float | None = None) -> None:
    pdf.set_font("Helvetica", style, size)
    pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell(pdf.epw - indent, height or size * 0.48, latin1(text), align="L", new_x="LMARGIN", new_y="NEXT")


def _room(pdf, needed: float) -> None:
    """Start a new page unless ``needed`` mm still fit (keeps headings with what follows)."""
    if pdf.get_y() + needed > pdf.page_break_trigger:
        pdf.add_page()


def _heading(pdf, text: str, size: float = 13, newpage: bool = False) -> None:
    if newpage:
        pdf.add_page()
    else:
        _room(pdf, 28)
        pdf.ln(3)
    _para(pdf, text, size, "B")
    pdf.set_line_width(0.5)
    pdf.line(pdf.l_margin, pdf.get_y() + 0.5, pdf.w - pdf.r_margin, pdf.get_y() + 0.5)
    pdf.set_line_width(0.2)
    pdf.ln(2.5)


def _lines_needed(pdf, text: str, width: float, size: float, style: str = "") -> int:
    pdf.set_font("Helvetica", style, size)
    return len(pdf.multi_cell(width, 5, latin1(text), dry_run=True, output="LINES"))


def _tick_item(pdf, title: str, item_id: str, marks: Iterable[str] = (), notes: bool = False,
               todo: Iterable[str] = ()) -> None:
    width = pdf.epw - INDENT
    marks, todo = list(marks), list(todo)
    title_lines = _lines_needed(pdf, title, width - 34, BODY, "B" if marks else "")
    todo_lines = sum(_lines_needed(pdf, step, width - 22, 9) for step in todo)
    needed = 5.2 * title_lines + 4.6 * (len(marks) + todo_lines) + (9 if notes else 0) + 2
    _room(pdf, needed)
    y = pdf.get_y()
    pdf.set_line_width(0.35)
    pdf.rect(pdf.l_margin, y + 0.5, BOX, BOX)
    pdf.set_line_width(0.2)
    pdf.set_xy(pdf.l_margin + INDENT, y)
    pdf.set_font("Helvetica", "B" if marks else "", BODY)
    pdf.multi_cell(width - 34, 5.2, latin1(title), align="L", new_x="LMARGIN", new_y="NEXT")
    end = pdf.get_y()
    pdf.set_xy(pdf.w - pdf.r_margin - 34, y + 0.3)
    pdf.set_font("Helvetica", "", 6.5)
    pdf.set_text_color(90)
    pdf.cell(34, 4, latin1(item_id), align="R")
    pdf.set_text_color(0)
    pdf.set_y(end)
    for mark in marks:
        pdf.set_font("Helvetica", "B", 9)
        pdf.set_x(pdf.l_margin + INDENT)
        pdf.cell(15, 4.6, words.FOUND_MARK + ":")
        _para(pdf, mark, 9, "", indent=INDENT + 15, height=4.6)
    for step in todo:
        pdf.set_font("Helvetica", "B", 9)
        pdf.set_x(pdf.l_margin + INDENT)
        pdf.cell(22, 4.6, latin1(words.WHAT_TO_DO + ":"))
        _para(pdf, step, 9, "", indent=INDENT + 22, height=4.6)
    if notes:
        pdf.set_font("Helvetica", "", 8)
        pdf.set_x(pdf.l_margin + INDENT)
        pdf.set_text_color(90)
        pdf.cell(14, 7, "Notes:")
        pdf.set_text_color(0)
        pdf.line(pdf.l_margin + INDENT + 12, pdf.get_y() + 6, pdf.w - pdf.r_margin, pdf.get_y() + 6)
        pdf.ln(8)
    pdf.ln(1.2)


def render_checklist(plan: ChecklistPlan, paper: str = "a4") -> bytes:
    pdf = _document(plan.support.footer_lines, paper, words.CHECKLIST_TITLE)
    _para(pdf, words.CHECKLIST_TITLE, 18, "B")
    pdf.ln(1)
    _para(pdf, f"Date: ______________________      Printed: {plan.made_on}", BODY)
    if plan.report_note:
        _para(pdf, plan.report_note, 9)
    pdf.ln(1.5)
    _boxed(pdf, plan.support.footer, bold=True)
    _para(pdf, words.CHECKLIST_INTRO)
    if plan.before_you_start:
        pdf.ln(1.5)
        _boxed(pdf, f"{words.BEFORE_YOU_START}: {plan.before_you_start}", shaded=True)
    if plan.found:
        _heading(pdf, words.FOUND_HEADING)
        _para(pdf, words.FOUND_INTRO, 9.5)
        pdf.ln(1.5)
        for marked in plan.found:
            _tick_item(pdf, marked.item.title, marked.item.id,
                       [f"{f.title} ({f.check_id})" for f in marked.findings], notes=True,
                       todo=plan.first_steps(marked.item))
    if plan.not_checked or plan.not_applicable:
        _heading(pdf, words.NOT_CHECKED_HEADING, 12)
        _para(pdf, words.NOT_CHECKED_INTRO, 9.5)
        for row in plan.not_checked:
            _room(pdf, 12)
            pdf.ln(1)
            _para(pdf, f"{row.title} ({row.check_id})", 9, "B", indent=2, height=4.4)
            _para(pdf, row.reason, 8.5, indent=6, height=4.0)
        if plan.not_applicable:
            _para(pdf, words.NOT_APPLICABLE.format(n=plan.not_applicable), 9, indent=2, height=4.4)
    for topic, items in plan.sections:
        _heading(pdf, topic.title, 12)
        for item in items:
            _tick_item(pdf, item.title, item.id)
    _heading(pdf, words.NOTES_HEADING, 12)
    for _ in range(7):
        _room(pdf, 9)
        pdf.ln(8)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    if plan.include_findings:
        _details(pdf, plan)
    for n in range(plan.log_pages):
        _log_page(pdf, n + 1, plan.log_pages)
    return bytes(pdf.output())


def _boxed(pdf, text: str, bold: bool = False, shaded: bool = False) -> None:
    pdf.set_font("Helvetica", "B" if bold else "", 9.5)
    if shaded:
        pdf.set_fill_color(235)
    pdf.set_line_width(0.5)
    pdf.multi_cell(0, 4.8, latin1(text), border=1, padding=2, fill=shaded, align="L", new_x="LMARGIN",
                   new_y="NEXT")
    pdf.set_line_width(0.2)
    pdf.ln(2)


def _details(pdf, plan: ChecklistPlan) -> None:
    _heading(pdf, words.DETAILS_HEADING, newpage=True)
    _boxed(pdf, words.PAPER_WARNING, bold=True)
    for f in plan.findings:
        _room(pdf, 20)
        _para(pdf, f.title, BODY, "B")
        meta = f"{f.severity.value}, confidence {f.confidence.value}, check {f.check_id}"
        _para(pdf, meta + (f"; about: {f.subject}" if f.subject else ""), SMALL)
        for key, value in plain_evidence(f.evidence):
            pdf.set_font("Courier", "", 8)
            pdf.set_x(pdf.l_margin + 4)
            line = latin1(f"{key}: {value}")
            pdf.multi_cell(pdf.epw - 4, 3.8, line, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)


def _log_page(pdf, n: int, total: int) -> None:
    _heading(pdf, f"{words.LOG_HEADING} ({n} of {total})", newpage=True)
    _para(pdf, words.LOG_INTRO, 9.5)
    pdf.ln(2)
    space = (pdf.page_break_trigger - pdf.get_y()) / words.LOG_ENTRIES_PER_PAGE - 6
    other = min(16.0, space * 0.6 / (len(words.LOG_FIELDS) - 1))
    heights = {"What happened": space - other * (len(words.LOG_FIELDS) - 1)}
    for _entry in range(words.LOG_ENTRIES_PER_PAGE):
        for label in words.LOG_FIELDS:
            h = heights.get(label, other)
            y = pdf.get_y()
            pdf.set_font("Helvetica", "B", 9)
            pdf.rect(pdf.l_margin, y, 48, h)
            pdf.rect(pdf.l_margin + 48, y, pdf.epw - 48, h)
            pdf.set_xy(pdf.l_margin + 1, y + 1)
            pdf.multi_cell(46, 4.2, latin1(label), align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.set_y(y + h)
        pdf.ln(6)


def render_guide(guidance: Guidance, topics: Iterable[Topic], platforms: Iterable[str] | None = None,
                 paper: str = "a4") -> bytes:
    pdf = _document(guidance.support.footer_lines, paper, words.GUIDE_TITLE)
    _para(pdf, words.GUIDE_TITLE, 18, "B")
    pdf.ln(2)
    _boxed(pdf, guidance.support.footer, bold=True)
    for topic in topics:
        _heading(pdf, topic.title, 14)
        _para(pdf, topic.summary)
        pdf.ln(2)
        for item in topic.items:
            _guide_item(pdf, item, platforms)
        _guide_sources(pdf, topic, platforms)
    _heading(pdf, words.SUPPORT_HEADING, 13)
    for contact in guidance.support.contacts:
        _para(pdf, f"{contact.name}: {contact.detail}", 9.5)
        pdf.ln(0.8)
    pdf.ln(2)
    _para(pdf, words.NOT_QUOTED, SMALL)
    return bytes(pdf.output())


def _labelled(pdf, label: str, text: str, size: float = 9.5, style: str = "") -> None:
    """A bold label followed by text on the same line, wrapping under the label."""
    height = size * 0.48
    pdf.set_x(pdf.l_margin)
    pdf.set_font("Helvetica", "B", size)
    pdf.write(height, latin1(label) + " ")
    pdf.set_font("Helvetica", style, size)
    pdf.write(height, latin1(text))
    pdf.ln(height)


def _guide_item(pdf, item: Item, platforms: Iterable[str] | None) -> None:
    _room(pdf, 40)
    _para(pdf, item.title, 11.5, "B")
    _para(pdf, item.id, 7)
    _labelled(pdf, "Why:", item.why)
    for label, steps in item.steps_for(platforms):
        _para(pdf, f"{how_label(label)}:", 9.5, "B")
        for n, step in enumerate(steps, 1):
            _para(pdf, f"{n}. {step}", 9.5, indent=4)
    _labelled(pdf, "Take care:", item.caution)
    checks = checks_for(item, platforms)
    if checks:
        _para(pdf, f"digisafe checks: {', '.join(checks)}.", 7.5)
    pdf.ln(3)


def _guide_sources(pdf, topic: Topic, platforms: Iterable[str] | None) -> None:
    sources = topic_sources(topic, platforms)
    if not sources:
        return
    _room(pdf, 12)
    _para(pdf, "Sources for this topic:", 8, "B")
    for n, s in enumerate(sources, 1):
        _para(pdf, f"{n}. {s.title} ({s.url})", 7.5, indent=4)
    pdf.ln(2)
