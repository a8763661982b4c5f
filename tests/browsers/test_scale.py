"""The whole browser set on a laptop with nine busy profiles (Chrome, Edge, Firefox): every grant,
account and extension is reported, and each Preferences file is parsed once and shared.

How fast this runs is measured by bench/settings.py (which builds this same laptop), never here."""

from __future__ import annotations

from datetime import datetime, timezone

from digisafe.checks.browser_accounts import BrowserAccountsCheck
from digisafe.checks.browser_extensions import BrowserExtensionsCheck
from digisafe.checks.browser_site_permissions import BrowserSitePermissionsCheck

from digisafe.browsers import readers
from digisafe.core.model import Status
from tests.browsers import builders as b

WHEN = datetime(2025, 1, 1, tzinfo=timezone.utc)


def busy_chrome_profile(home, folder: str, dirs) -> None:
    """A Preferences file of realistic size (~0.5 MB) with 25 extensions and many site settings."""
    engagement = {f"https://site{i}.example:443,*": {"last_modified": "13340000000000000", "setting": {
        "lastEngagementTime": 1.3e16, "lastShortcutLaunchTime": 0.0, "pointsAddedToday": 3.0,
        "rawScore": 12.5}} for i in range(1500)}
    geo = {f"https://geo{i}.example:443,*": b.site_setting(1 if i % 3 else 2, WHEN) for i in range(40)}
    settings, manifests = {}, {}
    for i in range(25):
        ext_id = f"{i:02d}" + "a" * 30
        settings[ext_id] = b.extension_setting(api=["tabs", "storage"], hosts=["<all_urls>"] if i % 2 else [],
                                               path=f"{ext_id}/1.{i}_0")
        manifests[ext_id] = {"name": f"Extension {i}", "update_url": b.STORE_UPDATE_URL}
    prefs = b.preferences(exceptions={"geolocation": geo, "site_engagement": engagement}, extensions=settings)
    profile = b.chrome_profile(home, "windows", folder, prefs, secure={"extensions": {"settings": settings}},
                               dirs=dirs)
    for i, (ext_id, manifest) in enumerate(manifests.items()):
        b.write_extension_files(profile, ext_id, f"1.{i}", manifest)


def busy_browsers(ctx) -> list:
    """Three Chrome, three Edge and three Firefox profiles, busy ones; returns the browser checks."""
    home = ctx.files.home
    for dirs in (b.CHROME_DIRS, b.EDGE_DIRS):
        folders = ["Default", "Profile 1", "Profile 2"]
        for folder in folders:
            busy_chrome_profile(home, folder, dirs)
        b.write_json(home / dirs["windows"] / "Local State",
                     b.local_state({f: {"user_name": f"{f[:3].lower()}@example.com"} for f in folders}))
    root = home / b.FIREFOX_DIRS["windows"]
    names = [f"Profiles/p{i}.default" for i in range(3)]
    for name in names:
        profile = b.firefox_profile(home, "windows", name)
        rows = [(f"https://s{i}.example", ("geo", "camera", "desktop-notification")[i % 3], 1, 0, 0,
                 1700000000000 + i) for i in range(300)]
        b.write_permissions(profile, rows)
        b.write_extensions_json(profile, [b.addon(f"a{i}@example.net", f"Addon {i}", permissions=["tabs"],
                                                  origins=["<all_urls>"]) for i in range(20)])
        b.write_signed_in_user(profile, "ann@example.org")
    (root / "profiles.ini").write_text(b.profiles_ini([(n, n) for n in names]))
    readers._read_json_cached.cache_clear()
    return [BrowserSitePermissionsCheck, BrowserAccountsCheck, BrowserExtensionsCheck]


def test_browser_checks_handle_nine_busy_profiles(make_ctx):
    ctx = make_ctx(platform="windows")
    results = [b.result_of(cls, ctx) for cls in busy_browsers(ctx)]

    assert all(r.status is Status.FINDINGS for r in results), [(r.check_id, r.reason) for r in results]
    assert sum(len(r.findings) for r in results) > 300
    assert readers._read_json_cached.cache_info().hits >= 6  # Preferences parsed once, shared
