"""Plain-text guide and checklist, wrapped to a given width (the terminal's, for the CLI)."""

from __future__ import annotations

import textwrap
from typing import Iterable

from digisafe.guidance import words
from digisafe.guidance.model import Guidance, Item, Topic, how_label
from digisafe.guidance.refs import checks_for, topic_sources
from digisafe.guidance.tailor import ChecklistPlan
from digisafe.render.fit import wrap
from digisafe.render.plain import plain_evidence

INDENT = "    "


class _Page:
    """Collects wrapped lines."""

    def __init__(self, width: int) -> None:
        self.width = max(40, width)
        self.lines: list[str] = []

    def para(self, text: str, indent: str = "", first: str | None = None) -> None:
        # fit.wrap never splits a phone number, an ID or a command across lines
        self.lines += wrap(text, self.width, indent, first) if text.strip() else [""]

    def heading(self, text: str, rule: str = "=") -> None:
        self.blank()
        wrapped = textwrap.wrap(text.upper(), self.width, break_on_hyphens=False) or [""]
        self.lines += wrapped + [rule * max(len(line) for line in wrapped)]

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def text(self) -> str:
        return "\n".join(self.lines).strip("\n") + "\n"


def _item(page: _Page, item: Item, number: int, platforms: Iterable[str] | None, details: bool = False) -> None:
    page.blank()
    page.para(f"{item.title}  [{item.id}]" if details else item.title, INDENT, first=f"{number:>2}. ")
    page.para(item.why, INDENT + "  ", first=INDENT + "Why: ")
    for label, steps in item.steps_for(platforms):
        page.para(f"{how_label(label)}:", INDENT)
        for step in steps:
            page.para(step, INDENT + "    ", first=INDENT + "  - ")
    page.para(item.caution, INDENT + "  ", first=INDENT + "Take care: ")
    checks = checks_for(item, platforms)
    if details and checks:
        page.para("digisafe checks: " + ", ".join(checks), INDENT)


def _sources(page: _Page, topic: Topic, platforms: Iterable[str] | None) -> None:
    """The topic's sources, once each, as a short numbered list after its steps."""
    sources = topic_sources(topic, platforms)
    if not sources:
        return
    page.blank()
    page.para("Sources for this topic:")
    for n, source in enumerate(sources, 1):
        page.para(f"{source.title} <{source.url}>", "      ", first=f"  {n:>2}. ")


def _support(page: _Page, guidance: Guidance) -> None:
    page.heading(words.SUPPORT_HEADING, "-")
    for contact in guidance.support.contacts:
        page.para(f"{contact.name}: {contact.detail}", "  ", first="* ")


def render_guide(guidance: Guidance, topics: Iterable[Topic], width: int = 80,
                 platforms: Iterable[str] | None = None, details: bool = False) -> str:
    """The given topics in full, then who to call. ``details`` adds step IDs and check IDs."""
    page = _Page(width)
    page.para(guidance.support.footer)
    number = 0
    for topic in topics:
        page.heading(topic.title)
        page.para(topic.summary)
        for item in topic.items:
            number += 1
            _item(page, item, number, platforms, details)
        _sources(page, topic, platforms)
    _support(page, guidance)
    page.blank()
    page.para(words.NOT_QUOTED)
    return page.text()


def render_index(guidance: Guidance, width: int = 80) -> str:
    """The list of topics, for `digisafe guide` with no topic."""
    page = _Page(width)
    page.para(words.GUIDE_TITLE.upper())
    page.para(guidance.support.footer)
    page.blank()
    for topic in guidance.topics:
        page.para(f"{topic.title} ({len(topic.items)} steps)", "", first=f"{topic.id:<17} ")
    page.blank()
    page.para(words.GUIDE_INDEX_HINT)
    return page.text()


def render_checklist(plan: ChecklistPlan, width: int = 80) -> str:
    page = _Page(width)
    page.para(words.CHECKLIST_TITLE.upper())
    page.para(f"Date: ______________    Printed: {plan.made_on}")
    if plan.report_note:
        page.para(plan.report_note)
    page.para(plan.support.footer)
    page.blank()
    page.para(words.CHECKLIST_INTRO)
    if plan.before_you_start:
        page.heading(words.BEFORE_YOU_START, "-")
        page.para(plan.before_you_start)
    if plan.found:
        page.heading(words.FOUND_HEADING)
        page.para(words.FOUND_INTRO)
        for marked in plan.found:
            page.blank()
            page.para(f"{marked.item.title}  [{marked.item.id}]", INDENT, first="[ ] ")
            for f in marked.findings:
                page.para(f"{f.title} ({f.check_id})", INDENT + "  ", first=f"{INDENT}{words.FOUND_MARK}: ")
            for step in plan.first_steps(marked.item):
                page.para(step, INDENT + "  ", first=f"{INDENT}{words.WHAT_TO_DO}: ")
            page.para("Notes: " + "_" * max(10, min(50, page.width - 12)), INDENT)
    if plan.not_checked or plan.not_applicable:
        page.heading(words.NOT_CHECKED_HEADING, "-")
        page.para(words.NOT_CHECKED_INTRO)
        for row in plan.not_checked:
            page.para(f"{row.title} ({row.check_id}): {row.reason}", "  ", first="- ")
        if plan.not_applicable:
            page.para(words.NOT_APPLICABLE.format(n=plan.not_applicable))
    for topic, items in plan.sections:
        page.heading(topic.title, "-")
        for item in items:
            page.para(f"{item.title}  [{item.id}]", INDENT, first="[ ] ")
    page.heading(words.NOTES_HEADING, "-")
    for _ in range(6):
        page.lines.append("_" * min(72, page.width))
        page.lines.append("")
    if plan.include_findings:
        _details(page, plan)
    for n in range(plan.log_pages):
        _log_page(page, n + 1, plan.log_pages)
    page.blank()
    page.para(plan.support.footer)
    return page.text()


def _details(page: _Page, plan: ChecklistPlan) -> None:
    page.heading(words.DETAILS_HEADING)
    page.para(words.PAPER_WARNING)
    for f in plan.findings:
        page.blank()
        page.para(f"{f.title}", "  ", first="* ")
        page.para(f"{f.severity.value}, confidence {f.confidence.value}, check {f.check_id}", "  ")
        if f.subject:
            page.para(f"About: {f.subject}", "    ", first="  ")
        for key, value in plain_evidence(f.evidence):
            page.para(f"{key}: {value}", "      ", first="    ")


def _log_page(page: _Page, n: int, total: int) -> None:
    page.heading(f"{words.LOG_HEADING} ({n} of {total})")
    page.para(words.LOG_INTRO)
    for _entry in range(words.LOG_ENTRIES_PER_PAGE):
        page.blank()
        for label in words.LOG_FIELDS:
            page.para(f"{label}: " + "_" * max(10, min(72, page.width) - len(label) - 2))
            page.lines.append("")
