"""Pure parsers for Firefox profile data: permissions.sqlite rows, prefs.js, signedInUser.json and
extensions.json. Input is rows/text/parsed JSON; output is data from digisafe.browsers.model."""

from __future__ import annotations

import json
import re
import sqlite3
from typing import Any, Iterable, Iterator, Mapping
from urllib.parse import urlsplit

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
from digisafe.browsers.readers import from_unix_ms

# moz_perms.type -> what it grants; moz_perms.permission 1 = ALLOW_ACTION.
PERMISSION_TYPES = {"geo": LOCATION, "camera": CAMERA, "microphone": MICROPHONE}
ALLOW = 1
EXPIRE_TIME = 2  # expireType: 0 never, 1 end of session, 2 at expireTime (ms since 1970)
_QUERY = ("SELECT origin, type, permission, expireType, expireTime, modificationTime FROM moz_perms "
          "WHERE type IN ('geo', 'camera', 'microphone') AND permission = 1")


class NotAPermissionsDatabase(ValueError):
    """permissions.sqlite without the moz_perms table (a very old or foreign file)."""


def query_permissions(conn: sqlite3.Connection) -> list[tuple[Any, ...]]:
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "moz_perms" not in tables:
        raise NotAPermissionsDatabase("no moz_perms table (Firefox older than version 42, or not Firefox's)")
    columns = {row[1] for row in conn.execute("PRAGMA table_info(moz_perms)")}
    if not {"origin", "type", "permission"} <= columns:
        raise NotAPermissionsDatabase("moz_perms lacks the origin/type/permission columns")
    select = _QUERY
    for optional in ("expireType", "expireTime", "modificationTime"):
        if optional not in columns:
            select = select.replace(optional, "NULL")
    return list(conn.execute(select))


def site_permissions(rows: Iterable[tuple[Any, ...]], now: float) -> list[SitePermission]:
    found = []
    for origin, ptype, permission, expire_type, expire_time, modified in rows:
        kind = PERMISSION_TYPES.get(str(ptype))
        if kind is None or permission != ALLOW:
            continue
        expires = None
        if expire_type == EXPIRE_TIME and isinstance(expire_time, (int, float)):
            if expire_time / 1000.0 < now:
                continue  # expired: Firefox no longer honours it
            expires = from_unix_ms(expire_time)
        found.append(SitePermission(
            kind=kind,
            origin=str(origin),
            setting=f"moz_perms type={ptype} permission=1",
            granted=from_unix_ms(modified),
            expires=expires,
            raw={"expireType": expire_type, "expireTime": expire_time, "modificationTime": modified},
        ))
    return found


# NOTE: Firefox's preference parser also accepts single-quoted names and strings, "pref(" and
# "sticky_pref(" besides "user_pref(" (people write user.js by hand), and spaces anywhere.
_QUOTED_TEXT = r""""(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'"""
_PREF_START = re.compile(r"^[ \t]*(?:user_|sticky_)?pref[ \t]*\([ \t]*(" + _QUOTED_TEXT + r")[ \t]*,", re.MULTILINE)
_QUOTED = re.compile(_QUOTED_TEXT)


def _pref_value(token: str) -> Any:
    token = token.strip()
    if token[:1] == "'" and token[-1:] == "'":
        body = token[1:-1].replace("\\'", "'").replace('"', '\\"')
        token = f'"{body}"'
    try:
        return json.loads(token)
    except ValueError:
        return token


def _value_after(text: str, at: int) -> str:
    """The value token of a pref line, read from ``at`` to the closing bracket on that line."""
    line_end = text.find("\n", at)
    rest = text[at:] if line_end < 0 else text[at:line_end]
    stripped = rest.lstrip()
    quoted = _QUOTED.match(stripped)
    if quoted:
        return quoted.group(0)
    return stripped.split(")", 1)[0]  # true, false or a number


def parse_prefs(text: str, wanted: Iterable[str]) -> dict[str, Any]:
    """The wanted user_pref(...) values of a prefs.js/user.js (true/false/numbers/strings)."""
    names = set(wanted)
    values: dict[str, Any] = {}
    for match in _PREF_START.finditer(text):
        name = _pref_value(match.group(1))
        if name in names:
            values[name] = _pref_value(_value_after(text, match.end()))
    return values


DEFAULT_PREFS = {"permissions.default.geo": LOCATION, "permissions.default.camera": CAMERA,
                 "permissions.default.microphone": MICROPHONE}
# NOTE: switches meant for testing that work in release Firefox (checked with 153 ESR): with them
# every website gets camera and microphone, or location, without a prompt and nothing is written
# to permissions.sqlite. Someone with the laptop for a minute can add them to user.js.
SILENT_MEDIA = "media.navigator.permission.disabled"
SILENT_GEO = ("geo.prompt.testing", "geo.prompt.testing.allow")
WANTED_PREFS = (*DEFAULT_PREFS, "geo.enabled", SILENT_MEDIA, *SILENT_GEO)


def default_allowed(prefs: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(kind, pref) for location/camera/microphone allowed for EVERY site without asking."""
    found = [(kind, name) for name, kind in DEFAULT_PREFS.items() if prefs.get(name) == ALLOW]
    if prefs.get(SILENT_MEDIA) is True:
        found += [(CAMERA, SILENT_MEDIA), (MICROPHONE, SILENT_MEDIA)]
    if all(prefs.get(name) is True for name in SILENT_GEO):
        found.append((LOCATION, " + ".join(SILENT_GEO)))
    if prefs.get("geo.enabled") is False:
        found = [(kind, name) for kind, name in found if kind != LOCATION]
    return found


def account(signed_in: Any, prefs: Mapping[str, Any]) -> Account | None:
    """The Mozilla account from signedInUser.json (and prefs.js services.sync.username)."""
    emails: list[str] = []
    for value in (dig(signed_in, "accountData", "email"), prefs.get("services.sync.username")):
        if isinstance(value, str) and "@" in value and value not in emails:
            emails.append(value)
    if not emails:
        return None
    # NOTE: evidence never includes tokens or keys from signedInUser.json: only who and whether.
    evidence = {"accountData.email": dig(signed_in, "accountData", "email"),
                "accountData.verified": dig(signed_in, "accountData", "verified"),
                "services.sync.username": prefs.get("services.sync.username")}
    evidence = {k: v for k, v in evidence.items() if v is not None}
    # NOTE: signedInUser.json only says the profile is signed in ("verified" is the account's email
    # check); Firefox can be signed in without Sync (Send Tab, Relay). Sync sets services.sync.username.
    syncing = bool(prefs.get("services.sync.username"))
    return Account(tuple(emails), "Mozilla account", syncing, evidence)


# ---- extensions -------------------------------------------------------------------------------

BUILT_IN_LOCATIONS = {"app-builtin", "app-builtin-addons", "app-system-defaults", "app-system-addons",
                      "app-system-profile"}


def is_built_in(addon: Mapping[str, Any]) -> bool:
    # NOTE: Firefox 153 ESR ships its own add-ons (webcompat, formautofill...) in
    # "app-builtin-addons"; any future "app-builtin*" location is Mozilla's too.
    location = str(addon.get("location") or "")
    return location in BUILT_IN_LOCATIONS or location.startswith("app-builtin") or addon.get("isBuiltin") is True
_SIDELOAD_WORDS = {
    "app-global": "added by a program into Firefox's own folder",
    "app-system-share": "added by a program into a shared system folder",
    "app-system-local": "added by a program into a system folder",
    "app-system-user": "added by a program into your user folder",
    "winreg-app-user": "added by a program through the Windows registry",
    "winreg-app-global": "added by a program through the Windows registry",
    "app-temporary": "loaded temporarily by hand (about:debugging)",
}
_AMO_HOSTS = ("addons.mozilla.org", "addons.cdn.mozilla.net")
_UNSIGNED = {-2, -1, 0}  # broken, unknown, missing signature


_FILE_METHODS = ("install-from-file", "drag-and-drop", "file-url")


def _source(addon: Mapping[str, Any]) -> tuple[str, str]:
    location = str(addon.get("location") or "")
    if location in _SIDELOAD_WORDS:
        return OUTSIDE_STORE, _SIDELOAD_WORDS[location]
    telemetry = addon.get("installTelemetryInfo")
    telemetry = telemetry if isinstance(telemetry, dict) else {}
    # NOTE: Firefox records {"source": <where from>, "method": <how>}: e.g. {"source": "amo",
    # "method": "amWebAPI"}, {"source": "about:addons", "method": "install-from-file"}, and for an
    # XPI dropped into a profile's extensions/ folder by another program {"source": "app-profile",
    # "method": "sideload"} with "foreignInstall": true (seen with Firefox 153 ESR).
    source, method = str(telemetry.get("source") or ""), str(telemetry.get("method") or "")
    if source == "enterprise-policy":
        return POLICY, "installed by a policy (set by an administrator of this laptop or an employer)"
    if addon.get("foreignInstall") is True or method == "sideload":
        return OUTSIDE_STORE, "added by another program, not installed from within Firefox"
    if source == "distribution":
        return EXTERNAL, "added to Firefox's installation folder (by whoever packaged Firefox, or by another program)"
    signed = addon.get("signedState")
    if isinstance(signed, int) and not isinstance(signed, bool) and signed in _UNSIGNED:
        return OUTSIDE_STORE, "not signed by Mozilla"
    source_uri = str(addon.get("sourceURI") or "")
    try:
        parts = urlsplit(source_uri)
        host, scheme = parts.hostname or "", parts.scheme
    except ValueError:
        host, scheme = "", ""
    if scheme == "file" or method in _FILE_METHODS or source in ("file-url", "temporary-addon"):
        return OUTSIDE_STORE, "installed from a file, not from addons.mozilla.org"
    if host.endswith(_AMO_HOSTS) or (not source_uri and source in ("amo", "disco", "about:addons")):
        return STORE, "the Firefox Add-ons site (addons.mozilla.org)"
    if source_uri:
        return OUTSIDE_STORE, "installed from another website, not from addons.mozilla.org"
    # NOTE: add-ons installed before Firefox recorded install telemetry have neither field.
    return UNKNOWN, "not recorded (signed by Mozilla, but where it was installed from is unknown)"


def extensions(data: Any) -> Iterator[Extension]:
    """Installed add-ons of type 'extension' from extensions.json, built-in ones left out."""
    addons = dig(data, "addons")
    for addon in addons if isinstance(addons, list) else []:
        if not isinstance(addon, dict) or addon.get("type") not in ("extension", "webextension", None):
            continue
        if is_built_in(addon):
            continue
        ext_id = str(addon.get("id") or "")
        if not ext_id:
            continue
        perms = permission_strings(dig(addon, "userPermissions", "permissions"))
        perms += permission_strings(dig(addon, "userPermissions", "origins"))
        source, words = _source(addon)
        evidence = {k: addon.get(k) for k in ("location", "signedState", "sourceURI", "active", "userDisabled",
                                              "appDisabled", "foreignInstall", "seen", "path")
                    if addon.get(k) is not None}
        if isinstance(addon.get("installTelemetryInfo"), dict):
            for key in ("source", "method"):
                if addon["installTelemetryInfo"].get(key) is not None:
                    evidence[f"installTelemetryInfo.{key}"] = addon["installTelemetryInfo"][key]
        enabled = addon.get("active") is not False and addon.get("userDisabled") is not True
        yield Extension(
            ext_id=ext_id,
            name=str(dig(addon, "defaultLocale", "name") or ext_id),
            version=str(addon.get("version") or ""),
            enabled=enabled,
            source=source,
            source_words=words,
            permissions=tuple(dict.fromkeys(perms)),
            installed=from_unix_ms(addon.get("installDate")),
            evidence=evidence,
        )
