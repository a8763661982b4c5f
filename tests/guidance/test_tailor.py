"""Tailoring a checklist to a report: what was found first, unknown keys handled, gaps listed."""

from __future__ import annotations

import re
from pathlib import Path

from digisafe.core.model import Finding, Severity, Status
from digisafe.guidance.tailor import items_for_finding, plan_checklist
from digisafe.guidance.validate import KNOWN_CHECK_IDS


def _finding(check_id="DS-NET-010", guidance="", severity=Severity.HIGH):
    return Finding(check_id=check_id, severity=severity, title="t", guidance=guidance)


def test_exact_item_key_comes_first(guidance):
    items = items_for_finding(guidance, _finding("DS-SESS-010", "laptop.remote-sessions"))
    assert items[0].id == "laptop.remote-sessions"


def test_topic_key_prefers_items_in_that_topic(guidance):
    items = items_for_finding(guidance, _finding("DS-PROC-010", "laptop"))
    assert items and all(i.topic == "laptop" for i in items)
    assert "laptop.monitoring-software" in [i.id for i in items]


def test_unknown_item_key_falls_back_to_its_topic(guidance):
    items = items_for_finding(guidance, _finding("DS-WIN-030", "laptop.remote-desktop"))
    assert [i.id for i in items] == ["laptop.remote-access"]
    items = items_for_finding(guidance, _finding("DS-X-ACME-010", "photos.some-new-thing"))
    assert [i.id for i in items] == ["photos.camera-location"]


def test_unknown_everything_goes_to_talk_first(guidance):
    items = items_for_finding(guidance, _finding("DS-X-ACME-010", "nowhere.at-all"))
    assert [i.id for i in items] == ["safety-first.talk-first"]
    assert items_for_finding(guidance, _finding("DS-X-ACME-010", ""))[0].id == "safety-first.talk-first"


def test_every_known_check_reaches_an_item_that_names_it(guidance):
    # items_for_finding is never empty (it falls back to talk-first), so check what it found
    for check_id in KNOWN_CHECK_IDS:
        items = items_for_finding(guidance, _finding(check_id))
        assert items and all(check_id in i.checks for i in items), check_id


def test_guidance_keys_used_by_checks_resolve(guidance):
    """Keys the built-in checks put on findings name an item or at least a real topic."""
    checks_dir = Path(__file__).resolve().parents[2] / "checks"
    keys = set()
    for source in checks_dir.glob("*.py"):
        keys |= set(re.findall(r'guidance\s*=\s*"([^"]+)"', source.read_text(encoding="utf-8")))
    assert keys, "expected the example checks to set guidance keys"
    for key in keys:
        assert guidance.item(key) or guidance.topic(key.split(".")[0]), key


def test_plan_from_report(guidance, report):
    plan = plan_checklist(guidance, report, log_pages=2)
    found = [m.item.id for m in plan.found]
    assert found[0] == "laptop.monitoring-software"  # the critical finding comes first
    assert found.index("laptop.remote-access") < found.index("photos.camera-location")  # high before medium
    assert "accounts.browser-sync" in found and "safety-first.talk-first" in found  # plugin finding
    marked = {m.item.id: m for m in plan.found}
    assert marked["laptop.remote-access"].findings[0].check_id == "DS-NET-010"
    listed = {i.id for _t, items in plan.sections for i in items}
    assert not listed & set(found)  # every item appears once
    assert len(listed) + len(found) == len(guidance.items)
    reasons = {n.check_id: n.reason for n in plan.not_checked}
    assert reasons["DS-INPUT-010"].startswith("not checked: needs administrator rights")
    assert reasons["DS-BRW-030"].startswith("failed: ")
    assert reasons["DS-LOC-010"].startswith("partly checked: ")
    assert "DS-MAC-030" not in reasons and plan.not_applicable == 2
    assert plan.log_pages == 2 and not plan.include_findings
    assert "2026-11-24 02:10 UTC on Linux" in plan.report_note


def test_plan_without_report_lists_everything(guidance):
    plan = plan_checklist(guidance)
    assert not plan.found and not plan.not_checked and not plan.report_note
    assert sum(len(items) for _t, items in plan.sections) == len(guidance.items)


def test_clean_report_has_no_found_section(guidance, report):
    from dataclasses import replace

    clean = replace(report, results=tuple(replace(r, findings=(), status=Status.PASS) for r in report.results))
    plan = plan_checklist(guidance, clean)
    assert not plan.found
