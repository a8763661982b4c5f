"""DS-BRW-040 on real Chromium History and Firefox places.sqlite files in a fake home folder."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from digisafe.checks.web_traces import WebTracesCheck

from digisafe.core.check import CheckSkipped
from digisafe.core.model import Confidence, Finding, Limitation, Severity
from digisafe.traces.collect import collect_web_history
from tests.browsers import builders as b
from tests.traces.builders import chromium_history, firefox_places

T1 = datetime(2026, 3, 1, 9, 30, tzinfo=timezone.utc)
T2 = datetime(2026, 5, 2, 21, 5, tzinfo=timezone.utc)
T3 = datetime(2026, 6, 3, 7, 0, tzinfo=timezone.utc)


def _os(ctx):
    return "darwin" if ctx.platform == "macos" else ctx.platform.value  # the browser builders' spelling


def _chrome(ctx, visits, downloads=()):
    profile = b.chrome_profile(ctx.files.home, _os(ctx), "Default", b.preferences())
    return chromium_history(profile / "History", visits, downloads)


def _firefox(ctx, visits, downloads=(), wal=False):
    home = ctx.files.home
    profile = b.firefox_profile(home, _os(ctx), "ab.default-release")
    (home / b.FIREFOX_DIRS[_os(ctx)] / "profiles.ini").write_text(
        b.profiles_ini([("default-release", "ab.default-release")]))
    return firefox_places(profile / "places.sqlite", visits, downloads, wal=wal)


def findings(ctx):
    return [f for f in WebTracesCheck().run(ctx) if isinstance(f, Finding)]


def test_control_panel_visits_are_reported_with_first_and_last_visit_and_nothing_else(make_ctx):
    ctx = make_ctx(platform="windows")
    _chrome(ctx, [
        ("https://portal.flexispy.com/login", T1),
        ("https://portal.flexispy.com/dashboard?device=42", T2),
        ("https://www.bbc.co.uk/news/private-story", T2),
        ("https://mail.example.org/inbox", T3),
    ])
    [finding] = findings(ctx)
    assert finding.evidence["product"] == "flexispy"
    assert finding.severity is Severity.MEDIUM and finding.confidence is Confidence.LOW
    [visit] = finding.evidence["visits"]
    assert visit["host"] == "portal.flexispy.com" and visit["page"] == "agent" and visit["visits"] == 2
    assert visit["first_visit"] == "2026-03-01T09:30:00Z" and visit["last_visit"] == "2026-05-02T21:05:00Z"
    assert "control panel" in finding.title and "looked the product up" in finding.detail
    text = json.dumps(finding.to_dict() if hasattr(finding, "to_dict") else finding.evidence)
    for private in ("bbc", "mail.example.org", "dashboard", "device=42", "/login"):
        assert private not in text  # never the rest of the history, nor the paths of listed pages


def test_vendor_website_visit_alone_is_low_and_worded_as_looking_it_up(make_ctx):
    ctx = make_ctx(platform="linux")
    _chrome(ctx, [("https://thetruthspy.com/pricing", T1)])
    [finding] = findings(ctx)
    assert finding.severity is Severity.LOW and finding.evidence["pages"] == ["website"]
    assert "vendor site" in finding.title and "looked the product up" in finding.detail


def test_firefox_history_in_the_wal_and_a_download_are_found(make_ctx):
    ctx = make_ctx(platform="macos")
    conn = _firefox(
        ctx,
        [("https://www.example.com/", T1), ("https://app.xpspy.com/get", T2)],
        [("https://app.xpspy.com/files/setup.apk", "file:///Users/x/Downloads/setup%20v2.apk", T3)],
        wal=True,
    )
    try:
        assert (ctx.files.home / b.FIREFOX_DIRS["darwin"] / "ab.default-release" / "places.sqlite-wal").stat().st_size
        [finding] = findings(ctx)
    finally:
        conn.close()
    assert finding.evidence["product"] == "echap-ioc.thetruthspy"
    assert finding.evidence["downloads"][0]["file_name"] == "setup v2.apk"
    assert finding.evidence["downloads"][0]["started"] == "2026-06-03T07:00:00Z"
    assert finding.severity is Severity.MEDIUM and finding.confidence is Confidence.MEDIUM
    assert "download host" in finding.title


def test_chromium_download_chain_redirect_host_is_matched(make_ctx):
    ctx = make_ctx(platform="windows")
    _chrome(ctx, [("https://www.example.com/", T1)],
            [(["https://cdn.example.net/x", "https://app.xpspy.com/a.exe"], r"C:\Users\x\Downloads\a.exe", T2)])
    [finding] = findings(ctx)
    assert finding.evidence["downloads"][0]["file_name"] == "a.exe"
    assert finding.evidence["signals"] == ["browser-history", "browser-download"]


def test_remote_access_vendor_visits_and_known_tools_are_information(make_ctx):
    ctx = make_ctx(platform="windows")
    _chrome(ctx, [("https://www.teamviewer.com/en/download/", T1), ("https://portal.flexispy.com/", T2)])
    by_product = {f.evidence["product"]: f for f in findings(ctx)}
    assert by_product["teamviewer"].severity is Severity.INFO
    known = make_ctx(platform="windows", known_tools=frozenset({"FlexiSPY"}))
    assert all(f.severity is Severity.INFO for f in findings(known))


def test_ordinary_history_gives_no_finding_and_a_damaged_file_is_a_limitation(make_ctx):
    ctx = make_ctx(platform="linux")
    _chrome(ctx, [("https://www.wikipedia.org/", T1), ("https://github.com/", T2)])
    results = list(WebTracesCheck().run(ctx))
    assert not [r for r in results if isinstance(r, Finding)]
    ctx2 = make_ctx(platform="windows")
    profile = b.chrome_profile(ctx2.files.home, "windows", "Default", b.preferences())
    (profile / "History").write_bytes(b"SQLite format 3\x00" + b"\xff" * 200)
    limits = [r for r in WebTracesCheck().run(ctx2) if isinstance(r, Limitation)]
    assert any("History" in str(x.message) for x in limits)


def test_no_browser_is_a_skip_with_what_to_do_by_hand(make_ctx):
    with pytest.raises(CheckSkipped, match="history by hand"):
        list(WebTracesCheck().run(make_ctx(platform="linux")))


def test_the_collector_keeps_hosts_only(make_ctx):
    ctx = make_ctx(platform="linux")
    _chrome(ctx, [("https://a.example.org/secret/path?q=1", T1)])
    history = collect_web_history(ctx)
    [profile] = history.profiles
    assert list(profile.hosts) == ["a.example.org"] and profile.hosts["a.example.org"].count == 1


def test_every_chromium_family_profile_is_read(make_ctx):
    ctx = make_ctx(platform="windows")
    edge = b.chrome_profile(ctx.files.home, "windows", "Profile 2", b.preferences(), dirs=b.EDGE_DIRS)
    chromium_history(edge / "History", [("https://portal.flexispy.com/", T1)])
    _chrome(ctx, [("https://portal.flexispy.com/", T3)])
    [finding] = findings(ctx)
    browsers = sorted(v["browser"] for v in finding.evidence["visits"])
    assert len(browsers) == 2 and any("Edge" in x for x in browsers)
    assert finding.evidence["first_visit"] == "2026-03-01T09:30:00Z"
    assert finding.evidence["last_visit"] == "2026-06-03T07:00:00Z"
