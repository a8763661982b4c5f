"""The release-time derivation of built-in entries from the feeds (digisafe/indicators/derive.py):
run on real feed files written to a folder, the committed derived.json, and how both load."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from digisafe.indicators import load_database
from digisafe.indicators.database import build_database, load_builtin, load_derived
from digisafe.indicators.derive import main
from digisafe.indicators.schema import product_from_dict
from tests.indicators import feeds_data


def _feeds_folder(tmp_path):
    folder = tmp_path / "feeds"
    (folder / "echap").mkdir(parents=True, exist_ok=True)
    (folder / "lolrmm").mkdir(exist_ok=True)
    (folder / "echap" / "ioc.yaml").write_bytes(feeds_data.echap_ioc())
    (folder / "echap" / "watchware.yaml").write_bytes(feeds_data.echap_watchware())
    (folder / "lolrmm" / "rmm_tools.json").write_bytes(feeds_data.lolrmm())
    (folder / "README.txt").write_text("not a feed")
    return folder


def test_derive_writes_our_schema_from_the_feed_files(tmp_path, capsys):
    out = tmp_path / "derived.json"
    assert main([str(_feeds_folder(tmp_path)), "--date", "2026-12-01", "--output", str(out)]) == 0
    data = json.loads(out.read_text())
    assert sorted(data["feeds"]) == ["echap-ioc", "echap-watchware", "lolrmm"]
    lolrmm = data["feeds"]["lolrmm"]
    assert "Apache-2.0" in lolrmm["licence"] and lolrmm["fetched"] == "2026-12-01" and len(lolrmm["sha256"]) == 64
    assert "CC-BY-4.0" in data["feeds"]["echap-ioc"]["licence"]
    assert [p["name"] for p in lolrmm["products"]] == ["ExampleDesk", "SampleRMM"]
    assert any("PuTTY" in s for s in lolrmm["not_reported"])
    for feed in data["feeds"].values():
        for raw in feed["products"]:
            product_from_dict(raw)  # every entry is valid in our schema
    assert "lolrmm: 3 entries -> 2 products (0 of them phone-only)" in capsys.readouterr().out
    # Repeatable: the same input gives the same bytes.
    again = tmp_path / "again.json"
    main([str(_feeds_folder(tmp_path)), "--date", "2026-12-01", "--output", str(again)])
    assert again.read_bytes() == out.read_bytes()


def test_derived_products_merge_under_curated_ones(tmp_path):
    out = tmp_path / "derived.json"
    main([str(_feeds_folder(tmp_path)), "--date", "2026-12-01", "--output", str(out)])
    meta, builtin, system_programs = load_builtin()
    db = build_database(meta, builtin, system_programs, derived=json.loads(out.read_text()))
    windows = db.matcher("windows")
    assert {m.product.id for m in windows.process("ExampleDesk.exe", None)} == {"lolrmm.exampledesk"}
    # The feed names SentryPC too: the curated entry wins (keeps its level) and gains the feed's host.
    assert db.product("sentrypc").host_verified("windows") == "vendor-docs"
    assert [m.product.id for m in windows.domain("new-sentrypc-host.test")] == ["sentrypc"]
    assert any("derived into the built-in data" in s["name"] for s in db.sources)
    # A stored update of a feed replaces the derived copy of that feed.
    store = {"feeds": {"lolrmm": {"name": "lolrmm", "products": []}}, "updated": "2026-12-02T00:00:00+00:00"}
    updated = build_database(meta, builtin, system_programs, store, derived=json.loads(out.read_text()))
    assert updated.product("lolrmm.exampledesk") is None
    assert not any(s["name"].startswith("LOLRMM") and "derived" in s["name"] for s in updated.sources)


def test_the_committed_derived_data_loads_and_covers_the_feeds():
    derived = load_derived()
    assert derived is not None and sorted(derived["feeds"]) == ["echap-ioc", "echap-watchware", "lolrmm"]
    db = load_database()
    ids = {p.id for p in db.products}
    total = sum(len(f["products"]) for f in derived["feeds"].values())
    assert total > 300 and len(ids) > 400
    # Curated ids keep their place; no derived entry duplicates a curated product name.
    assert "teamviewer" in ids and "lolrmm.teamviewer" not in ids
    assert db.matcher("windows").domain("www.thetruthspy.com")  # an Echap-only product, via its website


REPO = Path(__file__).resolve().parents[2]
_FEEDS = [Path(p) for p in (os.environ.get("DIGISAFE_FEEDS_DIR", ""),) if p] + [
    REPO.parent / "shared" / "data", REPO.parent.parent / "shared" / "data"]
FEEDS = next((p for p in _FEEDS if (p / "lolrmm").is_dir()), None)


@pytest.mark.skipif(FEEDS is None, reason="the feed copies (shared/data: LOLRMM, Echap) are not here")
def test_the_committed_data_is_what_the_script_derives_from_the_feed_copies(tmp_path):
    committed = load_derived()
    out = tmp_path / "derived.json"
    main([str(FEEDS), "--date", committed["derived"], "--output", str(out)])
    assert json.loads(out.read_text()) == committed, "re-run python -m digisafe.indicators.derive"
