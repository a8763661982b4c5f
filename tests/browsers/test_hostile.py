"""Damaged, half-written, locked and odd browser files: a limitation or a skip, never a traceback."""

from __future__ import annotations

import json
import os
import sqlite3

import pytest
from digisafe.checks.browser_accounts import BrowserAccountsCheck
from digisafe.checks.browser_extensions import BrowserExtensionsCheck
from digisafe.checks.browser_site_permissions import BrowserSitePermissionsCheck
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digisafe.browsers import chromium, firefox
from digisafe.browsers.discovery import parse_profiles_ini
from digisafe.browsers.readers import UnreadableFile, read_json, sqlite_snapshot
from digisafe.core.model import Status
from tests.browsers import builders as b

CHECKS = [BrowserSitePermissionsCheck, BrowserAccountsCheck, BrowserExtensionsCheck]


def results(ctx):
    return {cls.id: b.result_of(cls, ctx) for cls in CHECKS}


def test_truncated_json_everywhere_gives_limitations(make_ctx):
    ctx = make_ctx(platform="linux")
    home = ctx.files.home
    full = json.dumps(b.preferences(exceptions={"geolocation": {"https://a.example:443,*": {"setting": 1}}}))
    profile = home / b.CHROME_DIRS["linux"] / "Default"
    profile.mkdir(parents=True)
    (profile / "Preferences").write_text(full[:-40])
    ff = b.firefox_profile(home, "linux", "t.default")
    (ff / "extensions.json").write_text('{"schemaVersion":36,"addons":[{"id":"x@y","type":"exten')
    (ff / "signedInUser.json").write_bytes(b'{"version":1,"accountData":{"email":"\xff\xfe')

    for check_id, result in results(ctx).items():
        assert result.status in (Status.PASS, Status.FINDINGS), (check_id, result.reason)
        assert result.limitations, check_id
        assert all("Traceback" not in m for m in result.limitations)


def test_folders_where_files_should_be(make_ctx):
    ctx = make_ctx(platform="darwin")
    home = ctx.files.home
    profile = home / b.CHROME_DIRS["darwin"] / "Default"
    (profile / "Preferences").mkdir(parents=True)
    (profile / "Secure Preferences").mkdir()
    (home / b.CHROME_DIRS["darwin"] / "Local State").mkdir()
    ff = b.firefox_profile(home, "darwin", "Profiles/d.default")
    for name in ("permissions.sqlite", "extensions.json", "signedInUser.json"):
        (ff / name).mkdir()

    for check_id, result in results(ctx).items():
        assert result.status in (Status.PASS, Status.FINDINGS), (check_id, result.reason)
        assert any("folder" in m for m in result.limitations), (check_id, result.limitations)


def test_data_folder_is_a_file(make_ctx):
    ctx = make_ctx(platform="linux")
    (ctx.files.home / ".config").mkdir()
    (ctx.files.home / ".config/google-chrome").write_text("not a folder")
    result = b.result_of(BrowserSitePermissionsCheck, ctx)
    assert result.status is Status.SKIPPED and "not a folder" in result.reason


@pytest.mark.parametrize("content", [b"", b"SQLite format 3\x00" + b"\x01" * 200, os.urandom(4096)])
def test_corrupt_permissions_database(make_ctx, content):
    ctx = make_ctx(platform="linux")
    ff = b.firefox_profile(ctx.files.home, "linux", "c.default")
    (ff / "permissions.sqlite").write_bytes(content)
    result = b.result_of(BrowserSitePermissionsCheck, ctx)
    assert result.status is Status.PASS
    if content:
        assert any("permissions.sqlite" in m for m in result.limitations)


def test_old_schema_without_moz_perms(make_ctx):
    ctx = make_ctx(platform="linux")
    ff = b.firefox_profile(ctx.files.home, "linux", "o.default")
    conn = sqlite3.connect(ff / "permissions.sqlite")
    conn.execute(b.MOZ_PERMS_SCHEMA[1])
    conn.commit()
    conn.close()
    result = b.result_of(BrowserSitePermissionsCheck, ctx)
    assert any("moz_perms" in m for m in result.limitations)


def test_locked_database_is_still_read_from_a_copy(make_ctx):
    ctx = make_ctx(platform="linux")
    ff = b.firefox_profile(ctx.files.home, "linux", "l.default")
    b.write_permissions(ff, [("https://maps.example", "geo", 1, 0, 0, 1700000000000)])
    holder = sqlite3.connect(ff / "permissions.sqlite", isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")  # the way a running Firefox holds it
    try:
        result = b.result_of(BrowserSitePermissionsCheck, ctx)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.status is Status.FINDINGS
    assert result.findings[0].evidence["site"] == "https://maps.example"


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can read any file")
def test_unreadable_files_are_limitations(make_ctx):
    ctx = make_ctx(platform="linux")
    ff = b.firefox_profile(ctx.files.home, "linux", "u.default")
    b.write_permissions(ff, [("https://maps.example", "geo", 1, 0, 0, 1700000000000)])
    b.write_extensions_json(ff, [])
    os.chmod(ff / "permissions.sqlite", 0)
    os.chmod(ff / "extensions.json", 0)
    try:
        site = b.result_of(BrowserSitePermissionsCheck, ctx)
        ext = b.result_of(BrowserExtensionsCheck, ctx)
    finally:
        os.chmod(ff / "permissions.sqlite", 0o600)
        os.chmod(ff / "extensions.json", 0o600)
    assert any("could not read" in m for m in site.limitations)
    assert any("could not read" in m for m in ext.limitations)


@pytest.mark.parametrize("body", ["[]", "null", '"text"', '{"profile": 5}', '{"extensions": {"settings": []}}',
                                  '{"profile": {"content_settings": {"exceptions": {"geolocation": [1]}}}}',
                                  '{"account_info": {"email": 3}, "google": "x"}'])
def test_wrong_shapes_in_preferences(make_ctx, body):
    ctx = make_ctx(platform="windows")
    profile = ctx.files.home / b.CHROME_DIRS["windows"] / "Default"
    profile.mkdir(parents=True)
    (profile / "Preferences").write_text(body)
    (profile / "Secure Preferences").write_text(body)
    (profile.parent / "Local State").write_text(body)
    for check_id, result in results(ctx).items():
        assert result.status in (Status.PASS, Status.FINDINGS), (check_id, result.reason)


def test_snapshot_errors_are_unreadable_file(tmp_path):
    (tmp_path / "x.sqlite").write_bytes(b"garbage" * 100)
    with pytest.raises(UnreadableFile):
        with sqlite_snapshot(tmp_path / "x.sqlite"):
            pass
    with pytest.raises(UnreadableFile):
        with sqlite_snapshot(tmp_path / "missing.sqlite"):
            pass


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)
_TARGETS = ["geolocation", "setting", "last_modified", "expiration", "account_info", "email", "extensions",
            "settings", "location", "active_permissions", "api", "manifest", "addons", "userPermissions",
            "accountData", "disable_reasons", "installDate", "signedState"]
keys = st.sampled_from(_TARGETS) | st.text(max_size=6)
shaped = st.recursive(json_values, lambda inner: st.dictionaries(keys, inner, max_size=5), max_leaves=30)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefs=shaped, secure=shaped, info=st.dictionaries(st.text(max_size=12), json_values, max_size=5),
       changes=st.dictionaries(keys, json_values, max_size=6))
def test_chromium_parsers_never_crash(prefs, secure, info, changes):
    real = b.extension_setting(api=["tabs"], hosts=["<all_urls>"])
    real.update(changes)
    list(chromium.extensions({"real": real}, {"real": changes}))
    chromium.extension_site_permissions({"real": dict(real, content_settings=[changes, prefs])})
    doc = {"profile": {"content_settings": {"exceptions": {"geolocation": prefs}},
                       "default_content_setting_values": prefs}, "extensions": {"settings": {"id": prefs}}}
    for data in (prefs, doc):
        chromium.site_permissions(data, 1.7e9)
        chromium.default_allowed(data)
        chromium.accounts(data, info, "Google Chrome")
        settings_ = chromium.extension_settings(data, secure)
        list(chromium.extensions(settings_, {"id": prefs} if isinstance(prefs, dict) else {}))
        chromium.extension_site_permissions(settings_)


_ADDON_KEYS = ["id", "type", "location", "signedState", "sourceURI", "installTelemetryInfo", "userPermissions",
               "defaultLocale", "installDate", "active", "userDisabled", "version", "isBuiltin"]


@settings(max_examples=150, deadline=None)
@given(data=shaped, changes=st.dictionaries(st.sampled_from(_ADDON_KEYS), json_values, max_size=6))
def test_firefox_parsers_never_crash(data, changes):
    list(firefox.extensions(data))
    real = b.addon("x@example.net", "X", permissions=["tabs"], origins=["<all_urls>"])
    real.update(changes)
    list(firefox.extensions({"addons": [real, data]}))
    firefox.account(data, {})
    firefox.account({"accountData": data}, {"services.sync.username": data})
    rows = [(data, "geo", 1, 2, changes.get("installDate"), changes.get("installDate"))]
    firefox.site_permissions(rows, 1.7e9)


@settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=300))
def test_profiles_ini_and_prefs_js_never_crash(text):
    try:
        parse_profiles_ini(text)
    except ValueError:
        pass
    firefox.parse_prefs(text, ["permissions.default.geo"])
    pref_like = f"user_pref('{text[:40]}', {text[40:]});\npref(\"geo.prompt.testing\", {text[:20]});"
    firefox.default_allowed(firefox.parse_prefs(pref_like, firefox.WANTED_PREFS + (text[:40],)))
    from digisafe.browsers.policies import parse_lenient_json

    parse_lenient_json(text)
    parse_lenient_json("{" + text + ",}")


def test_pathological_pref_and_policy_lines_stay_fast():
    import time

    from digisafe.browsers.policies import parse_lenient_json

    started = time.monotonic()
    firefox.parse_prefs("user_pref(" + '"a' * 20000 + "\n" + "user_pref('x', " + "(" * 50000, ["x"])
    firefox.parse_prefs(('user_pref("x", ' + " " * 3000 + "q\n") * 200, ["x"])  # unclosed lines
    parse_lenient_json('{"a": "' + "\\\"" * 50000 + "/*" * 20000)
    assert time.monotonic() - started < 2


@settings(max_examples=100, deadline=None)
@given(raw=st.binary(max_size=200))
def test_read_json_never_raises(tmp_path_factory, raw):
    path = tmp_path_factory.mktemp("j") / "Preferences"
    path.write_bytes(raw)
    result = read_json(path)
    assert result.ok or result.problem


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX FIFOs")
def test_fifos_and_devices_in_place_of_files_do_not_hang(make_ctx):
    ctx = make_ctx(platform="linux")
    profile = ctx.files.home / b.CHROME_DIRS["linux"] / "Default"
    profile.mkdir(parents=True)
    os.mkfifo(profile / "Preferences")
    os.symlink("/dev/zero", profile / "Secure Preferences")
    ff = b.firefox_profile(ctx.files.home, "linux", "f.default")
    for name in ("permissions.sqlite", "extensions.json", "signedInUser.json"):
        os.mkfifo(ff / name)
    (ff / "prefs.js").unlink()
    os.mkfifo(ff / "prefs.js")
    (ctx.files.home / ".mozilla/firefox/profiles.ini").write_text(b.profiles_ini([("f", "f.default")]))

    for check_id, result in results(ctx).items():
        assert result.status in (Status.PASS, Status.FINDINGS), (check_id, result.reason)
        assert any("not a regular file" in m for m in result.limitations), (check_id, result.limitations)


def test_permission_denied_reads_are_limitations_even_as_root(make_ctx, monkeypatch):
    """Same as the chmod test, for CI runners that run as root (where chmod 000 does not stop reads)."""
    from pathlib import Path

    ctx = make_ctx(platform="windows")
    ff = b.firefox_profile(ctx.files.home, "windows", "Profiles/r.default")
    b.write_permissions(ff, [("https://maps.example", "geo", 1, 0, 0, 1700000000000)])
    b.write_extensions_json(ff, [])
    real_read = Path.read_bytes

    def refuse(self):
        if self.name in ("permissions.sqlite", "extensions.json"):
            raise PermissionError(13, "Permission denied", str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    site = b.result_of(BrowserSitePermissionsCheck, ctx)
    ext = b.result_of(BrowserExtensionsCheck, ctx)
    assert site.status is Status.PASS and any("Permission denied" in m for m in site.limitations)
    assert ext.status is Status.PASS and any("Permission denied" in m for m in ext.limitations)


@settings(max_examples=100, deadline=None)
@given(values=st.dictionaries(st.sampled_from(["ExtensionInstallForcelist", "ExtensionSettings", "Extensions",
                                               "Permissions", "DefaultGeolocationSetting", "VideoCaptureAllowedUrls"])
                              | st.text(max_size=5), shaped, max_size=5))
def test_policy_parsers_never_crash(values):
    from digisafe.browsers.policies import PolicySet, allowed_sites, forced_extensions

    for engine in ("chromium", "firefox"):
        policy = PolicySet("X", engine, "/x", values)
        forced_extensions(policy)
        allowed_sites(policy)
