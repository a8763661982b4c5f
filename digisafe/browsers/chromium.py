"""Pure parsers for Chromium-family profile data (Chrome, Chromium, Edge, Brave, Vivaldi, Opera).

Input is the parsed JSON of ``Preferences``, ``Secure Preferences`` and the profile's entry in
``Local State`` ``profile.info_cache``; output is data from digisafe.browsers.model. Every field is
optional in practice (old versions, forks, half-migrated profiles), so nothing here assumes a key.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Iterator, Mapping

from digisafe.browsers.model import (
    CAMERA,
    EXTERNAL,
    LOCATION,
    MICROPHONE,
    OUTSIDE_STORE,
    POLICY,
    STORE,
    UNKNOWN,
    Account,
    Extension,
    SitePermission,
    dig,
    permission_strings,
)
from digisafe.browsers.readers import from_chrome_time

# ContentSettingsType pref name -> what it grants. ContentSetting 1 = ALLOW.
CONTENT_TYPES = {
    "geolocation": LOCATION,
    "geolocation_with_options": LOCATION,
    "media_stream_camera": CAMERA,
    "media_stream_mic": MICROPHONE,
}
ALLOW = 1
_EXCEPTIONS = ("profile", "content_settings", "exceptions")


def _is_allow(setting: Any) -> bool:
    if isinstance(setting, bool):
        return False
    if isinstance(setting, int):
        return setting == ALLOW
    if isinstance(setting, dict):
        # NOTE: "geolocation_with_options" (Chromium 2025+) stores {"approximate": N, "precise": N}
        # with PermissionOption values (1 allowed, 2 denied, 3 ask): any "allowed" counts.
        return any(_is_allow(v) for v in setting.values())
    return False


def _expired(expiration: Any, now: float) -> bool:
    when = from_chrome_time(expiration)
    if when is None:
        return False
    return datetime.fromisoformat(when.replace("Z", "+00:00")) < datetime.fromtimestamp(now, timezone.utc)


def site_permissions(prefs: Any, now: float) -> list[SitePermission]:
    """Sites allowed to use location, camera or microphone in a Preferences file."""
    exceptions = dig(prefs, *_EXCEPTIONS)
    if not isinstance(exceptions, dict):
        return []
    found = []
    for pref_name, kind in CONTENT_TYPES.items():
        entries = exceptions.get(pref_name)
        if not isinstance(entries, dict):
            continue
        for pattern_pair, value in entries.items():
            if not isinstance(value, dict) or not _is_allow(value.get("setting")):
                continue
            if _expired(value.get("expiration"), now):
                continue
            primary = str(pattern_pair).split(",", 1)[0].strip()
            found.append(SitePermission(
                kind=kind,
                origin=primary,
                setting=".".join(_EXCEPTIONS + (pref_name, str(pattern_pair))),
                granted=from_chrome_time(value.get("last_modified")),
                expires=from_chrome_time(value.get("expiration")),
                raw={k: v for k, v in value.items() if k in ("setting", "last_modified", "expiration",
                                                                "last_visit", "model", "lifetime")},
            ))
    return found


# An extension's chrome.contentSettings rules: type name -> what it grants.
EXTENSION_CONTENT_TYPES = {"geolocation": LOCATION, "media-stream-camera": CAMERA, "media-stream-mic": MICROPHONE}


def extension_site_permissions(settings: Mapping[str, Mapping[str, Any]]) -> list[tuple[str, SitePermission]]:
    """(extension ID, permission) for each site an enabled extension allowed through chrome.contentSettings."""
    # NOTE: seen with Chromium 156: an extension with the "contentSettings" permission that calls
    # chrome.contentSettings.location.set({primaryPattern: "<all_urls>", setting: "allow"}) is stored
    # as extensions.settings.<id>.content_settings = [{"primaryPattern": "*", "secondaryPattern": "*",
    # "setting": "allow", "type": "geolocation"}], NOT in profile.content_settings.exceptions.
    found = []
    for ext_id, entry in sorted(settings.items()):
        rules = entry.get("content_settings")
        if not isinstance(rules, list) or not _is_enabled(entry):
            continue
        for index, rule in enumerate(rules):
            if not isinstance(rule, dict) or rule.get("setting") != "allow":
                continue
            kind = EXTENSION_CONTENT_TYPES.get(str(rule.get("type")))
            pattern = rule.get("primaryPattern")
            if kind is None or not isinstance(pattern, str) or not pattern.strip():
                continue
            found.append((ext_id, SitePermission(
                kind=kind, origin=pattern.strip(),
                setting=f"extensions.settings.{ext_id}.content_settings[{index}]",
                raw={k: rule.get(k) for k in ("primaryPattern", "secondaryPattern", "setting", "type")},
            )))
    return found


def default_allowed(prefs: Any) -> list[tuple[str, str]]:
    """(kind, pref path) for location/camera/microphone allowed for EVERY site by default."""
    defaults = dig(prefs, "profile", "default_content_setting_values")
    if not isinstance(defaults, dict):
        return []
    return [(kind, f"profile.default_content_setting_values.{name}")
            for name, kind in CONTENT_TYPES.items() if _is_allow(defaults.get(name))]


def _emails(prefs: Any, info: Mapping[str, Any]) -> list[str]:
    emails: list[str] = []

    def add(value: Any) -> None:
        if isinstance(value, str) and "@" in value and value.strip() not in emails:
            emails.append(value.strip())

    add(info.get("user_name"))
    accounts = dig(prefs, "account_info")
    for entry in accounts if isinstance(accounts, list) else []:
        if isinstance(entry, dict):
            add(entry.get("email"))
    if dig(prefs, "google", "services", "account_id") or dig(prefs, "google", "services", "consented_to_sync"):
        # NOTE: Chromium 12x+ also keeps "last_signed_in_username" (signed in without Sync); both
        # name the last account, so they count only while an account is still set.
        add(dig(prefs, "google", "services", "last_username"))
        add(dig(prefs, "google", "services", "last_signed_in_username"))
    return emails


def accounts(prefs: Any, info: Mapping[str, Any], browser: str) -> list[Account]:
    """The accounts a profile is signed in to or syncs with (empty when signed out)."""
    found = []
    emails = _emails(prefs, info)
    if emails:
        syncing = (info.get("is_consented_primary_account") is True
                   or dig(prefs, "google", "services", "consented_to_sync") is True
                   or dig(prefs, "sync", "has_setup_completed") is True)
        provider = "Microsoft account" if "Edge" in browser else "Google account"
        evidence = {k: info.get(k) for k in ("user_name", "gaia_name", "gaia_id", "is_consented_primary_account",
                                             "hosted_domain", "edge_account_type", "edge_account_tenant_id")
                    if info.get(k) not in (None, "")}
        for key in ("consented_to_sync", "last_username", "last_signed_in_username"):
            value = dig(prefs, "google", "services", key)
            if value not in (None, ""):
                evidence[f"google.services.{key}"] = value
        for path in (("sync", "has_setup_completed"), ("signin", "explicit_browser_signin")):
            if dig(prefs, *path) is not None:
                evidence[".".join(path)] = dig(prefs, *path)
        found.append(Account(tuple(emails), provider, syncing, evidence))
    seed = dig(prefs, "brave_sync_v2", "seed")
    if isinstance(seed, str) and seed:
        # NOTE: Brave Sync has no account: devices join a "sync chain" with a code. The seed is an
        # encrypted secret; the report only says that it exists.
        found.append(Account((), "Brave Sync chain", True, {"brave_sync_v2.seed": "present (not copied)"}))
    return found


# ---- extensions -------------------------------------------------------------------------------

STORE_UPDATE_HOSTS = ("clients2.google.com", "edge.microsoft.com", "extension-updates.opera.com")
BUILT_IN_LOCATIONS = {5, 10}  # component extensions shipped inside the browser
_LOCATION_WORDS = {
    2: "added by another program on this laptop (external preferences file)",
    3: "added by another program on this laptop (Windows registry)",
    4: "loaded by hand from a folder (developer mode)",
    6: "added by another program on this laptop (external download)",
    8: "loaded from the command line when the browser was started",
}


def install_location(entry: Mapping[str, Any]) -> int | None:
    """extensions.settings.<id>.location as an int (Chromium's ManifestLocation), or None."""
    value = entry.get("location")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def is_built_in(entry: Mapping[str, Any]) -> bool:
    return install_location(entry) in BUILT_IN_LOCATIONS


def extension_settings(prefs: Any, secure_prefs: Any) -> dict[str, dict[str, Any]]:
    """extensions.settings from both files, merged per extension ID."""
    # NOTE: Windows and macOS keep most extension state in "Secure Preferences" (protected by a
    # MAC); Linux keeps it in "Preferences". Either may hold part of an entry.
    merged: dict[str, dict[str, Any]] = {}
    for source in (prefs, secure_prefs):
        settings = dig(source, "extensions", "settings")
        if not isinstance(settings, dict):
            continue
        for ext_id, entry in settings.items():
            if isinstance(entry, dict):
                merged.setdefault(str(ext_id), {}).update(entry)
    return merged


def _is_enabled(entry: Mapping[str, Any]) -> bool:
    reasons = entry.get("disable_reasons")
    if isinstance(reasons, list) and reasons:
        return False
    if isinstance(reasons, int) and not isinstance(reasons, bool) and reasons != 0:
        return False
    return entry.get("state") != 0


def _store_words(entry: Mapping[str, Any], manifest: Mapping[str, Any]) -> str | None:
    """Which store an extension came from, or None if nothing says it came from one."""
    update_url = str(manifest.get("update_url") or "")
    if "edge.microsoft.com" in update_url:
        return "the Microsoft Edge Add-ons store"
    if "opera.com" in update_url:
        return "the Opera add-ons store"
    if entry.get("from_webstore") is True or any(host in update_url for host in STORE_UPDATE_HOSTS):
        return "the Chrome Web Store"
    return None


def _source(entry: Mapping[str, Any], manifest: Mapping[str, Any]) -> tuple[str, str]:
    location = install_location(entry)
    store = _store_words(entry, manifest)
    if location in (7, 9):
        return POLICY, "installed by a policy (set by an administrator of this laptop or an employer)"
    if entry.get("was_installed_by_default") is True or entry.get("was_installed_by_oem") is True:
        return STORE, "installed with the browser (a default app)"
    if location in (2, 3, 6) and store:
        # NOTE: programs may push store extensions through external_extensions.json or the
        # registry (Chrome's own default apps arrive this way too); less alarming than a file.
        return EXTERNAL, f"added by another program on this laptop (the extension itself is from {store})"
    if location in _LOCATION_WORDS:
        return OUTSIDE_STORE, _LOCATION_WORDS[location]
    if store:
        return STORE, store
    if location == 1 and manifest:
        return OUTSIDE_STORE, "installed from a file, not from the extension store"
    return UNKNOWN, f"not recorded (location {entry.get('location')!r}, manifest not found)"


def extension_permissions(entry: Mapping[str, Any], manifest: Mapping[str, Any]) -> tuple[str, ...]:
    """Granted permissions and host patterns; the manifest's when the browser recorded none."""
    perms: list[str] = []
    active = entry.get("active_permissions")
    if not isinstance(active, dict):
        active = entry.get("granted_permissions")
    if isinstance(active, dict):
        for key in ("api", "manifest_permissions", "explicit_host", "scriptable_host"):
            perms.extend(permission_strings(active.get(key)))
    else:
        perms.extend(permission_strings(manifest.get("permissions")))
        perms.extend(permission_strings(manifest.get("host_permissions")))
        scripts = manifest.get("content_scripts")
        for script in scripts if isinstance(scripts, list) else []:
            if isinstance(script, dict):
                perms.extend(permission_strings(script.get("matches")))
    return tuple(dict.fromkeys(perms))


def extensions(settings: Mapping[str, Mapping[str, Any]],
               manifests: Mapping[str, Mapping[str, Any]]) -> Iterator[Extension]:
    """One Extension per installed, non-built-in extension. ``manifests``: ID -> manifest JSON."""
    for ext_id, entry in sorted(settings.items()):
        if is_built_in(entry):
            continue
        manifest = entry.get("manifest") if isinstance(entry.get("manifest"), dict) else manifests.get(ext_id, {})
        manifest = manifest if isinstance(manifest, dict) else {}
        if not manifest and not entry.get("active_permissions") and install_location(entry) is None:
            continue  # a leftover preference of an uninstalled extension
        source, words = _source(entry, manifest)
        evidence = {k: entry.get(k) for k in ("location", "from_webstore", "state", "disable_reasons",
                                              "path", "was_installed_by_default", "creation_flags")
                    if entry.get(k) is not None}
        if manifest.get("update_url"):
            evidence["update_url"] = manifest.get("update_url")
        yield Extension(
            ext_id=ext_id,
            name=str(manifest.get("name") or ext_id),
            version=str(manifest.get("version") or ""),
            enabled=_is_enabled(entry),
            source=source,
            source_words=words,
            permissions=extension_permissions(entry, manifest),
            installed=from_chrome_time(entry.get("first_install_time") or entry.get("install_time")),
            evidence=evidence,
        )
