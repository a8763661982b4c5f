from __future__ import annotations

from digisafe.core.check import Check, CheckSkipped
from digisafe.core.model import Severity, Status
from digisafe.core.registry import BrokenPlugin, RegisteredCheck, Registry
from digisafe.core.runner import Selection, run_audit, run_check, select


class Finds(Check):
    id = "DS-TEST-010"
    title = "finds something"
    category = "other"

    def run(self, ctx):
        yield self.limitation("could not see everything")
        yield self.finding(Severity.HIGH, "found it", subject="x")


class Crashes(Check):
    id = "DS-TEST-020"
    title = "crashes"

    def run(self, ctx):
        yield self.finding(Severity.LOW, "partial")
        raise RuntimeError("boom")


class Skips(Check):
    id = "DS-TEST-030"
    title = "skips"
    category = "system"

    def run(self, ctx):
        raise CheckSkipped("needs administrator rights")


class MacOnly(Check):
    id = "DS-TEST-040"
    title = "mac only"
    platforms = frozenset({"darwin"})

    def run(self, ctx):  # pragma: no cover - must never run on linux
        raise AssertionError("ran on the wrong platform")


class YieldsJunk(Check):
    id = "DS-TEST-050"
    title = "yields junk"

    def run(self, ctx):
        yield "not a finding"


def _registry(*classes, broken=()):
    return Registry(tuple(RegisteredCheck(c, "built-in") for c in classes), tuple(broken))


def test_firewall_turns_a_crash_into_an_error_row_and_keeps_going(make_ctx) -> None:
    reg = _registry(Finds, Crashes, Skips, MacOnly, YieldsJunk)
    report = run_audit(reg, reg.checks, make_ctx(), platform={"system": "linux"})
    by_id = {r.check_id: r for r in report.results}
    assert [r.check_id for r in report.results] == [
        "DS-TEST-010",
        "DS-TEST-020",
        "DS-TEST-030",
        "DS-TEST-040",
        "DS-TEST-050",
    ]
    assert by_id["DS-TEST-010"].status is Status.FINDINGS
    assert by_id["DS-TEST-010"].limitations == ("could not see everything",)
    assert by_id["DS-TEST-020"].status is Status.ERROR and "RuntimeError: boom" in by_id["DS-TEST-020"].reason
    assert len(by_id["DS-TEST-020"].findings) == 1  # what it found before failing is kept
    assert by_id["DS-TEST-030"].status is Status.SKIPPED
    assert by_id["DS-TEST-030"].reason == "needs administrator rights"
    assert by_id["DS-TEST-040"].status is Status.NOT_APPLICABLE and by_id["DS-TEST-040"].reason == "runs on macOS"
    assert by_id["DS-TEST-050"].status is Status.ERROR and "not a Finding" in by_id["DS-TEST-050"].reason
    assert by_id["DS-TEST-010"].duration_s >= 0


def test_broken_plugins_become_error_rows(make_ctx) -> None:
    reg = _registry(Finds, broken=[BrokenPlugin("acme", "plugin acme 1.0", "could not load acme: ImportError")])
    report = run_audit(reg, reg.checks, make_ctx(), platform={})
    assert report.results[-1].status is Status.ERROR
    assert report.results[-1].origin == "plugin acme 1.0"


def test_selection_only_skip_category() -> None:
    reg = _registry(Finds, Crashes, Skips)
    ids = lambda sel: [c.id for c in select(reg, sel)]  # noqa: E731
    assert ids(Selection(only=frozenset({"DS-TEST-020"}))) == ["DS-TEST-020"]
    assert ids(Selection(skip=frozenset({"DS-TEST-020"}))) == ["DS-TEST-010", "DS-TEST-030"]
    assert ids(Selection(categories=frozenset({"system"}))) == ["DS-TEST-030"]


def test_keyboard_interrupt_is_not_swallowed(make_ctx) -> None:
    class Interrupted(Check):
        id = "DS-TEST-060"
        title = "interrupted"

        def run(self, ctx):
            raise KeyboardInterrupt

    import pytest

    with pytest.raises(KeyboardInterrupt):
        run_check(RegisteredCheck(Interrupted, "built-in"), make_ctx())
