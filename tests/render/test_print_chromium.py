"""The HTML report and checklist printed in real headless Chromium at A4 and Letter (issue 12):
no text runs off the page, no heading ends a page, the checks table repeats its header row on
every page it spans, IDs never break, and the summary is on page 1."""

from __future__ import annotations

import html
import re

import pytest

from digisafe.guidance import words
from digisafe.guidance.checklist import render_plan
from digisafe.guidance.loader import load_guidance
from digisafe.guidance.tailor import plan_checklist
from digisafe.render import render
from tests.render import chromium
from tests.render.big_report import big_report
from tests.render.paper_checks import orphaned_headings

pytestmark = pytest.mark.skipif(not chromium.available(), reason=chromium.SKIP_REASON)
PAPERS = {"A4": 595.3, "letter": 612.0}  # page width in points
MARGIN_PT = 15 / 25.4 * 72 - 2  # the report's 15 mm page margin, less 2 pt of rounding


def _headings(text: str) -> list[str]:
    found = re.findall(r"<h[1-4][^>]*>(.*?)</h[1-4]>", text, re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", h)).split()) for h in found]


def _ends_with_heading(page: chromium.Page, headings: list[str], footer: str = "") -> str | None:
    lines = [line for line in page.lines if not (footer and " ".join(line.text.split()) in footer)]
    if not lines:
        return None
    last = " ".join(lines[-1].text.split())
    for heading in headings:
        if last == heading or (len(last) > 10 and heading.endswith(last)):
            return last
    return None


def _print(tmp_path, name: str, text: str) -> list[chromium.Page]:
    source = tmp_path / f"{name}.html"
    source.write_text(text, encoding="utf-8")
    pdf = tmp_path / f"{name}.pdf"
    chromium.print_pdf(source, pdf, tmp_path / "profile")
    return chromium.pages(pdf)


def _overflow(pages: list[chromium.Page], margin: float) -> list[str]:
    return [f"page {n}: {line.text[:60]!r} x {line.x_min:.0f}..{line.x_max:.0f} of {page.width:.0f}"
            for n, page in enumerate(pages, 1) for line in page.lines
            if line.x_min < margin or line.x_max > page.width - margin]


@pytest.mark.parametrize("paper", list(PAPERS))
def test_printed_report(tmp_path, paper) -> None:
    report = big_report()
    text = chromium.paper_css(render(report, "html"), paper)
    pages = _print(tmp_path, f"report-{paper}", text)
    assert len(pages) >= 3 and abs(pages[0].width - PAPERS[paper]) < 2
    assert not _overflow(pages, MARGIN_PT), _overflow(pages, MARGIN_PT)
    headings = _headings(text)
    ends = [(n, h) for n, p in enumerate(pages, 1) if (h := _ends_with_heading(p, headings))]
    assert not ends, ends
    # page 1 carries the summary counts and the first findings, not just a title
    first = pages[0].text()
    assert "Summary" in first and "could not check" in first and "Covert stalkerware is running" in first
    # the checks table's header row is repeated on every page the table spans
    from digisafe.render.wording import for_other_platforms

    table_pages = [n for n, p in enumerate(pages) if any("What it looks at" in line.text for line in p.lines)]

    ids = [r.check_id for r in report.results]
    rows = {r.check_id for r in report.results if not for_other_platforms(r)}
    spanned = [n for n, p in enumerate(pages) if any(line.text.split(" ")[0] in rows for line in p.lines)]
    spanned = [n for n in spanned if n >= (min(table_pages) if table_pages else 0)]
    assert spanned and set(range(table_pages[0], spanned[-1] + 1)) <= set(table_pages), (table_pages, spanned)
    # no ID is broken across lines
    lines = [line.text for p in pages for line in p.lines]
    for check_id in ids:
        assert any(check_id in line for line in lines), check_id


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_printed_checklist(tmp_path, paper) -> None:
    guidance = load_guidance()
    plan = plan_checklist(guidance, big_report(), include_findings=True, log_pages=1)
    text = render_plan(plan, "html", paper)
    pages = _print(tmp_path, f"checklist-{paper}", text)
    assert abs(pages[0].width - PAPERS["A4" if paper == "a4" else "letter"]) < 2
    assert not _overflow(pages, 14 / 25.4 * 72 - 2), _overflow(pages, 14 / 25.4 * 72 - 2)
    footer = " ".join(plan.support.footer.split())
    # "Notes" is followed by ruled lines, which have no text: it is kept with them by CSS instead
    headings = [h for h in _headings(text) if h != words.NOTES_HEADING]
    ends = [(n, h) for n, p in enumerate(pages, 1) if (h := _ends_with_heading(p, headings, footer))]
    assert not ends, ends
    sections = [(words.FOUND_HEADING, plan.found[0].item.title)]
    sections += [(topic.title, items[0].title) for topic, items in plan.sections]
    assert not orphaned_headings([p.text() for p in pages], sections)
    everything = " ".join(p.text() for p in pages)
    assert f"{words.WHAT_TO_DO}:" in everything  # a FOUND step says what to do, on paper too
    for page in pages:  # the help line is on every printed page
        assert "0808 802 0300" in page.text()
