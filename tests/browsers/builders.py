"""Build real browser profile files (real schemas, real formats) under a fake home folder."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

CHROME_EPOCH = datetime(1601, 1, 1, tzinfo=timezone.utc)
STORE_UPDATE_URL = "https://clients2.google.com/service/update2/crx"

CHROME_DIRS = {
    "linux": ".config/google-chrome",
    "darwin": "Library/Application Support/Google/Chrome",
    "windows": "AppData/Local/Google/Chrome/User Data",
}
EDGE_DIRS = {
    "linux": ".config/microsoft-edge",
    "darwin": "Library/Application Support/Microsoft Edge",
    "windows": "AppData/Local/Microsoft/Edge/User Data",
}
FIREFOX_DIRS = {
    "linux": ".mozilla/firefox",
    "darwin": "Library/Application Support/Firefox",
    "windows": "AppData/Roaming/Mozilla/Firefox",
}


def chrome_time(moment: datetime) -> str:
    """Chromium's time format: decimal string of microseconds since 1601-01-01 UTC."""
    return str((moment - CHROME_EPOCH) // timedelta(microseconds=1))


def ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def write_json(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Chromium writes compact JSON on one line; Firefox writes compact JSON too.
    path.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    return path


# ---- Chromium ---------------------------------------------------------------------------------

def local_state(profiles: dict[str, dict[str, Any]]) -> dict[str, Any]:
    info_cache = {}
    for folder, info in profiles.items():
        entry = {
            "active_time": 1.7e9, "avatar_icon": "chrome://theme/IDR_PROFILE_AVATAR_26",
            "background_apps": False, "force_signin_profile_locked": False, "gaia_given_name": "",
            "gaia_id": "", "gaia_name": "", "hosted_domain": "", "is_consented_primary_account": False,
            "is_ephemeral": False, "is_using_default_avatar": True, "is_using_default_name": True,
            "managed_user_id": "", "metrics_bucket_index": 1, "name": folder, "user_name": "",
        }
        entry.update(info)
        info_cache[folder] = entry
    return {
        "browser": {"enabled_labs_experiments": [], "last_redirect_origin": ""},
        "profile": {"info_cache": info_cache, "last_used": next(iter(profiles), "Default"),
                    "last_active_profiles": list(profiles), "profiles_order": list(profiles)},
        "user_experience_metrics": {"stability": {"browser_last_live_timestamp": "13345678901234567"}},
    }


def preferences(*, exceptions: dict[str, dict[str, Any]] | None = None, defaults: dict[str, int] | None = None,
                extensions: dict[str, dict[str, Any]] | None = None, **top: Any) -> dict[str, Any]:
    """A Preferences file shaped like Chrome's, with the parts the checks read filled in."""
    prefs: dict[str, Any] = {
        "NewTabPage": {"PrevNavigationTime": "13359911149064621"},
        "account_tracker_service_last_update": "13359910307616726",
        "autofill": {"last_version_deduped": 122},
        "browser": {"has_seen_welcome_page": True, "window_placement": {"bottom": 727, "left": 10}},
        "countryid_at_install": 21843,
        "extensions": {"alerts": {"initialized": True}, "last_chrome_version": "122.0.6261.94",
                       "settings": extensions or {}},
        "profile": {
            "avatar_index": 26,
            "content_settings": {"exceptions": {"cookies": {}, "notifications": {}, **(exceptions or {})},
                                 "pref_version": 1},
            "created_by_version": "122.0.6261.94",
            "default_content_setting_values": defaults or {},
            "exit_type": "Normal",
            "name": "Person 1",
        },
        "sync": {"autofill_wallet_import_enabled_migrated": True},
    }
    prefs.update(top)
    return prefs


def site_setting(setting: int, modified: datetime, **extra: Any) -> dict[str, Any]:
    entry = {"last_modified": chrome_time(modified), "setting": setting}
    entry.update(extra)
    return entry


def extension_setting(*, location: int = 1, from_webstore: bool = True, api: list[str] | None = None,
                      hosts: list[str] | None = None, installed: datetime | None = None,
                      path: str | None = None, **extra: Any) -> dict[str, Any]:
    perms = {"api": api or [], "explicit_host": hosts or [], "manifest_permissions": [], "scriptable_host": []}
    entry: dict[str, Any] = {
        "active_permissions": perms, "commands": {}, "content_settings": [], "creation_flags": 9,
        "first_install_time": chrome_time(installed or datetime(2024, 3, 1, tzinfo=timezone.utc)),
        "from_webstore": from_webstore, "granted_permissions": perms, "incognito_content_settings": [],
        "incognito_preferences": {}, "last_update_time": "13355000000000000", "location": location,
        "newAllowFileAccess": True, "preferences": {}, "regular_only_preferences": {},
        "was_installed_by_default": False, "was_installed_by_oem": False, "withholding_permissions": False,
    }
    if path is not None:
        entry["path"] = path
    entry.update(extra)
    return entry


def write_extension_files(profile: Path, ext_id: str, version: str, manifest: dict[str, Any],
                          messages: dict[str, str] | None = None) -> Path:
    folder = profile / "Extensions" / ext_id / f"{version}_0"
    body = {"manifest_version": 3, "version": version, **manifest}
    write_json(folder / "manifest.json", body)
    if messages:
        locale = body.get("default_locale", "en")
        write_json(folder / "_locales" / locale / "messages.json",
                   {k: {"message": v, "description": ""} for k, v in messages.items()})
    return folder


def chrome_profile(home: Path, platform: str, folder: str, prefs: dict[str, Any], *,
                   secure: dict[str, Any] | None = None, dirs: dict[str, str] = CHROME_DIRS) -> Path:
    profile = home / dirs[platform] / folder
    write_json(profile / "Preferences", prefs)
    if secure is not None:
        write_json(profile / "Secure Preferences", secure)
    return profile


# ---- Firefox ----------------------------------------------------------------------------------

def profiles_ini(entries: list[tuple[str, str]], default: str | None = None) -> str:
    """profiles.ini as Firefox writes it: [ProfileN] Name/IsRelative/Path[/Default]."""
    lines = []
    for index, (name, path) in enumerate(entries):
        lines += [f"[Profile{index}]", f"Name={name}", "IsRelative=1", f"Path={path}"]
        if path == default:
            lines.append("Default=1")
        lines.append("")
    lines += ["[General]", "StartWithLastProfile=1", "Version=2", ""]
    if default:
        lines[:0] = ["[Install4F96D1932A9F858E]", f"Default={default}", "Locked=1", ""]
    return "\n".join(lines)


def firefox_profile(home: Path, platform: str, relpath: str, *, root: Path | None = None) -> Path:
    base = root if root is not None else home / FIREFOX_DIRS[platform]
    profile = base.joinpath(*relpath.split("/"))
    profile.mkdir(parents=True, exist_ok=True)
    (profile / "prefs.js").write_text(
        '// Mozilla User Preferences\n\n'
        'user_pref("app.normandy.first_run", false);\n'
        'user_pref("browser.newtabpage.storageVersion", 1);\n', encoding="utf-8")
    return profile


def append_prefs(profile: Path, prefs: dict[str, Any]) -> None:
    with (profile / "prefs.js").open("a", encoding="utf-8") as handle:
        for name, value in prefs.items():
            handle.write(f"user_pref({json.dumps(name)}, {json.dumps(value)});\n")


# The schema Firefox's PermissionManager creates (version 12), including the legacy table.
MOZ_PERMS_SCHEMA = (
    "CREATE TABLE moz_perms ( id INTEGER PRIMARY KEY,origin TEXT,type TEXT,permission INTEGER,"
    "expireType INTEGER,expireTime INTEGER,modificationTime INTEGER)",
    "CREATE TABLE moz_hosts ( id INTEGER PRIMARY KEY,host TEXT,type TEXT,permission INTEGER,"
    "expireType INTEGER,expireTime INTEGER,modificationTime INTEGER,isInBrowserElement INTEGER)",
)


def write_permissions(profile: Path, rows: list[tuple[str, str, int, int, int, int]], *, wal: bool = False):
    """rows: (origin, type, permission, expireType, expireTime, modificationTime). With ``wal`` the
    rows stay in the -wal file (not checkpointed), as they do while Firefox is running; the open
    connection is returned so the caller keeps the WAL alive."""
    conn = sqlite3.connect(profile / "permissions.sqlite")
    conn.execute("PRAGMA user_version = 12")
    for statement in MOZ_PERMS_SCHEMA:
        conn.execute(statement)
    conn.commit()
    if wal:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA wal_autocheckpoint=0")
    conn.executemany("INSERT INTO moz_perms (origin, type, permission, expireType, expireTime, modificationTime)"
                     " VALUES (?, ?, ?, ?, ?, ?)", rows)
    conn.commit()
    if wal:
        return conn
    conn.close()
    return None


def addon(addon_id: str, name: str, *, location: str = "app-profile", permissions: list[str] | None = None,
          origins: list[str] | None = None, signed: int = 2, source_uri: str | None = None,
          installed: datetime | None = None, active: bool = True, telemetry: str | None = "amo",
          addon_type: str = "extension") -> dict[str, Any]:
    """One entry of extensions.json "addons", as Firefox's XPIDatabase writes it."""
    when = ms(installed or datetime(2024, 5, 1, tzinfo=timezone.utc))
    return {
        "id": addon_id, "syncGUID": "{a71729f8-783e-4d0d-a941-d99870bf4268}", "version": "1.2.3",
        "type": addon_type, "loader": None, "updateURL": None, "installOrigins": None, "manifestVersion": 2,
        "optionsURL": None, "optionsType": None, "optionsBrowserStyle": True, "aboutURL": None,
        "defaultLocale": {"name": name, "description": "", "creator": "someone", "developers": None,
                          "translators": None, "contributors": None},
        "visible": True, "active": active, "userDisabled": not active, "appDisabled": False,
        "embedderDisabled": False, "installDate": when, "updateDate": when, "applyBackgroundUpdates": 1,
        "path": f"/profile/extensions/{addon_id}.xpi", "skinnable": False, "sourceURI": source_uri,
        "releaseNotesURI": None, "softDisabled": False, "foreignInstall": location != "app-profile",
        "strictCompatibility": True, "locales": [], "targetApplications": [
            {"id": "toolkit@mozilla.org", "minVersion": None, "maxVersion": None}],
        "targetPlatforms": [], "signedState": signed, "signedTypes": [2, 1] if signed > 0 else [],
        "seen": True, "dependencies": [], "incognito": "spanning",
        "userPermissions": {"permissions": permissions or [], "origins": origins or [], "data_collection": []},
        "optionalPermissions": {"permissions": [], "origins": [], "data_collection": []},
        "requestedPermissions": {"permissions": permissions or [], "origins": origins or [], "data_collection": []},
        "icons": {}, "iconURL": None, "blocklistState": 0, "blocklistURL": None, "startupData": None,
        "hidden": False, "installTelemetryInfo": {"source": telemetry, "method": "link"} if telemetry else None,
        "recommendationState": None, "rootURI": f"jar:file:///profile/extensions/{addon_id}.xpi!/",
        "location": location,
    }


def write_extensions_json(profile: Path, addons: list[dict[str, Any]]) -> Path:
    return write_json(profile / "extensions.json", {"schemaVersion": 36, "addons": addons})


def write_signed_in_user(profile: Path, email: str) -> Path:
    return write_json(profile / "signedInUser.json", {"version": 1, "accountData": {
        "uid": "0123456789abcdef0123456789abcdef", "email": email, "sessionToken": "SECRET-SESSION-TOKEN",
        "verified": True, "device": {"id": "f00", "registrationVersion": 1}}})


def result_of(check_class: type, ctx: Any):
    """Run a check through the real runner (its error firewall included) and return the CheckResult."""
    from digisafe.core.registry import RegisteredCheck
    from digisafe.core.runner import run_check

    return run_check(RegisteredCheck(check_class, "built-in"), ctx)
