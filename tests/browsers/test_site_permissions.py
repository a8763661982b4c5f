from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from digisafe.checks.browser_site_permissions import BrowserSitePermissionsCheck

from digisafe.core.check import SAFETY_CAUTION
from digisafe.core.model import Finding, Limitation, Severity, Status
from tests.browsers import builders as b

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=timezone.utc)
GRANTED = datetime(2025, 2, 3, 4, 5, 6, tzinfo=timezone.utc)


def run(ctx):
    items = list(BrowserSitePermissionsCheck().run(ctx))
    return ([i for i in items if isinstance(i, Finding)], [i.message for i in items if isinstance(i, Limitation)])


def chrome_exceptions():
    future = NOW + timedelta(days=30)
    past = NOW - timedelta(days=1)
    return {
        "geolocation": {
            "https://maps.example:443,*": b.site_setting(1, GRANTED, expiration="0", model=0),
            "https://blocked.example:443,*": b.site_setting(2, GRANTED),
            "https://expired.example:443,*": b.site_setting(1, GRANTED, expiration=b.chrome_time(past)),
            "https://later.example:443,*": b.site_setting(1, GRANTED, expiration=b.chrome_time(future)),
        },
        "media_stream_camera": {"https://meet.example:443,*": b.site_setting(1, GRANTED)},
        "media_stream_mic": {"https://meet.example:443,*": b.site_setting(1, GRANTED),
                             "https://ask.example:443,*": b.site_setting(3, GRANTED)},
    }


@pytest.mark.parametrize("platform", ["linux", "darwin", "windows"])
def test_chromium_allowed_sites_on_each_os(make_ctx, platform):
    ctx = make_ctx(platform=platform, now=NOW.timestamp)
    b.chrome_profile(ctx.files.home, platform, "Default", b.preferences(exceptions=chrome_exceptions()))
    b.write_json(ctx.files.home / b.CHROME_DIRS[platform] / "Local State",
                 b.local_state({"Default": {"name": "Person 1"}}))

    findings, limits = run(ctx)

    by_site = {f.evidence["site"]: f for f in findings}
    assert set(by_site) == {"https://maps.example:443", "https://later.example:443", "https://meet.example:443"}
    maps = by_site["https://maps.example:443"]
    assert maps.title == ("The website maps.example can see this laptop's location whenever it is open in "
                          "Google Chrome (profile 'Person 1')")
    assert maps.severity is Severity.MEDIUM
    assert maps.guidance == "location-sharing.browser-sites"
    assert SAFETY_CAUTION in maps.advice and "noticed" in maps.advice
    assert maps.evidence["permissions"][0]["granted"] == "2025-02-03T04:05:06Z"
    assert maps.evidence["browser"] == "Google Chrome"
    assert maps.evidence["file"].endswith("Preferences")
    assert "geolocation" in maps.evidence["setting"]
    meet = by_site["https://meet.example:443"]
    assert "use the camera and microphone" in meet.title and meet.severity is Severity.LOW
    assert limits == []


def test_chromium_default_allow_for_every_site(make_ctx):
    ctx = make_ctx(platform="linux")
    b.chrome_profile(ctx.files.home, "linux", "Default", b.preferences(defaults={"geolocation": 1,
                                                                                 "media_stream_mic": 2}))
    findings, _ = run(ctx)
    assert [(f.severity, f.evidence["setting"]) for f in findings] == [
        (Severity.HIGH, "profile.default_content_setting_values.geolocation")]


def test_firefox_permissions_sqlite_real_schema_with_wal(make_ctx):
    ctx = make_ctx(platform="linux", now=NOW.timestamp)
    home = ctx.files.home
    profile = b.firefox_profile(home, "linux", "ab.default-release")
    (home / ".mozilla/firefox/profiles.ini").write_text(b.profiles_ini([("default-release", "ab.default-release")]))
    rows = [
        ("https://maps.example", "geo", 1, 0, 0, b.ms(GRANTED)),
        ("https://denied.example", "geo", 2, 0, 0, b.ms(GRANTED)),
        ("https://old.example", "geo", 1, 2, b.ms(NOW - timedelta(days=2)), b.ms(GRANTED)),
        ("https://call.example", "microphone", 1, 2, b.ms(NOW + timedelta(days=2)), b.ms(GRANTED)),
        ("https://news.example", "desktop-notification", 1, 0, 0, b.ms(GRANTED)),
        ("https://work.example^userContextId=2", "camera", 1, 0, 0, b.ms(GRANTED)),
    ]
    live = b.write_permissions(profile, rows, wal=True)  # Firefox "running": rows only in the -wal
    try:
        assert (profile / "permissions.sqlite-wal").stat().st_size > 0
        before = {p.name: p.read_bytes() for p in profile.iterdir()}
        findings, limits = run(ctx)
        after = {p.name: p.read_bytes() for p in profile.iterdir()}
    finally:
        live.close()

    assert before == after  # nothing of the browser's was touched, no -shm created by us
    by_site = {f.evidence["site"]: f for f in findings}
    assert set(by_site) == {"https://maps.example", "https://call.example", "https://work.example^userContextId=2"}
    assert by_site["https://work.example^userContextId=2"].title.startswith("The website work.example can use the "
                                                                            "camera whenever")
    assert by_site["https://maps.example"].title.startswith("The website maps.example can see this laptop's "
                                                            "location whenever it is open in Firefox")
    assert by_site["https://maps.example"].evidence["permissions"][0]["granted"] == "2025-02-03T04:05:06Z"
    assert by_site["https://call.example"].evidence["permissions"][0]["expires"] is not None
    assert limits == []


def test_firefox_default_geo_pref(make_ctx):
    ctx = make_ctx(platform="darwin")
    profile = b.firefox_profile(ctx.files.home, "darwin", "Profiles/x.default")
    b.append_prefs(profile, {"permissions.default.geo": 1, "permissions.default.camera": 2})
    findings, _ = run(ctx)
    assert [f.evidence["setting"] for f in findings] == ["permissions.default.geo"]
    assert findings[0].severity is Severity.HIGH


def test_no_browsers_is_skipped_with_reason(make_ctx):
    result = b.result_of(BrowserSitePermissionsCheck, make_ctx(platform="windows"))
    assert result.status is Status.SKIPPED
    assert "no Chrome" in result.reason and "Site settings" in result.reason


def test_clean_profile_passes(make_ctx):
    ctx = make_ctx(platform="linux")
    b.chrome_profile(ctx.files.home, "linux", "Default", b.preferences())
    b.write_permissions(b.firefox_profile(ctx.files.home, "linux", "p.default"), [])
    result = b.result_of(BrowserSitePermissionsCheck, ctx)
    assert result.status is Status.PASS and result.limitations == ()


def test_chromium_geolocation_with_options(make_ctx):
    ctx = make_ctx(platform="linux", now=NOW.timestamp)
    exceptions = {"geolocation_with_options": {
        "https://near.example:443,*": {"last_modified": b.chrome_time(GRANTED), "setting": {"approximate": 1,
                                                                                             "precise": 2}},
        "https://nope.example:443,*": {"last_modified": b.chrome_time(GRANTED), "setting": {"approximate": 2,
                                                                                             "precise": 2}},
    }}
    b.chrome_profile(ctx.files.home, "linux", "Default", b.preferences(exceptions=exceptions))
    findings, _ = run(ctx)
    assert [f.evidence["site"] for f in findings] == ["https://near.example:443"]
    assert findings[0].evidence["permissions"][0]["stored"]["setting"] == {"approximate": 1, "precise": 2}


def test_chromium_wildcard_rule_is_every_website(make_ctx):
    ctx = make_ctx(platform="windows", now=NOW.timestamp)
    exceptions = {"geolocation": {"*,*": b.site_setting(1, GRANTED)},
                  "media_stream_camera": {"https://*:443,*": b.site_setting(1, GRANTED)}}
    b.chrome_profile(ctx.files.home, "windows", "Default", b.preferences(exceptions=exceptions))
    findings, _ = run(ctx)
    assert sorted((f.severity.value, f.title) for f in findings) == [
        ("high", "Every website can see this laptop's location without asking, in Google Chrome (profile 'Default')"),
        ("medium", "Every website can use the camera without asking, in Google Chrome (profile 'Default')"),
    ]
