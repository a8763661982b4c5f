"""Renderers: text wraps, markdown ticks, HTML is self-contained and prints, PDF text and pages."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from digisafe.guidance import html, markdown, pdf, text, words
from digisafe.guidance.checklist import render_plan
from digisafe.guidance.tailor import plan_checklist

HELPLINE = "0808 802 0300"


def _pages(data: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]


def _flat(page: str) -> str:
    return " ".join(page.split())


@pytest.mark.parametrize("width", [40, 72, 120])
def test_text_guide_wraps_to_width(guidance, width):
    out = text.render_guide(guidance, guidance.topics, width)
    long_lines = [ln for ln in out.splitlines() if len(ln) > width and "://" not in ln]
    assert not long_lines
    assert "Take care:" in out and HELPLINE in _flat(out)


def test_text_guide_platform_filter_drops_other_devices(guidance):
    topic = guidance.topic("phones")
    both = text.render_guide(guidance, [topic], 100)
    android = text.render_guide(guidance, [topic], 100, ["android"])
    assert "iPhone:" in both and "iPhone:" not in android and "Android:" in android


def test_markdown_checklist_has_task_boxes(guidance, report):
    out = markdown.render_checklist(plan_checklist(guidance, report, log_pages=1))
    assert out.count("- [ ] ") == len(guidance.items)
    assert f"## {words.FOUND_HEADING}" in out and "FOUND: A remote-control program" in out
    assert "## Incident log (1 of 1)" in out and "| Witnesses |" in out
    assert "/home/sam" not in out  # evidence stays off paper unless asked for
    assert HELPLINE in out.rstrip().splitlines()[-1]


@pytest.mark.parametrize("paper, size", [("a4", "size:A4"), ("letter", "size:letter")])
def test_html_is_self_contained_with_print_styles(guidance, report, paper, size):
    out = html.render_checklist(plan_checklist(guidance, report, log_pages=1), paper)
    assert size in out and "@media print" in out and "position:fixed" in out
    assert not re.search(r"<script|<link|<img|<iframe|src=|url\(|@import", out, re.I)
    assert out.count('class="box"') == len(guidance.items)
    assert out.count('class="footer help"') == 1 and HELPLINE in out
    assert "Incident log (1 of 1)" in out


def test_html_guide_escapes_and_links_sources(guidance):
    out = html.render_guide(guidance, [guidance.topic("accounts")])
    assert "Sign-In &amp; Security" in out and "Security &gt; Your devices" in out
    assert 'href="https://' in out and "<script" not in out


@pytest.mark.parametrize("paper, mediabox", [("a4", (595.28, 841.89)), ("letter", (612, 792))])
def test_pdf_checklist_pages_helpline_and_size(guidance, report, paper, mediabox):
    data = pdf.render_checklist(plan_checklist(guidance, report, log_pages=2), paper)
    reader = PdfReader(io.BytesIO(data))
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(mediabox, abs=0.5)
    pages = [_flat(p.extract_text()) for p in reader.pages]
    total = len(pages)
    assert 3 <= total <= 12
    for n, page in enumerate(pages, 1):
        assert HELPLINE in page and "999" in page and "Paladin" in page, n
        assert f"Page {n} of {total}" in page
    first = pages[0]
    assert words.CHECKLIST_TITLE in first and "Date:" in first
    assert "FOUND: Monitoring software is running" in first
    assert first.index("Get help with monitoring software") < first.index("Find out who can connect")
    assert sum("Incident log (" in p for p in pages) == 2
    assert all("What happened" in p and "Reported to whom" in p for p in pages[-2:])
    everything = " ".join(pages)
    assert words.NOT_CHECKED_HEADING in everything and "Firefox profile database is locked" in everything
    assert "/home/sam" not in everything and "Paper can be found" not in everything


def test_pdf_log_pages_add_pages(guidance):
    plain = len(_pages(pdf.render_checklist(plan_checklist(guidance))))
    with_log = len(_pages(pdf.render_checklist(plan_checklist(guidance, log_pages=3))))
    assert with_log == plain + 3


def test_pdf_include_findings_shows_evidence_with_warning(guidance, report):
    plan = plan_checklist(guidance, report, include_findings=True)
    everything = " ".join(_flat(p) for p in _pages(pdf.render_checklist(plan)))
    assert "Paper can be found" in everything
    assert "/home/sam/.local/share/.sys/spyagent" in everything and "203.0.113.9" in everything
    assert "<U+4E2D>" in everything and "caf\u00e9" in everything  # not Latin-1: shown as a code, not lost
    assert "Complete: yes" in everything and "Fingerprint: none" in everything  # plain words, not JSON or repr
    assert "null" not in everything and "true" not in everything
    assert 'Coordinates: 51.5007, -0.1246' in everything


def test_latin1_helper():
    assert pdf.latin1("a\u2013b \u201cq\u201d \u2192 \u00e9\u4e2d") == 'a-b "q" -> \u00e9<U+4E2D>'
    assert pdf.latin1("\u0107") == "c"  # accent dropped where Latin-1 has no such letter


def test_pdf_guide_renders_every_item(guidance):
    pages = _pages(pdf.render_guide(guidance, guidance.topics))
    everything = _flat(" ".join(pages))
    for item in guidance.items:
        assert item.id in everything
    assert all(HELPLINE in _flat(p) for p in pages)


def test_render_plan_formats(guidance, report):
    plan = plan_checklist(guidance, report)
    assert isinstance(render_plan(plan, "pdf"), bytes)
    for fmt in ("text", "markdown", "html"):
        assert HELPLINE in " ".join(render_plan(plan, fmt).split())


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
@pytest.mark.parametrize("paper, ratio", [("a4", 297 / 210), ("letter", 11 / 8.5)])
def test_pdf_rasterises_to_a_real_page(guidance, report, tmp_path, paper, ratio):
    from PIL import Image

    source = tmp_path / "checklist.pdf"
    source.write_bytes(pdf.render_checklist(plan_checklist(guidance, report), paper))
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(source), str(tmp_path / "p")],
                   check=True, timeout=60)
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    assert image.height / image.width == pytest.approx(ratio, rel=0.02)
    dark = sum(image.histogram()[:128]) / (image.width * image.height)
    assert 0.01 < dark < 0.25  # ink on the page, but not a black page
