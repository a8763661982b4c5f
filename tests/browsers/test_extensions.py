from __future__ import annotations

from datetime import datetime, timezone

import pytest
from digisafe.checks.browser_extensions import BrowserExtensionsCheck

from digisafe.core.model import Finding, Limitation, Severity, Status
from tests.browsers import builders as b

STORE_ID = "cjpalhdlnbpafiamejdnhcphjbkeiagm"
SIDE_ID = "abcdefghijklmnopabcdefghijklmnop"
QUIET_ID = "ghbmnnjooekpmoecnnnilnnbdlolhkhi"
POLICY_ID = "ppppppppppppppppppppppppppppppp"
COMPONENT_ID = "mhjfbmdgcfjbbpaeojofohoefgiehjai"
INSTALLED = datetime(2025, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


def run(ctx):
    items = list(BrowserExtensionsCheck().run(ctx))
    return ([i for i in items if isinstance(i, Finding)], [i.message for i in items if isinstance(i, Limitation)])


def chrome_with_extensions(home, platform, *, secure: bool):
    settings = {
        STORE_ID: b.extension_setting(api=["storage", "tabs", "webRequest"], hosts=["<all_urls>"],
                                      path=f"{STORE_ID}/1.57.0_0"),
        SIDE_ID: b.extension_setting(location=4, from_webstore=False, api=["history", "cookies", "tabs"],
                                     hosts=["*://*/*"], installed=INSTALLED, path="/opt/helper-ext"),
        QUIET_ID: b.extension_setting(api=["storage"], path=f"{QUIET_ID}/1.0_0"),
        POLICY_ID: b.extension_setting(location=9, from_webstore=False, api=["proxy"], path=f"{POLICY_ID}/2.0_0"),
        COMPONENT_ID: b.extension_setting(location=5, from_webstore=False, api=["debugger"], hosts=["<all_urls>"]),
    }
    # NOTE: as on Windows/macOS, the real state is in Secure Preferences when ``secure``.
    prefs = b.preferences(extensions={} if secure else settings)
    secure_prefs = {"extensions": {"settings": settings}, "protection": {"macs": {}}} if secure else None
    profile = b.chrome_profile(home, platform, "Default", prefs, secure=secure_prefs)
    b.write_extension_files(profile, STORE_ID, "1.57.0", {"name": "__MSG_appName__", "default_locale": "en",
                                                         "update_url": b.STORE_UPDATE_URL},
                            messages={"appName": "uBlock Origin"})
    b.write_extension_files(profile, QUIET_ID, "1.0", {"name": "Docs Offline", "update_url": b.STORE_UPDATE_URL})
    b.write_extension_files(profile, POLICY_ID, "2.0", {"name": "Company Proxy"})
    return profile


@pytest.mark.parametrize("platform,secure", [("linux", False), ("darwin", True), ("windows", True)])
def test_chromium_extensions_on_each_os(make_ctx, tmp_path, platform, secure):
    ctx = make_ctx(platform=platform)
    chrome_with_extensions(ctx.files.home, platform, secure=secure)
    b.write_json(tmp_path / "root/opt/helper-ext/manifest.json",
                 {"manifest_version": 3, "name": "System Helper", "version": "0.9",
                  "permissions": ["history", "cookies", "tabs"], "host_permissions": ["*://*/*"]})

    findings, limits = run(ctx)

    by_id = {f.evidence["id"]: f for f in findings}
    assert set(by_id) == {STORE_ID, SIDE_ID, POLICY_ID}  # quiet store and built-in left out
    side = by_id[SIDE_ID]
    assert side.severity is Severity.HIGH
    assert side.title == ("The extension 'System Helper', not from the store, can read and change everything on "
                          "every website you visit and read your browsing history, in Google Chrome "
                          "(profile 'Default')")
    assert "developer mode" in side.detail
    assert side.evidence["version"] == "0.9"
    assert side.evidence["installed"] == "2025-01-02T03:04:05Z"
    assert side.evidence["source"] == "outside-store"
    assert set(side.evidence["powerful"]) >= {"*://*/*", "history", "cookies", "tabs"}
    assert side.guidance == "laptop.browser-extensions"
    store = by_id[STORE_ID]
    assert store.severity is Severity.LOW and store.evidence["name"] == "uBlock Origin"
    assert store.evidence["source_detail"] == "the Chrome Web Store"
    assert by_id[POLICY_ID].severity is Severity.MEDIUM and "policy" in by_id[POLICY_ID].detail
    assert limits == []


def test_disabled_sideloaded_extension_is_lowered(make_ctx):
    ctx = make_ctx(platform="linux")
    settings = {SIDE_ID: b.extension_setting(location=2, from_webstore=False, api=["history"],
                                             disable_reasons=[1], path=f"{SIDE_ID}/3.0_0")}
    profile = b.chrome_profile(ctx.files.home, "linux", "Default", b.preferences(extensions=settings))
    b.write_extension_files(profile, SIDE_ID, "3.0", {"name": "Tracker"})
    findings, _ = run(ctx)
    assert findings[0].severity is Severity.LOW and findings[0].evidence["enabled"] is False
    assert "switched off" in findings[0].title


def test_legacy_manifest_inside_preferences_and_no_recorded_permissions(make_ctx):
    ctx = make_ctx(platform="linux")
    entry = {"location": 1, "from_webstore": False, "state": 1, "install_time": "13300000000000000",
             "manifest": {"name": "Old Spy", "version": "0.1", "permissions": ["tabs", "http://*/*"],
                          "content_scripts": [{"matches": ["<all_urls>"], "js": ["x.js"]}]}}
    b.chrome_profile(ctx.files.home, "linux", "Default", b.preferences(extensions={SIDE_ID: entry}))
    findings, _ = run(ctx)
    assert findings[0].evidence["name"] == "Old Spy" and findings[0].severity is Severity.HIGH
    assert "<all_urls>" in findings[0].evidence["permissions"]


@pytest.mark.parametrize("platform", ["linux", "darwin", "windows"])
def test_firefox_addons(make_ctx, platform):
    ctx = make_ctx(platform=platform)
    profile = b.firefox_profile(ctx.files.home, platform, "Profiles/a.default-release")
    b.write_extensions_json(profile, [
        b.addon("uBlock0@raymondhill.net", "uBlock Origin", permissions=["webRequest", "tabs"],
                origins=["<all_urls>"], source_uri="https://addons.mozilla.org/firefox/downloads/file/1/u.xpi"),
        b.addon("helper@example.net", "Helper", location="app-system-share", permissions=["history"],
                origins=["*://*/*"], telemetry="sideload", installed=INSTALLED),
        b.addon("unsigned@example.net", "Unsigned", signed=0, permissions=["storage"], telemetry="file-url",
                source_uri="file:///tmp/u.xpi"),
        b.addon("theme@example.net", "A Theme", addon_type="theme"),
        b.addon("formautofill@mozilla.org", "Form Autofill", location="app-builtin", permissions=["tabs"]),
        b.addon("webcompat@mozilla.org", "Web Compatibility Interventions", location="app-builtin-addons",
                permissions=["cookies", "webRequest"], origins=["<all_urls>"], signed=0, telemetry=None),
        b.addon("quiet@example.net", "Quiet", permissions=["storage"]),
    ])

    findings, limits = run(ctx)

    by_id = {f.evidence["id"]: f for f in findings}
    assert set(by_id) == {"uBlock0@raymondhill.net", "helper@example.net", "unsigned@example.net"}
    assert by_id["helper@example.net"].severity is Severity.HIGH
    assert by_id["helper@example.net"].evidence["installed"] == "2025-01-02T03:04:05Z"
    assert by_id["uBlock0@raymondhill.net"].severity is Severity.LOW
    assert by_id["unsigned@example.net"].severity is Severity.LOW
    assert "not signed" in by_id["unsigned@example.net"].detail
    assert limits == []


def test_store_only_quiet_extensions_pass(make_ctx):
    ctx = make_ctx(platform="linux")
    settings = {QUIET_ID: b.extension_setting(api=["storage"], path=f"{QUIET_ID}/1.0_0")}
    profile = b.chrome_profile(ctx.files.home, "linux", "Default", b.preferences(extensions=settings))
    b.write_extension_files(profile, QUIET_ID, "1.0", {"name": "Docs Offline", "update_url": b.STORE_UPDATE_URL})
    assert b.result_of(BrowserExtensionsCheck, ctx).status is Status.PASS


def test_unknown_source_is_medium_not_high(make_ctx):
    ctx = make_ctx(platform="windows")
    settings = {SIDE_ID: b.extension_setting(location=1, from_webstore=False, api=["history"])}
    b.chrome_profile(ctx.files.home, "windows", "Default", b.preferences(),
                     secure={"extensions": {"settings": settings}})
    profile = b.firefox_profile(ctx.files.home, "windows", "Profiles/o.default")
    b.write_extensions_json(profile, [b.addon("old@example.net", "Old", permissions=["cookies"], telemetry=None)])
    findings, _ = run(ctx)
    assert sorted((f.evidence["id"], f.severity, f.evidence["source"]) for f in findings) == [
        (SIDE_ID, Severity.MEDIUM, "unknown"), ("old@example.net", Severity.MEDIUM, "unknown")]


def test_store_extension_pushed_by_a_program_and_default_apps(make_ctx):
    ctx = make_ctx(platform="darwin")
    settings = {
        SIDE_ID: b.extension_setting(location=6, from_webstore=False, api=["cookies"], path=f"{SIDE_ID}/1.0_0"),
        QUIET_ID: b.extension_setting(location=6, from_webstore=False, api=["nativeMessaging"],
                                      was_installed_by_default=True, path=f"{QUIET_ID}/1.0_0"),
    }
    profile = b.chrome_profile(ctx.files.home, "darwin", "Default", b.preferences(),
                               secure={"extensions": {"settings": settings}})
    b.write_extension_files(profile, SIDE_ID, "1.0", {"name": "Pushed", "update_url": b.STORE_UPDATE_URL})
    b.write_extension_files(profile, QUIET_ID, "1.0", {"name": "Docs Offline", "update_url": b.STORE_UPDATE_URL})
    findings, _ = run(ctx)
    by_id = {f.evidence["id"]: f for f in findings}
    assert by_id[SIDE_ID].severity is Severity.MEDIUM
    assert "added by another program" in by_id[SIDE_ID].detail
    assert by_id[QUIET_ID].severity is Severity.LOW and by_id[QUIET_ID].evidence["source"] == "store"
