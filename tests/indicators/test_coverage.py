"""Honest coverage: per category, products a laptop can recognise by program, by web traces only,
and only on a phone; shown by `indicators info`, every report and docs/indicators.md."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from digisafe.indicators import describe_for_report, load_database
from digisafe.indicators.coverage import coverage, coverage_markdown, signal_of
from digisafe.indicators.schema import product_from_dict

SRC = [{"name": "s", "url": "https://example.org"}]


def _p(pid, category="stalkerware", **extra):
    return product_from_dict({"id": pid, "name": pid.title(), "category": category, "presentation": "covert",
                              "verified": "feed", "sources": SRC, **extra})


def test_signals_per_system_and_phone_only():
    desk = _p("desk", windows={"processes": ["deskspy.exe"]}, domains=["deskspy.test"])
    web = _p("web", websites=["webspy.test"])
    phone = _p("phone", android={"packages": ["com.phone.spy"]})
    assert [signal_of(desk, s) for s in ("windows", "macos")] == ["program", "web"]
    assert signal_of(phone, "linux") == "phone"
    cov = coverage([desk, web, phone, _p("rat1", "rat", linux={"processes": ["ratd"]})])
    row = cov["categories"]["stalkerware"]
    assert row["products"] == 3 and row["phone_only"] == 1
    assert row["windows"] == {"program": 1, "web": 1} and row["macos"] == {"program": 0, "web": 2}
    assert cov["phone_only"] == ["Phone"]
    assert cov["categories"]["rat"]["windows"] == {"program": 0, "web": 0}


def test_every_report_carries_the_coverage_of_its_platform():
    info = describe_for_report(load_database(), None, "windows")
    cov = info["coverage"]
    assert cov["platform"] == "windows" and cov["categories"]["stalkerware"]["products"] > 100
    assert any(line.startswith("stalkerware ") and "only on a phone" in line for line in cov["summary"])
    from types import SimpleNamespace

    from digisafe.render.wording import indicator_note

    note = indicator_note(SimpleNamespace(sources={"indicators": info}, subject=None))
    assert "What this laptop's checks can recognise: stalkerware" in note and "only on a phone" in note


def test_indicators_info_shows_the_table_and_the_phone_only_products():
    from digisafe.cli import cli

    runner = CliRunner()
    out = runner.invoke(cli, ["indicators", "info"]).output
    assert "What a laptop's checks can recognise" in out and "Only on a phone" in out
    assert "stalkerware: " in out and "by web traces only" in out and "Apache-2.0" in out and "CC-BY-4.0" in out
    data = json.loads(runner.invoke(cli, ["indicators", "info", "--format", "json"]).output)
    assert data["coverage"]["categories"]["stalkerware"]["products"] == sum(
        1 for p in load_database().products if p.category == "stalkerware")


def test_docs_carry_the_same_table():
    doc = (Path(__file__).parents[2] / "docs" / "indicators.md").read_text(encoding="utf-8")
    cov = coverage(load_database().products)
    section = doc.split("<!-- coverage:start -->")[1].split("<!-- coverage:end -->")[0]
    assert coverage_markdown(cov) in section, "re-generate the coverage table in docs/indicators.md"
    assert ", ".join(cov["phone_only"]) in section
