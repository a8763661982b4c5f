"""The schema: every bad entry is rejected with a message naming the entry and field; the built-in
data loads, is unique, sourced, and keeps unverified facts from backing high-confidence findings."""

from __future__ import annotations

import re

import pytest

from digisafe.indicators import CATEGORIES, VERIFICATION, load_database
from digisafe.indicators.database import load_builtin
from digisafe.indicators.schema import SchemaError, product_from_dict

GOOD = {
    "id": "example",
    "name": "Example Spy",
    "category": "stalkerware",
    "presentation": "covert",
    "verified": "verified",
    "windows": {"processes": ["exspy.exe"], "paths": ["C:\\ProgramData\\ExSpy\\"]},
    "domains": ["*.exspy.example"],
    "ips": ["192.0.2.7"],
    "sources": [{"name": "vendor guide", "url": "https://exspy.example/guide"}],
}


def test_good_entry_round_trips_through_to_dict():
    product = product_from_dict(GOOD)
    again = product_from_dict(product.to_dict())
    assert again == product
    assert product.trusted and product.platforms == ("windows",) and product.relevance == "high"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"id": "Bad Id"}, "'id'"),
        ({"category": "spyware"}, "'category'"),
        ({"presentation": "hidden"}, "'presentation'"),
        ({"verified": "yes"}, "'verified'"),
        ({"sources": []}, "'sources'"),
        ({"sources": [{"name": "x", "url": "ftp://x"}]}, "source url"),
        ({"domains": ["not a host"]}, "'domains'"),
        ({"ips": ["300.1.1.1"]}, "'ips'"),
        ({"windows": {"processes": "ok.exe", "bundle_ids": ["com.x"]}}, "macOS only"),
        ({"windows": {"exes": ["x.exe"]}}, "unknown field 'exes'"),
        ({"windows": {"processes": [""]}}, "non-empty strings"),
        ({"colour": "red"}, "unknown field 'colour'"),
        ({"macos": {}, "darwin": {}}, "both"),
        ({"relevance": "urgent"}, "'relevance'"),
    ],
)
def test_bad_entries_are_rejected_with_the_field_named(change, message):
    with pytest.raises(SchemaError, match="example" if "id" not in change else "Example"):
        product_from_dict({**GOOD, **change})
    with pytest.raises(SchemaError) as info:
        product_from_dict({**GOOD, **change})
    assert message in str(info.value)


def test_builtin_data_loads_with_unique_ids_and_sources():
    meta, products, system_programs = load_builtin()
    ids = [p.id for p in products]
    assert len(ids) == len(set(ids)) and len(products) >= 150
    assert set(system_programs) == {"windows", "macos", "linux"}
    for product in products:
        assert product.category in CATEGORIES and product.verified in VERIFICATION
        assert product.sources and all(s.name for s in product.sources), product.id
        if product.verified != "unverified":  # recollections say so in their source name instead
            assert any(s.url.startswith(("https://", "http://")) for s in product.sources), product.id
        else:
            assert "UNVERIFIED" in product.sources[0].name or product.sources[0].url, product.id
        assert product.advice, product.id
        for source in product.sources:
            assert source.url == "" or re.fullmatch(r"https?://[^\s<>\"]+[^\s<>\"):;,]", source.url), source
    assert str(meta["built"]) == load_database().built


@pytest.mark.parametrize(
    "product_id", ["ardamax-keylogger", "logkeys", "perfect-keylogger", "norton-family", "veriato", "nanocore"]
)
def test_unverified_rows_cannot_back_high_confidence(product_id):
    db = load_database()
    product = db.product(product_id)
    assert product is not None
    assert not product.trusted
    for platform in product.platforms:
        matcher = db.matcher(platform)
        for name in product.host(platform).processes:
            assert all(not m.trusted for m in matcher.process(name, None) if m.product.id == product_id)


def test_qustodio_process_names_are_unverified_but_its_domains_are_sourced():
    db = load_database()
    qustodio = db.product("qustodio")
    assert qustodio.host_verified("windows") == "unverified"
    hits = db.matcher("windows").process("qengine.exe", None)
    assert hits and not any(h.trusted for h in hits)
    assert db.matcher("windows").domain("www.qustodio.com")


def test_known_sentrypc_and_teramind_are_trusted():
    db = load_database()
    assert db.product("sentrypc").trusted and db.product("teramind").trusted
    assert db.find("sentrypc")[0].id == "sentrypc"
    assert db.find("TEAMVIEWER")[0].id == "teamviewer"
