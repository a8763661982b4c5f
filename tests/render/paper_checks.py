"""Checks on printed pages shared by the fpdf2 checklist test and the Chromium tests."""

from __future__ import annotations

from typing import Sequence


def _norm(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").split())


def orphaned_headings(page_texts: Sequence[str], sections: Sequence[tuple[str, str]]) -> list[str]:
    """Sections (heading, first step) whose first step is not on the heading's page."""
    pages = [_norm(t) for t in page_texts]
    bad = []
    for heading, first in sections:
        where = [n for n, text in enumerate(pages) if _norm(heading) in text]
        if not where:
            bad.append(f"{heading!r}: heading not found")
            continue
        page = pages[where[0]]
        after = page[page.index(_norm(heading)):]
        if _norm(first)[:40] not in after:
            bad.append(f"{heading!r} (page {where[0] + 1}) without its first step {first!r}")
    return bad
