"""Every renderer against the one shared sample report."""

from __future__ import annotations

import json
import re

import pytest

from digisafe.core.model import Report
from digisafe.render import REPORT_FORMATS, render
from tests.sample_report import sample_report

MUST_SAY = ["0808 802 0300", "999", "does not prove that this laptop is safe", "did not change, remove or block"]


@pytest.mark.parametrize("fmt", REPORT_FORMATS)
def test_every_format_carries_the_safety_words_and_every_check(fmt) -> None:
    text = " ".join(render(sample_report(), fmt).split())
    for words in MUST_SAY:
        assert words in text, (fmt, words)
    for check_id in ("DS-BRW-010", "DS-MAC-010", "DS-NET-010", "DS-PHOTO-010", "DS-PROC-010", "DS-X-ACME-010"):
        assert check_id in text, (fmt, check_id)
    assert "permission denied" in text.lower()  # the failed check and its reason are shown
    # a check for another operating system is counted, not given a row of its own
    if fmt == "table":
        assert "Not for this operating system (1): DS-MAC-010" in text
    elif fmt == "json":
        assert '"status": "not_applicable"' in text
    else:
        assert "only for other operating systems, not listed" in text
    assert "could not be identified" in text  # a partial check says so


def test_table_groups_by_severity_worst_first() -> None:
    text = render(sample_report(), "table", width=200)
    order = [text.index(word) for word in ("Critical:", "High:", "Medium:", "Low:", "Information")]
    assert order == sorted(order)
    assert "\x1b[" not in text
    assert "\x1b[" in render(sample_report(), "table", color=True)
    assert "6 checks ran: 4 found something, 1 found nothing, 0 could not check, 1 failed; 1 not for this" in text


def test_json_is_the_one_serialisation() -> None:
    report = sample_report()
    data = json.loads(render(report, "json"))
    assert data == json.loads(json.dumps(report.to_dict()))
    assert Report.from_dict(data) == report


def test_markdown_escapes_table_cells_and_lists_evidence() -> None:
    text = render(sample_report(), "markdown")
    assert text.startswith("# digisafe report")
    assert "### Critical" in text and "- Evidence:" in text
    assert r"\| pipe" in text


def test_evidence_is_shown_in_plain_words_not_json_or_python() -> None:
    from digisafe.core.model import Finding, Severity
    from tests.sample_report import sample_report as base

    report = base()
    finding = Finding("DS-X-010", Severity.LOW, "t", evidence={"admin": False, "groups": ["sudo"], "name": None})
    result = report.results[0].__class__("DS-X-010", "x", "other", report.results[0].status, (finding,))
    report = report.__class__(**{**report.__dict__, "results": (result,)})
    for fmt in ("markdown", "html"):
        text = render(report, fmt)
        flat = text.replace('</th><td class="path">', ": ").replace('<th scope="row">', "")
        assert "Admin: no" in flat and "Groups: sudo" in flat and "Name: none" in flat, fmt
        assert "false" not in text and "null" not in text and '["sudo"]' not in text
        assert "False" not in text and "None" not in text


def test_html_is_self_contained_escaped_and_printable() -> None:
    text = render(sample_report(), "html")
    assert text.startswith("<!DOCTYPE html>")
    assert "<script" not in text  # the evidence's <script> was escaped
    assert "&lt;script&gt;" in text
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text)  # no external assets
    assert "@media print" in text and "@page" in text


@pytest.mark.parametrize("when", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:00-05:00",
                                  "2026-01-01T10:00:00+99:99", "2026-01-01T10:00:00+2400"])
def test_a_date_that_cannot_be_moved_to_utc_is_shown_as_written(tmp_path, capsys, when) -> None:
    """A saved report (or a photo's XMP date) with a date at the edge of the calendar or an impossible
    offset: shown as written, never an internal error (exit 3)."""
    from digisafe.cli import main
    from digisafe.render.json import render as as_json
    from digisafe.render.plain import plain_value

    assert plain_value(when) == when
    report = json.loads(as_json(sample_report()))
    report["results"][0]["findings"][0]["evidence"]["started"] = when
    saved = tmp_path / "saved.json"
    saved.write_text(json.dumps(report), encoding="utf-8")
    for fmt in ("markdown", "html"):
        with pytest.raises(SystemExit) as exc:
            main(["report", str(saved), "--format", fmt])
        out, err = capsys.readouterr()
        assert exc.value.code == 0 and when in out and not err, err
