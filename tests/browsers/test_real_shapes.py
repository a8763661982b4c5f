"""The browser checks against file shapes written by real browsers (Chromium 156, Firefox 153 ESR).

The files in tests/browsers/real/ are trimmed copies of profiles we generated ourselves, headless,
in temporary folders (see test_live_browsers.py, which regenerates them when the browsers are
installed): grants made through chrome://settings, Firefox's own permission manager, an unpacked
extension loaded over the DevTools protocol and an unsigned add-on installed through Marionette.
Expected answers are computed from the stored values, not typed in.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

from digisafe.checks.browser_accounts import BrowserAccountsCheck
from digisafe.checks.browser_extensions import BrowserExtensionsCheck
from digisafe.checks.browser_site_permissions import BrowserSitePermissionsCheck

from digisafe.core.model import Finding, Limitation

REAL = Path(__file__).parent / "real"
UNPACKED_ID = "jkcdhbcpaolipnlpanmighehnadbddlc"
UNPACKED_MANIFEST = {"manifest_version": 3, "name": "Helper Test Ext", "version": "1.2.3",
                     "permissions": ["history", "tabs", "cookies", "webRequest", "storage"],
                     "host_permissions": ["<all_urls>"], "background": {"service_worker": "bg.js"}}
CONTENT_KINDS = {"geolocation": "location", "media_stream_camera": "camera", "media_stream_mic": "microphone"}


def load(name: str):
    return json.loads((REAL / name).read_text(encoding="utf-8"))


def run(check, ctx):
    items = list(check.run(ctx))
    return ([i for i in items if isinstance(i, Finding)], [i.message for i in items if isinstance(i, Limitation)])


def chromium_home(ctx_home: Path, root: Path) -> Path:
    data = ctx_home / ".config" / "chromium"
    for folder, name in (("Default", "chromium156_Preferences.json"),
                         ("Profile 1", "chromium156_Profile1_Preferences.json")):
        (data / folder).mkdir(parents=True)
        (data / folder / "Preferences").write_text((REAL / name).read_text(encoding="utf-8"), encoding="utf-8")
        # NOTE: on Linux Chromium 156 writes a "Secure Preferences" holding only its MAC.
        secure = (REAL / "chromium156_Secure_Preferences.json").read_text(encoding="utf-8")
        (data / folder / "Secure Preferences").write_text(secure, encoding="utf-8")
    (data / "Local State").write_text((REAL / "chromium156_Local_State.json").read_text(encoding="utf-8"))
    unpacked = root / "opt" / "unpacked" / "helper-ext"
    unpacked.mkdir(parents=True)
    (unpacked / "manifest.json").write_text(json.dumps(UNPACKED_MANIFEST), encoding="utf-8")
    return data


def stored_grants(prefs) -> set[tuple[str, str]]:
    """(kind, primary pattern) of every ALLOW exception, read straight from the stored JSON."""
    exceptions = prefs["profile"]["content_settings"]["exceptions"]
    return {(CONTENT_KINDS[name], pair.split(",")[0])
            for name, kind in CONTENT_KINDS.items()
            for pair, value in exceptions.get(name, {}).items() if value["setting"] == 1}


def reported_grants(findings) -> set[tuple[str, str]]:
    return {(p["permission"], f.evidence["site"]) for f in findings for p in f.evidence.get("permissions", [])}


def test_chromium156_site_permissions_match_what_chromium_stored(make_ctx, tmp_path):
    ctx = make_ctx()
    chromium_home(tmp_path / "home", tmp_path / "root")
    findings, limitations = run(BrowserSitePermissionsCheck(), ctx)
    assert not limitations
    expected = stored_grants(load("chromium156_Preferences.json")) | stored_grants(
        load("chromium156_Profile1_Preferences.json"))
    # NOTE: the settings page stores "https://host" as "https://host:443,*" but a typed pattern
    # as given ("[*.]example.org,*"); a blocked site (setting 2) sits beside them.
    assert ("location", "[*.]example.org") in expected and ("location", "http://127.0.0.1:8123") in expected
    assert reported_grants(findings) == expected
    defaults = {f.evidence["setting"] for f in findings if "default_content_setting_values" in f.evidence["setting"]}
    assert defaults == {"profile.default_content_setting_values.geolocation",
                        "profile.default_content_setting_values.media_stream_camera"}
    stamp = load("chromium156_Preferences.json")["profile"]["content_settings"]["exceptions"]["geolocation"][
        "http://127.0.0.1:8123,*"]["last_modified"]
    granted = [p["granted"] for f in findings for p in f.evidence.get("permissions", [])
               if f.evidence["site"].startswith("http://127")]
    expected_time = datetime(1601, 1, 1, tzinfo=timezone.utc) + timedelta(microseconds=int(stamp))
    assert granted == [expected_time.isoformat(timespec="seconds").replace("+00:00", "Z")]


def test_chromium156_unpacked_and_command_line_extensions(make_ctx, tmp_path):
    ctx = make_ctx()
    chromium_home(tmp_path / "home", tmp_path / "root")
    findings, limitations = run(BrowserExtensionsCheck(), ctx)
    assert not limitations
    by_location = {f.evidence["stored"]["location"]: f for f in findings}
    # 4: loaded unpacked over DevTools; 8: --load-extension. The PDF viewer (5, component) is not shown.
    assert set(by_location) == {4, 8}
    for finding in by_location.values():
        assert finding.evidence["name"] == "Helper Test Ext" and finding.evidence["source"] == "outside-store"
        assert {"history", "tabs", "<all_urls>"} <= set(finding.evidence["powerful"])
        # NOTE: Linux Chromium keeps extension state in "Preferences", not "Secure Preferences".
        assert finding.evidence["file"].endswith("Preferences") and "Secure" not in finding.evidence["file"]


def test_chromium156_local_state_names_profiles_and_no_account(make_ctx, tmp_path):
    ctx = make_ctx()
    chromium_home(tmp_path / "home", tmp_path / "root")
    findings, _ = run(BrowserAccountsCheck(), ctx)
    assert findings == []  # signed out: user_name "" and no account_info
    perms, _ = run(BrowserSitePermissionsCheck(), ctx)
    names = {f.evidence["profile"] for f in perms}
    info = load("chromium156_Local_State.json")["profile"]["info_cache"]
    assert {info["Profile 1"]["name"], "Default"} == names  # Default is not in this Local State


def firefox_profile(home: Path) -> Path:
    root = home / ".config" / "mozilla" / "firefox"  # NOTE: Firefox 153 ESR created this XDG folder on Linux
    profile = root / "abcd1234.work"
    profile.mkdir(parents=True)
    (root / "profiles.ini").write_text((REAL / "firefox153_profiles.ini").read_text(encoding="utf-8"))
    (profile / "prefs.js").write_text((REAL / "firefox153_prefs.js").read_text(encoding="utf-8"))
    (profile / "extensions.json").write_text((REAL / "firefox153_extensions.json").read_text(encoding="utf-8"))
    conn = sqlite3.connect(profile / "permissions.sqlite")
    conn.executescript((REAL / "firefox153_permissions.sql").read_text(encoding="utf-8"))
    conn.commit()
    conn.close()
    return profile


def _stored_perms(profile: Path):
    conn = sqlite3.connect(profile / "permissions.sqlite")
    try:
        return list(conn.execute("SELECT origin, type, permission, expireType, expireTime, modificationTime "
                                 "FROM moz_perms"))
    finally:
        conn.close()


def test_firefox153_permissions_and_expiry(make_ctx, tmp_path):
    profile = firefox_profile(tmp_path / "home")
    rows = _stored_perms(profile)
    written = max(r[5] for r in rows) / 1000.0
    kinds = {"geo": "location", "camera": "camera", "microphone": "microphone"}
    for now, alive in ((written, lambda r: True), (written + 2 * 3600, lambda r: r[3] != 2)):
        findings, limitations = run(BrowserSitePermissionsCheck(), make_ctx(now=lambda now=now: now))
        expected = {(kinds[r[1]], r[0]) for r in rows if r[1] in kinds and r[2] == 1 and alive(r)}
        assert reported_grants(findings) == expected
        assert not limitations
    defaults = [f for f in findings if f.evidence["setting"] == "permissions.default.geo"]
    assert len(defaults) == 1 and defaults[0].evidence["value"] == 1


def test_firefox153_addons_and_sync_account(make_ctx, tmp_path):
    firefox_profile(tmp_path / "home")
    ctx = make_ctx()
    findings, limitations = run(BrowserExtensionsCheck(), ctx)
    assert not limitations
    # Built-in add-ons (app-builtin-addons) hold <all_urls>/webRequest too, but ship with Firefox.
    assert [f.evidence["id"] for f in findings] == ["helper-test@example.org"]
    assert findings[0].evidence["source"] == "outside-store"
    assert findings[0].evidence["stored"]["signedState"] == 0
    accounts, _ = run(BrowserAccountsCheck(), ctx)
    assert [f.evidence["accounts"] for f in accounts] == [["someone@example.com"]]


def test_chromium156_unpacked_extension_whose_folder_is_gone(make_ctx, tmp_path):
    ctx = make_ctx()
    chromium_home(tmp_path / "home", tmp_path / "root")
    (tmp_path / "root" / "opt" / "unpacked" / "helper-ext" / "manifest.json").unlink()
    findings, limitations = run(BrowserExtensionsCheck(), ctx)
    assert {f.evidence["name"] for f in findings} == {UNPACKED_ID}  # still reported, by its ID
    assert len(limitations) == 2 and all("manifest.json was not found" in m and UNPACKED_ID in m for m in limitations)


def _firefox_with_addons(home: Path, addons: list[dict]) -> None:
    profile = firefox_profile(home)
    (profile / "extensions.json").write_text(json.dumps({"schemaVersion": 37, "addons": addons}))


def _signed(addon: dict, **changes) -> dict:
    return dict(addon, signedState=2, **changes)


def test_firefox153_sideloaded_addon_is_outside_the_store_even_when_signed(make_ctx, tmp_path):
    # The real entry Firefox 153 wrote for an XPI dropped into <profile>/extensions/ by "another program".
    real = load("firefox153_sideloaded_extensions.json")["addons"][0]
    assert real["foreignInstall"] is True and real["installTelemetryInfo"]["method"] == "sideload"
    # A signed copy (the realistic case: Mozilla signs unlisted add-ons) must not look "unknown".
    _firefox_with_addons(tmp_path / "home", [real, _signed(real, id="signed-side@example.org")])
    findings, _ = run(BrowserExtensionsCheck(), make_ctx())
    assert {f.evidence["id"]: f.evidence["source"] for f in findings} == {
        "side@example.org": "outside-store", "signed-side@example.org": "outside-store"}
    assert all("another program" in f.evidence["source_detail"] for f in findings)
    assert all(f.evidence["enabled"] is False for f in findings)  # waiting for the person to approve it


def test_firefox_install_telemetry_source_and_method(make_ctx, tmp_path):
    base = _signed(load("firefox153_sideloaded_extensions.json")["addons"][0], foreignInstall=False, active=True,
                   userDisabled=False)
    cases = {
        "file@example.org": ({"source": "about:addons", "method": "install-from-file"}, "file:///tmp/x.xpi",
                             "outside-store"),
        "amo@example.org": ({"source": "amo", "method": "amWebAPI"},
                            "https://addons.mozilla.org/firefox/downloads/file/1/x.xpi", "store"),
        "dist@example.org": ({"source": "distribution"}, None, "added-by-program"),
        "web@example.org": ({"source": "unknown", "method": "link"}, "https://files.example.net/x.xpi",
                            "outside-store"),
        "policy@example.org": ({"source": "enterprise-policy"}, "https://files.example.net/x.xpi", "policy"),
    }
    _firefox_with_addons(tmp_path / "home", [dict(base, id=ext_id, installTelemetryInfo=telemetry, sourceURI=uri)
                                             for ext_id, (telemetry, uri, _) in cases.items()])
    findings, _ = run(BrowserExtensionsCheck(), make_ctx())
    assert {f.evidence["id"]: f.evidence["source"] for f in findings} == {k: v[2] for k, v in cases.items()}


def test_firefox_hand_written_user_js_overrides_prefs_js(make_ctx, tmp_path):
    profile = firefox_profile(tmp_path / "home")
    # prefs.js (as Firefox wrote it) allows location for all sites; a hand-written user.js, which
    # Firefox applies last, turns that off with single quotes and spaces and allows the camera.
    (profile / "user.js").write_text("// my settings\npref('permissions.default.geo' , 2 );\n"
                                     "user_pref( 'permissions.default.camera', 1);  // camera\n")
    findings, _ = run(BrowserSitePermissionsCheck(), make_ctx())
    defaults = {f.evidence["setting"]: f.evidence["file"] for f in findings
                if f.evidence["setting"].startswith("permissions.default")}
    assert defaults == {"permissions.default.camera": str(profile / "user.js")}


def test_firefox153_signed_in_without_sync_is_not_called_syncing(make_ctx, tmp_path):
    # signedInUser.json as Firefox 153 wrote it after a sign-in (dummy token), with Sync never set up.
    profile = firefox_profile(tmp_path / "home")
    (profile / "prefs.js").write_text('// Mozilla User Preferences\nuser_pref("identity.fxaccounts.enabled", true);\n')
    (profile / "signedInUser.json").write_text((REAL / "firefox153_signedInUser.json").read_text())
    findings, limitations = run(BrowserAccountsCheck(), make_ctx())
    assert not limitations
    [finding] = findings
    assert finding.evidence["accounts"] == ["fxa-user@example.com"] and finding.evidence["syncing"] is False
    assert "is signed in to the Mozilla account" in finding.title
    assert "0000000000" not in json.dumps(finding.to_dict())  # the session token is never copied


def test_firefox_testing_switches_that_silently_allow_every_site(make_ctx, tmp_path):
    # Checked with Firefox 153 ESR: with these prefs a page got camera, microphone and location
    # with no prompt, and nothing was written to permissions.sqlite (without them: a prompt).
    profile = firefox_profile(tmp_path / "home")
    (profile / "prefs.js").write_text("// Mozilla User Preferences\n")
    (profile / "user.js").write_text('user_pref("media.navigator.permission.disabled", true);\n'
                                     'user_pref("geo.prompt.testing", true);\n'
                                     'user_pref("geo.prompt.testing.allow", true);\n')
    findings, _ = run(BrowserSitePermissionsCheck(), make_ctx())
    silent = {(f.evidence["setting"], f.severity.name) for f in findings
              if f.evidence["setting"].startswith(("media.", "geo."))}
    assert silent == {("media.navigator.permission.disabled", "MEDIUM"),
                      ("geo.prompt.testing + geo.prompt.testing.allow", "HIGH")}
    assert all(f.evidence["file"].endswith("user.js") and "about:config" in f.advice for f in findings
               if f.evidence["setting"].startswith(("media.", "geo.")))
    (profile / "user.js").write_text('user_pref("geo.prompt.testing", true);\n')  # allow not set: prompts
    findings, _ = run(BrowserSitePermissionsCheck(), make_ctx())
    assert not [f for f in findings if f.evidence["setting"].startswith(("media.", "geo."))]


def test_chromium156_extension_that_allows_sites_through_content_settings(make_ctx, tmp_path):
    # Real entry: an unpacked extension whose service worker called
    # chrome.contentSettings.location.set({primaryPattern: "<all_urls>", setting: "allow"}) (and camera,
    # microphone for two sites). Chromium kept it with the extension, not in the site exceptions.
    prefs = load("chromium156_extension_content_settings_Preferences.json")
    [(ext_id, entry)] = prefs["extensions"]["settings"].items()
    profile = tmp_path / "home" / ".config" / "chromium" / "Default"
    profile.mkdir(parents=True)
    (profile / "Preferences").write_text(json.dumps(prefs))
    findings, limitations = run(BrowserSitePermissionsCheck(), make_ctx())
    assert not limitations
    stored = {(r["type"], r["primaryPattern"]) for r in entry["content_settings"] if r["setting"] == "allow"}
    assert {(f.evidence["rules"][0]["type"], f.evidence["site"]) for f in findings} == stored
    every = [f for f in findings if f.evidence["site"] == "*"]
    assert len(every) == 1 and every[0].severity.name == "HIGH" and every[0].evidence["extension_id"] == ext_id
    entry["disable_reasons"] = [1]  # switched off: Chromium no longer applies its rules
    (profile / "Preferences").write_text(json.dumps(prefs))
    assert run(BrowserSitePermissionsCheck(), make_ctx())[0] == []
