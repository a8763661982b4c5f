"""Printable PDF timeline with fpdf2's built-in fonts (as digisafe/guidance/pdf.py does).

NOTE: the built-in fonts cover Latin-1 only; other characters print as look-alikes or a visible
<U+XXXX> code (guidance.pdf.latin1), never dropped silently. The HTML export keeps every character.
"""

from __future__ import annotations

from digisafe.guidance.pdf import PAPER_FORMATS, latin1
from digisafe.records.timeline import EXPORT_WARNING, Item, Timeline

TITLE = "Incident and evidence log"


def _document(paper: str, head: str):  # noqa: ANN202 - an FPDF subclass built lazily
    from fpdf import FPDF

    class Document(FPDF):
        def footer(self) -> None:
            self.set_y(-13)
            self.set_font("Helvetica", "", 7)
            self.cell(0, 3.2, latin1(f"Log head hash {head}"), align="C", new_x="LMARGIN", new_y="NEXT")
            self.cell(0, 3.2, f"Page {self.page_no()} of {{nb}}", align="C")

    pdf = Document(orientation="portrait", unit="mm", format=PAPER_FORMATS.get(paper, "A4"))
    pdf.set_margins(15, 14, 15)
    pdf.set_auto_page_break(True, margin=18)
    pdf.set_title(TITLE)
    pdf.set_creator("digisafe")
    pdf.add_page()
    return pdf


def _para(pdf, text: str, size: float = 10, style: str = "", font: str = "Helvetica") -> None:
    pdf.set_font(font, style, size)
    pdf.set_x(pdf.l_margin)
    pdf.multi_cell(pdf.epw, size * 0.48, latin1(text), align="L", new_x="LMARGIN", new_y="NEXT")


def _item(pdf, item: Item) -> None:
    if pdf.get_y() + 30 > pdf.page_break_trigger:
        pdf.add_page()
    pdf.set_line_width(0.4)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(1.5)
    _para(pdf, f"#{item.seq}  {item.title()}", 11.5, "B")
    for label, value in item.rows():
        pdf.set_x(pdf.l_margin)
        pdf.set_font("Helvetica", "B", 9)
        pdf.multi_cell(52, 4.4, latin1(label), align="L", new_x="RIGHT", new_y="TOP")
        start = pdf.get_y()
        pdf.set_font("Courier" if label == "SHA-256" else "Helvetica", "", 9)
        pdf.multi_cell(pdf.epw - 52, 4.4, latin1(value), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_y(max(pdf.get_y(), start + 4.4))
    _para(pdf, f"Record hash: {item.hash_hex}", 7, font="Courier")
    pdf.ln(3)


def render_pdf(timeline: Timeline, paper: str = "a4") -> bytes:
    pdf = _document(paper, timeline.head_hex)
    _para(pdf, TITLE, 17, "B")
    pdf.ln(1)
    _para(pdf, f"Exported {timeline.exported_at} (UTC) by digisafe. {len(timeline.items)} records.", 9)
    chain = "intact: nothing was changed, removed or reordered" if timeline.chain_ok else "BROKEN (see below)"
    _para(pdf, f"Hash chain: {chain}. Head hash: {timeline.head_hex}", 9)
    pdf.ln(1.5)
    pdf.set_font("Helvetica", "B", 9.5)
    pdf.multi_cell(0, 4.8, latin1(EXPORT_WARNING), border=1, padding=2, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    for line in timeline.errors:
        _para(pdf, f"Problem: {line}", 9.5, "B")
    for item in timeline.items:
        _item(pdf, item)
    return bytes(pdf.output())
