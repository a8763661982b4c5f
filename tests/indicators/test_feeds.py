"""Feed importers: kind detected by content, real schemas converted, junk dropped, any bytes give a
result or a clean FeedError."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digisafe.indicators.database import build_database, load_builtin
from digisafe.indicators.feeds import FeedError, parse_feed
from digisafe.indicators.schema import product_from_dict
from digisafe.indicators.update import convert
from tests.indicators import feeds_data
from tests.indicators.benign_corpus import CORPUS, EVERYDAY_HOSTS


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        (feeds_data.echap_ioc(), "echap-ioc"),
        (feeds_data.echap_watchware(), "echap-watchware"),
        (feeds_data.lolrmm(), "lolrmm"),
    ],
)
def test_kind_is_detected_by_content(raw, kind):
    assert parse_feed(raw)[0] == kind


def test_echap_conversion_keeps_laptop_and_phone_facts():
    result = convert(feeds_data.echap_ioc(), "https://example.org/ioc.yaml")
    by_name = {p["name"]: p for p in result.products}
    phone_only = by_name["PhoneOnly"]  # Android-only: kept for the phone audit, inert on a laptop
    assert phone_only["android"] == {"packages": ["com.phone.only"]} and not phone_only["domains"]
    assert by_name["ExampleSpy"]["android"] == {
        "packages": ["com.example.spy"], "certificates": ["31A6ECECD97CF39BC4126B8745CD94A7C30BF81C"]
    }
    spy = by_name["ExampleSpy"]
    assert spy["domains"] == ["api.examplespy-c2.test"]  # shared s3 host dropped
    assert spy["download_hosts"] == ["dl.examplespy.test"]  # Echap "distribution": where installers come from
    assert spy["websites"] == ["examplespy.test", "www.examplespy.test"]
    assert spy["verified"] == "feed" and spy["aliases"] == ["ExSpy Pro"]
    assert by_name["TypoSpy"]["ips"] == ["198.51.100.7"]  # the c2.ip spelling is accepted
    assert result.dropped == 2
    for entry in result.products:
        assert not product_from_dict(entry).trusted


def test_lolrmm_conversion_drops_samples_everyday_tools_and_big_signers():
    result = convert(feeds_data.lolrmm())
    names = [p["name"] for p in result.products]
    assert names == ["ExampleDesk", "SampleRMM"] and any("PuTTY" in s for s in result.skipped)
    desk = result.products[0]
    assert desk["windows"]["processes"] == ["exampledesk.exe", "ExampleDesk.exe", "exampledesk_helper.exe"]
    assert desk["windows"]["services"] == ["ExampleDesk Service"]
    assert desk["windows"]["signers"] == ["ExampleDesk GmbH"]
    assert desk["windows"]["paths"] == ["C:\\Program Files\\ExampleDesk\\*"]
    assert desk["macos"]["paths"] == ["/Applications/ExampleDesk.app"]
    assert desk["domains"] == ["*.exampledesk.test"]
    assert "processes" not in result.products[1].get("windows", {})  # the sandbox sample name is gone


def test_imported_products_match_and_merge_without_raising_trust():
    meta, builtin, system_programs = load_builtin()
    feeds = {}
    for kind, raw in (("echap-ioc", feeds_data.echap_ioc()), ("lolrmm", feeds_data.lolrmm())):
        feeds[kind] = {"name": kind, "url": "", "licence": "", "fetched": "", "products": convert(raw).products}
    db = build_database(meta, builtin, system_programs, {"feeds": feeds, "updated": "2026-11-24T00:00:00+00:00"})
    windows = db.matcher("windows")
    hits = windows.process("ExampleDesk.exe", "C:\\Program Files\\ExampleDesk\\ExampleDesk.exe")
    assert {m.signal for m in hits} == {"process-name", "install-path"} and not any(m.trusted for m in hits)
    assert windows.signer("ExampleDesk GmbH") and windows.service("exampledesk service")
    sentry = [m for m in windows.domain("new-sentrypc-host.test")]
    assert sentry and sentry[0].product.id == "sentrypc"  # merged into the built-in entry
    assert db.product("sentrypc").host_verified("windows") == "vendor-docs"
    assert [m.kind for m in windows.domain("www.examplespy.test")] == ["website"]
    assert db.updated and db.version.endswith("+update")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"- name: [unclosed", "not valid YAML"),
        (b'[{"Name": ', "not valid JSON"),
        (b'{"a": 1}', "not an LOLRMM"),
        (b"just: a mapping", "neither"),
        (b"\xff\xfe\x00", "not UTF-8"),
        (b"- !!python/object/apply:os.system ['echo pwned']", "not valid YAML"),
        (b"", "neither"),
    ],
)
def test_malformed_feeds_give_one_clean_error(raw, message):
    with pytest.raises(FeedError, match=message):
        convert(raw)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_any_bytes_give_a_result_or_a_feed_error(raw):
    try:
        convert(raw)
    except FeedError:
        pass


FEEDS_DIR = Path(os.environ.get("DIGISAFE_TEST_FEEDS_DIR", "/work/shared/data"))
REAL_FEEDS = [
    FEEDS_DIR / "echap" / "ioc.yaml",
    FEEDS_DIR / "echap" / "watchware.yaml",
    FEEDS_DIR / "lolrmm" / "rmm_tools.json",
]


@pytest.mark.skipif(not all(p.is_file() for p in REAL_FEEDS), reason="copies of the real feeds are not on this machine")
def test_real_feeds_convert_and_keep_ordinary_programs_clean():
    meta, builtin, system_programs = load_builtin()
    feeds = {}
    for path in REAL_FEEDS:
        result = convert(path.read_bytes(), label=str(path))
        assert len(result.products) > 20
        feeds[result.kind] = {"name": result.kind, "products": result.products}
    db = build_database(meta, builtin, system_programs, {"feeds": feeds, "updated": "2026-11-24T00:00:00+00:00"})
    for platform, rows in CORPUS.items():
        matcher = db.matcher(platform)
        for name, exe in rows:
            alarming = [m for m in matcher.process(name, exe) if m.product.relevance != "low"]
            assert alarming == [], (platform, name, exe)
        for host in EVERYDAY_HOSTS:
            assert matcher.domain(host) == [], (platform, host)
    assert db.matcher("windows").process("AnyDesk.exe", None)


def test_lolrmm_keeps_fact_sheet_exclusions_out_and_work_agents_low():
    import json

    tools = [
        {"Name": "SmartCode Web VNC", "Artifacts": {"Disk": [{"File": "C:\\Program Files\\TightVNC\\*"}]}},
        {"Name": "Addigy", "Artifacts": {"Network": [{"Domains": ["agents.addigy.com"]}]}},
        {"Name": "Hypothetical Remote", "Artifacts": {"Network": [{"Domains": ["relay.hypothetical-remote.example"]}]}},
    ]
    result = convert(json.dumps(tools).encode(), label="rmm.json")
    by_name = {p["name"]: p for p in result.products}
    assert "SmartCode Web VNC" not in by_name and any("SmartCode" in s for s in result.skipped)
    assert by_name["Addigy"]["relevance"] == "medium"
    assert by_name["Hypothetical Remote"]["relevance"] == "high"
    assert product_from_dict(by_name["Addigy"]).relevance == "medium"
