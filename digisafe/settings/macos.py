"""Parsers for macOS settings: ``nvram -x -p`` (Find My Mac), MobileMeAccounts.plist (iCloud),
``profiles`` output (MDM and configuration profiles), launchd's disabled list, and locationd's
clients.plist. Property lists arrive as bytes or as already-loaded data; nothing here reads a file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping

FMM_TOKEN = "fmm-mobileme-token-FMM"
FMM_NAME = "fmm-computer-name"


def load_plist(data: bytes) -> Any:
    """plistlib.loads that returns None instead of raising on damaged or foreign data."""
    import plistlib

    try:
        return plistlib.loads(data)
    except Exception:  # noqa: BLE001 - plistlib raises many types on damaged input
        return None


def parse_nvram_xml(text: str) -> dict[str, Any]:
    """``nvram -x -p`` prints one XML plist of variable name -> data/string. {} when unreadable."""
    loaded = load_plist((text or "").encode("utf-8", "replace"))
    return dict(loaded) if isinstance(loaded, dict) else {}


def _nvram_value(nvram: Mapping[str, Any], name: str) -> Any:
    # NOTE: some Macs print variables with their GUID namespace ("<GUID>:name").
    for key, value in nvram.items():
        if key == name or key.endswith(":" + name):
            return value
    return None


@dataclass(frozen=True)
class FindMyMac:
    enabled: bool
    apple_id: str = ""  # the account the Mac is locked to ("" when the token could not be read)
    owner_name: str = ""
    computer_name: str = ""
    problem: str = ""
    person_id: str = ""  # the account's numeric ID (DSID), to match even if its email changed


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.split(b"\0", 1)[0].decode("utf-8", "replace").strip()
    return str(value).strip() if value is not None else ""


def parse_find_my(nvram: Mapping[str, Any]) -> FindMyMac:
    """Whether Find My Mac is on (the token variable exists) and which Apple Account it names."""
    token = _nvram_value(nvram, FMM_TOKEN)
    name = _text(_nvram_value(nvram, FMM_NAME))
    if token is None:
        return FindMyMac(False, computer_name=name)
    raw = token if isinstance(token, bytes) else str(token).encode("utf-8", "replace")
    inner = load_plist(raw)
    if not isinstance(inner, dict):
        return FindMyMac(True, computer_name=name, problem="the Find My token could not be decoded")
    user_info = inner.get("userInfo") if isinstance(inner.get("userInfo"), dict) else {}
    owner = " ".join(_text(user_info.get(k)) for k in ("InUseOwnerFirstName", "InUseOwnerLastName")).strip()
    owner = owner or _text(user_info.get("InUseOwnerDisplayName"))
    apple_id = _text(inner.get("username"))
    return FindMyMac(True, apple_id, owner, name, "" if apple_id else "the Find My token names no account",
                     _text(inner.get("personID")))


@dataclass(frozen=True)
class ICloudAccount:
    account_id: str
    display_name: str = ""
    services: tuple[str, ...] = ()  # names of enabled services, e.g. FIND_MY_MAC, MOBILE_DOCUMENTS
    logged_in: bool | None = None
    dsid: str = ""


def parse_mobileme_accounts(data: Any) -> list[ICloudAccount]:
    """Accounts[] of ~/Library/Preferences/MobileMeAccounts.plist (loaded plist data)."""
    accounts = data.get("Accounts") if isinstance(data, dict) else None
    found = []
    for entry in accounts if isinstance(accounts, list) else []:
        if not isinstance(entry, dict) or not _text(entry.get("AccountID")):
            continue
        services = []
        listed = entry.get("Services")
        for service in listed if isinstance(listed, list) else []:
            if isinstance(service, dict) and service.get("Enabled") in (True, 1) and service.get("Name"):
                services.append(_text(service["Name"]))
        logged = entry.get("LoggedIn")
        found.append(ICloudAccount(_text(entry["AccountID"]), _text(entry.get("DisplayName")), tuple(services),
                                   bool(logged) if isinstance(logged, (bool, int)) else None,
                                   _text(entry.get("AccountDSID"))))
    return found


def same_account(a: str, b: str) -> bool:
    """Apple Account IDs compare case-insensitively (emails); phone numbers ignore punctuation."""
    norm = [re.sub(r"[\s()+-]", "", x.strip().lower()) if "@" not in x else x.strip().lower() for x in (a, b)]
    return bool(norm[0]) and norm[0] == norm[1]


# ---- profiles ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class EnrollmentStatus:
    dep: bool | None  # enrolled via DEP / Automated Device Enrollment
    mdm: bool | None
    user_approved: bool
    server: str = ""
    raw: dict[str, str] = field(default_factory=dict)


def _yes(value: str | None) -> bool | None:
    if value is None:
        return None
    return value.strip().lower().startswith("yes")


def parse_enrollment_status(text: str) -> EnrollmentStatus:
    """``profiles status -type enrollment``: 'Enrolled via DEP: No', 'MDM enrollment: Yes (User Approved)'."""
    raw: dict[str, str] = {}
    for line in (text or "").splitlines():
        key, sep, value = line.partition(":")
        if sep:
            raw[key.strip().lower()] = value.strip()
    mdm_text = raw.get("mdm enrollment")
    server = raw.get("mdm server", "")
    return EnrollmentStatus(_yes(raw.get("enrolled via dep")), _yes(mdm_text),
                            "user approved" in (mdm_text or "").lower(), server, raw)


@dataclass(frozen=True)
class ConfigProfile:
    scope: str  # "_computerlevel" or a user name
    identifier: str
    name: str
    organization: str = ""
    installed: str = ""
    attributes: dict[str, str] = field(default_factory=dict)


_PROFILE_LINE = re.compile(r"^\s*(\S+?)\[(\d+)\]\s+attribute:\s*([A-Za-z]+):\s?(.*)$")


def parse_profiles_list(text: str) -> list[ConfigProfile]:
    """``profiles list`` / ``profiles show -type configuration``: '<scope>[N] attribute: key: value'."""
    grouped: dict[tuple[str, str], dict[str, str]] = {}
    for line in (text or "").splitlines():
        match = _PROFILE_LINE.match(line)
        if match:
            scope, index, key, value = match.groups()
            grouped.setdefault((scope, index), {})[key] = value.strip()
    profiles = []
    for (scope, _index), attrs in grouped.items():
        identifier = attrs.get("profileIdentifier", "")
        name = attrs.get("profileDisplayName") or attrs.get("name") or identifier
        # NOTE: "profiles list" names attributes profileOrganization/profileInstallDate; the verbose
        # "profiles show -type configuration" (and old "profiles -P -v") says organization/installationDate.
        organization = attrs.get("profileOrganization") or attrs.get("organization", "")
        installed = attrs.get("profileInstallDate") or attrs.get("installationDate", "")
        profiles.append(ConfigProfile(scope, identifier, name, organization, installed, attrs))
    return profiles


def needs_root(result_text: str) -> bool:
    text = (result_text or "").lower()
    return "root" in text or "permission" in text or "not permitted" in text or "privilege" in text


# ---- launchd and remote access ----------------------------------------------------------------

def parse_disabled_plist(data: Any) -> dict[str, bool]:
    """/var/db/com.apple.xpc.launchd/disabled.plist: label -> True when the job is disabled."""
    if not isinstance(data, dict):
        return {}
    return {str(k): bool(v) for k, v in data.items() if isinstance(v, (bool, int))}


_PRINT_DISABLED = re.compile(r'^\s*"([^"]+)"\s*=>\s*(\w+)')


def parse_print_disabled(text: str) -> dict[str, bool]:
    """``launchctl print-disabled system``: '"label" => disabled|enabled' (older: true|false = disabled)."""
    found = {}
    for line in (text or "").splitlines():
        match = _PRINT_DISABLED.match(line)
        if match:
            label, state = match.groups()
            if state in ("disabled", "true"):
                found[label] = True
            elif state in ("enabled", "false"):
                found[label] = False
    return found


# ---- Location Services ------------------------------------------------------------------------

@dataclass(frozen=True)
class LocationClient:
    key: str
    bundle_id: str
    path: str  # BundlePath or Executable
    allowed: bool | None  # None when the value is not understood
    authorization: str  # plain words
    last_stopped: Any = None  # LocationTimeStopped as stored (Apple absolute time)


# NOTE: clients.plist stores Authorized as a boolean on many versions; newer ones use the
# CLAuthorizationStatus numbers (0 not asked, 1 restricted, 2 denied, 3 always, 4 while using).
_AUTH_NUMBERS = {0: (False, "not asked yet"), 1: (False, "restricted"), 2: (False, "denied"),
                 3: (True, "always"), 4: (True, "while the app is in use")}


def _authorization(entry: Mapping[str, Any]) -> tuple[bool | None, str]:
    for key in ("AuthorizationStatus", "Authorized", "Authorization"):
        value = entry.get(key)
        if isinstance(value, bool):
            return value, "allowed" if value else "not allowed"
        if isinstance(value, int):
            return _AUTH_NUMBERS.get(value, (None, f"unknown value {value}"))
    return None, "not recorded"


def parse_location_clients(data: Any) -> list[LocationClient]:
    """Per-app entries of /var/db/locationd/clients.plist (loaded plist data)."""
    if not isinstance(data, dict):
        return []
    clients = []
    for key, entry in data.items():
        if not isinstance(entry, dict):
            continue
        allowed, words = _authorization(entry)
        bundle = _text(entry.get("BundleId"))
        path = _text(entry.get("BundlePath") or entry.get("Executable"))
        clients.append(LocationClient(str(key), bundle, path, allowed, words, entry.get("LocationTimeStopped")))
    return clients


def location_services_enabled(data: Any) -> bool | None:
    """LocationServicesEnabled from locationd's ByHost preferences; None when absent."""
    if isinstance(data, dict) and isinstance(data.get("LocationServicesEnabled"), (bool, int)):
        return bool(data["LocationServicesEnabled"])
    return None
