"""Every product of our fact sheet (reference/desktop_indicators.csv) that has a host indicator is
in the built-in database, or listed with a reason in docs/indicators.md. The fact sheet lives in
the team's shared reference folder, not in the package: without it the test is skipped."""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import pytest

from digisafe.indicators import load_database
from digisafe.indicators.merge import name_key

REPO = Path(__file__).resolve().parents[2]
CSV_PATH = Path(os.environ.get("DIGISAFE_FACT_SHEET", REPO.parent / "shared" / "reference" / "desktop_indicators.csv"))
DOCS = REPO / "docs" / "indicators.md"
HOST_COLUMNS = ("process_names", "paths", "service_names", "autostart")
SECTION = "### Fact-sheet products not in the database"


def documented_exclusions() -> dict[str, str]:
    """Product name -> reason, from the table under SECTION in docs/indicators.md."""
    text = DOCS.read_text(encoding="utf-8")
    assert SECTION in text, f"docs/indicators.md lost its section {SECTION!r}"
    table = text.split(SECTION, 1)[1].split("\n#", 1)[0]
    rows = {}
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        is_rule = set(cells[0]) <= set("-")
        if len(cells) == 2 and cells[0] and not is_rule and cells[0] != "product (as in the fact sheet)":
            rows[cells[0]] = cells[1]
    return rows


def test_the_exclusion_table_is_readable_and_every_reason_is_given():
    rows = documented_exclusions()
    assert "MultCloud" in rows and all(len(reason) > 20 for reason in rows.values())


@pytest.mark.skipif(not CSV_PATH.is_file(), reason="the fact sheet (reference/desktop_indicators.csv) is not here")
def test_every_fact_sheet_product_with_a_host_indicator_is_covered_or_explained():
    with open(CSV_PATH, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) > 100 and "name" in rows[0]
    with_host = [r["name"] for r in rows if any((r.get(c) or "").strip() for c in HOST_COLUMNS)]
    db = load_database()
    known = {name_key(n) for p in db.products for n in p.names} | {
        re.sub(r"[^a-z0-9]", "", n.lower()) for p in db.products for n in p.names
    }
    excluded = documented_exclusions()
    missing = [n for n in with_host if name_key(n) not in known and n not in excluded]
    assert missing == [], f"add these to the database or to {SECTION!r} in docs/indicators.md"
    both = [n for n in excluded if name_key(n) in known]
    assert both == [], "listed as left out in docs/indicators.md but present in the database"
    stale = [n for n in excluded if n not in {r["name"] for r in rows}]
    assert stale == [], "docs/indicators.md lists products the fact sheet does not have"


@pytest.mark.skipif(not CSV_PATH.is_file(), reason="the fact sheet (reference/desktop_indicators.csv) is not here")
def test_fact_sheet_relevance_is_kept_so_everyday_tools_stay_information():
    """A product the fact sheet rates low or medium is not raised to high relevance by us."""
    with open(CSV_PATH, newline="", encoding="utf-8") as handle:
        relevance = {name_key(r["name"]): r["relevance"] for r in csv.DictReader(handle)}
    order = {"low": 0, "medium": 1, "high": 2}
    raised = [
        p.id
        for p in load_database().products
        if name_key(p.name) in relevance and order[p.relevance] > order.get(relevance[name_key(p.name)], 2)
    ]
    assert raised == []
