"""Collect, then judge: the three browser checks judged from a BrowserSnapshot built by hand (no
Context, no files read while judging)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from digisafe.checks.browser_accounts import BrowserAccountsCheck
from digisafe.checks.browser_extensions import BrowserExtensionsCheck
from digisafe.checks.browser_site_permissions import BrowserSitePermissionsCheck

from digisafe.browsers.collect import BrowserSnapshot, Manifest, PermissionRows, ProfileFiles
from digisafe.browsers.discovery import BrowserProfile, Discovery
from digisafe.browsers.policies import PolicySet
from digisafe.browsers.readers import JsonRead
from digisafe.core.check import CheckSkipped
from digisafe.core.model import Finding, Limitation, Severity
from tests.browsers import builders as b

NOW = datetime(2025, 6, 1, tzinfo=timezone.utc)
CHROME = BrowserProfile("Google Chrome", "chromium", "Person 1", Path("/home/sam/.config/google-chrome/Default"),
                        Path("/home/sam/.config/google-chrome"))  # fmt: skip
FIREFOX = BrowserProfile("Firefox", "firefox", "default-release", Path("/home/sam/.mozilla/firefox/a.default"),
                         Path("/home/sam/.mozilla/firefox"))  # fmt: skip
SIDE = "ssssssssssssssssssssssssssssssss"


def split(items):
    items = list(items)
    return [i for i in items if isinstance(i, Finding)], [i.message for i in items if isinstance(i, Limitation)]


def snapshot(*profiles, policies=(), problems=(), limitations=()):
    found = Discovery(tuple(p.profile for p in profiles), tuple(limitations), ())
    return BrowserSnapshot(found, tuple(profiles), tuple(policies), tuple(problems), NOW.timestamp())


def test_site_permissions_judged_from_a_snapshot():
    prefs = b.preferences(exceptions={"geolocation": {"https://maps.example:443,*": b.site_setting(1, NOW)}},
                          defaults={"media_stream_camera": 1})  # fmt: skip
    chrome = ProfileFiles(CHROME, {"Preferences": JsonRead(prefs), "Secure Preferences": JsonRead(missing=True)})
    firefox = ProfileFiles(FIREFOX, text={"prefs.js": 'user_pref("permissions.default.geo", 1);\n'},
                           permissions=PermissionRows(problem="database disk image is malformed"))  # fmt: skip
    policy = PolicySet("Google Chrome", "chromium", "/etc/opt/chrome/policies/managed/x.json",
                       {"DefaultGeolocationSetting": 1})  # fmt: skip
    findings, limits = split(BrowserSitePermissionsCheck().judge(snapshot(chrome, firefox, policies=(policy,),
                                                                         problems=("y.json is broken",))))
    titles = sorted((f.severity.value, f.title) for f in findings)
    assert titles == [
        ("high", "Every website can see this laptop's location without asking in Google Chrome, set by a policy"),
        ("high", "Every website can see this laptop's location without asking, in Firefox (profile "
                 "'default-release')"),
        ("medium", "Every website can use the camera without asking, in Google Chrome (profile 'Person 1')"),
        ("medium", "The website maps.example can see this laptop's location whenever it is open in Google "
                   "Chrome (profile 'Person 1')"),
    ]  # fmt: skip
    assert any("malformed" in m for m in limits) and "y.json is broken" in limits
    with pytest.raises(CheckSkipped, match="no Chrome"):
        list(BrowserSitePermissionsCheck().judge(snapshot()))


def test_accounts_judged_from_a_snapshot():
    prefs = b.preferences(account_info=[{"account_id": "1", "email": "alex@example.com", "gaia": "1"}],
                          google={"services": {"consented_to_sync": True, "last_account_id": "1",
                                               "last_signed_in_username": "alex@example.com"}},
                          sync={"has_setup_completed": True, "requested": True})  # fmt: skip
    chrome = ProfileFiles(CHROME, {"Preferences": JsonRead(prefs)})
    firefox = ProfileFiles(FIREFOX, {"signedInUser.json": JsonRead(problem="not valid JSON")},
                           {"prefs.js": 'user_pref("services.sync.username", "sam@example.org");\n'})  # fmt: skip
    findings, limits = split(BrowserAccountsCheck().judge(snapshot(chrome, firefox)))
    by_browser = {f.evidence["browser"]: f for f in findings}
    assert by_browser["Google Chrome"].evidence["accounts"] == ["alex@example.com"]
    assert by_browser["Google Chrome"].evidence["syncing"] is True
    assert by_browser["Firefox"].evidence["accounts"] == ["sam@example.org"]
    assert limits == ["Firefox (profile 'default-release'): not valid JSON. In Firefox open Settings > Sync."]


def test_extensions_judged_from_a_snapshot():
    side = b.extension_setting(location=4, from_webstore=False, api=["history", "cookies", "tabs"],
                               hosts=["<all_urls>"], path="/home/sam/unpacked")  # fmt: skip
    prefs = b.preferences(extensions={SIDE: side})
    manifest = Manifest(Path("/home/sam/unpacked"), {"name": "Helper", "version": "1.0", "manifest_version": 3})
    chrome = ProfileFiles(CHROME, {"Preferences": JsonRead(prefs), "Secure Preferences": JsonRead(missing=True)},
                          manifests={SIDE: manifest})  # fmt: skip
    firefox = ProfileFiles(FIREFOX, {"extensions.json": JsonRead(problem="cannot be read")})
    forced = PolicySet("Google Chrome", "chromium", "/etc/opt/chrome/policies/managed/x.json",
                       {"ExtensionInstallForcelist": [f"{SIDE};https://u.example/x.xml",
                                                      "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee;https://evil.example/u.xml"]})
    findings, limits = split(BrowserExtensionsCheck().judge(snapshot(chrome, firefox, policies=(forced,))))
    helper = next(f for f in findings if f.evidence.get("id") == SIDE and "name" in f.evidence)
    assert helper.evidence["name"] == "Helper" and helper.severity >= Severity.MEDIUM
    assert "not from the store" in helper.title
    assert [f.evidence["id"] for f in findings if "policy" in f.title] == ["e" * 32]  # already reported: once
    assert limits == ["Firefox (profile 'default-release'): cannot be read. Open about:addons in Firefox to "
                      "check by hand."]  # fmt: skip
