"""Markdown guide and checklist (GitHub-style task lists: "- [ ] step")."""

from __future__ import annotations

from typing import Iterable

from digisafe.guidance import words
from digisafe.guidance.model import Guidance, Item, Topic, how_label
from digisafe.guidance.refs import checks_for, topic_sources
from digisafe.guidance.tailor import ChecklistPlan
from digisafe.render.plain import plain_evidence


def _esc(text: str) -> str:
    """Keep text literal: escape the characters Markdown would read as formatting."""
    for ch in ("\\", "`", "*", "_", "[", "]", "<"):
        text = text.replace(ch, "\\" + ch)
    text = " ".join(text.split())  # a line break inside a finding must not start a new block
    return "\\" + text if text[:1] in "#>-+|=" and text else text


def _item(item: Item, platforms: Iterable[str] | None) -> list[str]:
    out = [f"### {_esc(item.title)}", "", f"*{item.id}*", "", f"**Why:** {_esc(item.why)}", ""]
    for label, steps in item.steps_for(platforms):
        out.append(f"**{_esc(how_label(label))}:**")
        out.append("")
        out += [f"1. {_esc(s)}" for s in steps]
        out.append("")
    out += [f"**Take care:** {_esc(item.caution)}", ""]
    checks = checks_for(item, platforms)
    if checks:
        out += ["digisafe checks: " + ", ".join(f"`{c}`" for c in checks), ""]
    return out


def _sources(topic: Topic, platforms: Iterable[str] | None) -> list[str]:
    sources = topic_sources(topic, platforms)
    if not sources:
        return []
    return ["**Sources for this topic:**", "",
            *(f"{n}. [{_esc(s.title)}](<{s.url}>)" for n, s in enumerate(sources, 1)), ""]


def _support(guidance: Guidance) -> list[str]:
    out = [f"## {words.SUPPORT_HEADING}", ""]
    out += [f"- **{_esc(c.name)}:** {_esc(c.detail)}" for c in guidance.support.contacts]
    return out + [""]


def render_guide(guidance: Guidance, topics: Iterable[Topic], platforms: Iterable[str] | None = None) -> str:
    out = [f"# {words.GUIDE_TITLE}", "", f"> {_esc(guidance.support.footer)}", ""]
    for topic in topics:
        out += [f"## {_esc(topic.title)}", "", _esc(topic.summary), ""]
        for item in topic.items:
            out += _item(item, platforms)
        out += _sources(topic, platforms)
    out += _support(guidance)
    out += [f"*{words.NOT_QUOTED}*", ""]
    return "\n".join(out)


def render_checklist(plan: ChecklistPlan) -> str:
    out = [f"# {words.CHECKLIST_TITLE}", "", f"**Date:** ______________ &nbsp; Printed: {plan.made_on}", ""]
    if plan.report_note:
        out += [_esc(plan.report_note), ""]
    out += [f"> {_esc(plan.support.footer)}", "", _esc(words.CHECKLIST_INTRO), ""]
    if plan.before_you_start:
        out += [f"## {words.BEFORE_YOU_START}", "", _esc(plan.before_you_start), ""]
    if plan.found:
        out += [f"## {words.FOUND_HEADING}", "", _esc(words.FOUND_INTRO), ""]
        for marked in plan.found:
            out.append(f"- [ ] **{_esc(marked.item.title)}** *({marked.item.id})*")
            out += [f"  - {words.FOUND_MARK}: {_esc(f.title)} (`{f.check_id}`)" for f in marked.findings]
            out += [f"  - {words.WHAT_TO_DO}: {_esc(step)}" for step in plan.first_steps(marked.item)]
            out.append("  - Notes: ________________________________")
        out.append("")
    if plan.not_checked or plan.not_applicable:
        out += [f"## {words.NOT_CHECKED_HEADING}", "", _esc(words.NOT_CHECKED_INTRO), ""]
        out += [f"- {_esc(r.title)} (`{r.check_id}`): {_esc(r.reason)}" for r in plan.not_checked]
        if plan.not_applicable:
            out.append(f"- {words.NOT_APPLICABLE.format(n=plan.not_applicable)}")
        out.append("")
    for topic, items in plan.sections:
        out += [f"## {_esc(topic.title)}", ""]
        out += [f"- [ ] {_esc(i.title)} *({i.id})*" for i in items]
        out.append("")
    out += [f"## {words.NOTES_HEADING}", ""] + ["_" * 60 + "\n" for _ in range(6)]
    if plan.include_findings:
        out += _details(plan)
    for n in range(plan.log_pages):
        out += _log_page(n + 1, plan.log_pages)
    out += [f"> {_esc(plan.support.footer)}", ""]
    return "\n".join(out)


def _details(plan: ChecklistPlan) -> list[str]:
    out = [f"## {words.DETAILS_HEADING}", "", f"> **{_esc(words.PAPER_WARNING)}**", ""]
    for f in plan.findings:
        out += [f"### {_esc(f.title)}", "",
                f"{f.severity.value}, confidence {f.confidence.value}, check `{f.check_id}`", ""]
        if f.subject:
            out += [f"About: {_esc(f.subject)}", ""]
        out += [f"- {_esc(k)}: `{v.replace('`', chr(39))}`" for k, v in plain_evidence(f.evidence)]
        out.append("")
    return out


def _log_page(n: int, total: int) -> list[str]:
    out = [f"## {words.LOG_HEADING} ({n} of {total})", "", words.LOG_INTRO, ""]
    for _entry in range(words.LOG_ENTRIES_PER_PAGE):
        out += ["| | |", "|---|---|"] + [f"| {label} | {'_' * 40} |" for label in words.LOG_FIELDS] + [""]
    return out
