"""Turn a report into a checklist plan: what was found first, then everything else by topic.

A finding points at guidance in two ways: its ``guidance`` key (a topic id, a "topic.item" id,
or a key like "laptop.remote-desktop" that only its topic prefix matches) and its check ID
(items list the check IDs they relate to). Unknown keys fall back to their topic, and a finding
that matches nothing at all (e.g. from a plugin) goes under "talk to a specialist first".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from digisafe.core.model import Finding, Report, Severity, Status, sort_findings
from digisafe.guidance.model import Guidance, Item, Support, Topic

SAFETY_FIRST = "safety-first"
FALLBACK_ITEM = "safety-first.talk-first"


@dataclass(frozen=True)
class MarkedItem:
    item: Item
    findings: tuple[Finding, ...]  # what was found that this item helps with


@dataclass(frozen=True)
class NotChecked:
    check_id: str
    title: str
    reason: str  # "skipped: ...", "failed: ...", "partly: ..."


@dataclass(frozen=True)
class ChecklistPlan:
    made_on: str  # the date printed on the checklist
    report_note: str  # one line about the report it was tailored to ("" without one)
    found: tuple[MarkedItem, ...]
    sections: tuple[tuple[Topic, tuple[Item, ...]], ...]  # everything else, by topic
    not_checked: tuple[NotChecked, ...]
    not_applicable: int  # checks skipped because they are for another kind of computer
    findings: tuple[Finding, ...]  # shown with evidence only when include_findings
    include_findings: bool
    log_pages: int
    support: Support
    before_you_start: str  # the safety-first topic's summary, shown before any step ("" without one)
    platforms: tuple[str, ...] = ()  # the devices chosen with --platform (all when empty)

    def first_steps(self, item: Item, n: int = 2) -> list[str]:
        """What to do first for a FOUND item, as one line: its first steps for the chosen devices."""
        groups = item.steps_for(self.platforms or None)
        steps = [step for _label, steps in groups[:1] for step in steps[:n]]
        return [" ".join(steps)] if steps else []


def items_for_finding(guidance: Guidance, finding: Finding) -> list[Item]:
    """The action items that help with one finding, most specific first (never empty).

    Order of preference: the item the finding names; items in the finding's topic that relate
    to its check; failing those, items anywhere that relate to its check; then the topic's first
    item; then "talk to a specialist first".
    """
    key = finding.guidance.strip()
    topic = guidance.topic(key.split(".", 1)[0]) if key else None
    matched: list[Item] = []
    exact = guidance.item(key) if key else None
    if exact:
        matched.append(exact)
    by_check = guidance.items_for_check(finding.check_id)
    if topic:
        matched += [i for i in by_check if i.topic == topic.id and i not in matched]
    if not matched:
        matched += by_check
    if not matched and topic:
        matched.append(topic.items[0])
    if not matched:
        fallback = guidance.item(FALLBACK_ITEM)
        matched.append(fallback if fallback else guidance.items[0])
    return matched


def _found_items(guidance: Guidance, findings: list[Finding]) -> list[MarkedItem]:
    """Items for the findings: worst severity first, then items a finding names exactly."""
    by_item: dict[str, list[Finding]] = {}
    named: set[str] = set()
    for finding in sort_findings(findings):
        for item in items_for_finding(guidance, finding):
            by_item.setdefault(item.id, []).append(finding)
            if item.id == finding.guidance.strip():
                named.add(item.id)
    order = [i.id for i in guidance.items]

    def rank(item_id: str) -> tuple[int, int, int]:
        top = max(f.severity for f in by_item[item_id])
        return (-list(Severity).index(top), item_id not in named, order.index(item_id))

    return [MarkedItem(guidance.item(i), tuple(by_item[i])) for i in sorted(by_item, key=rank)]


def _not_checked(report: Report) -> tuple[list[NotChecked], int]:
    from digisafe.render.wording import for_other_platforms, plain_reason

    rows, not_here = [], 0
    for r in report.results:
        if for_other_platforms(r):
            not_here += 1
        elif r.status is Status.SKIPPED:
            rows.append(NotChecked(r.check_id, r.title, f"not checked: {plain_reason(r.reason)}"))
        elif r.status is Status.ERROR:
            rows.append(NotChecked(r.check_id, r.title, f"failed: {plain_reason(r.reason)}"))
        elif r.limitations:
            rows.append(NotChecked(r.check_id, r.title,
                                   "partly checked: " + "; ".join(plain_reason(x) for x in r.limitations)))
    return rows, not_here


def plan_checklist(
    guidance: Guidance,
    report: Report | None = None,
    *,
    include_findings: bool = False,
    log_pages: int = 0,
    today: dt.date | None = None,
    platforms: tuple[str, ...] = (),
) -> ChecklistPlan:
    """Build the checklist: found items first (marked), then every other item by topic.
    ``platforms`` (guidance device names) leaves out the steps for other devices."""
    findings = report.findings if report else []
    found = _found_items(guidance, findings) if findings else []
    used = {m.item.id for m in found}
    sections = tuple((t, tuple(i for i in t.items if i.id not in used and i.applies_to(platforms)))
                     for t in guidance.topics)
    sections = tuple((t, items) for t, items in sections if items)
    not_checked, not_here = _not_checked(report) if report else ([], 0)
    first = guidance.topic(SAFETY_FIRST)
    note = ""
    if report:
        system = report.platform.get("system", "") if report.platform else ""
        note = (f"Made from a digisafe report of {report.started_at[:16].replace('T', ' ')} UTC"
                f"{' on ' + system if system else ''}: {len(findings)} "
                f"{'thing' if len(findings) == 1 else 'things'} found.")
    return ChecklistPlan(
        made_on=(today or dt.date.today()).isoformat(),
        report_note=note,
        found=tuple(found),
        sections=sections,
        not_checked=tuple(not_checked),
        not_applicable=not_here,
        findings=tuple(sort_findings(findings)),
        include_findings=include_findings,
        log_pages=max(0, log_pages),
        support=guidance.support,
        before_you_start=first.summary if first else "",
        platforms=tuple(platforms),
    )
