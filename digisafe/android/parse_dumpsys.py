"""Pure parsers of the smaller dumpsys sections: accessibility, notification, device_policy, adb,
account. Text in, plain data out. Each tolerates missing, cut or reordered sections (it returns
what it could read), since phone makers change these dumps between releases.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re

from digisafe.android.snapshot import Account, AdbKey

_COMPONENT = r"[A-Za-z][A-Za-z0-9_.]*/[A-Za-z0-9_.$]+"


def accessibility_enabled(text: str) -> tuple[str, ...]:
    """Enabled services from ``dumpsys accessibility``.

    Android 10-13 print ``Enabled services:{{pkg/cls}, {pkg2/cls2}}`` inside the user state; Android
    14+ print the same key with one set of braces per service. Both are read the same way.
    """
    found: list[str] = []
    for line in text.splitlines():
        head, sep, rest = line.partition("Enabled services:")
        if sep:
            found += re.findall(_COMPONENT, rest)
    return tuple(dict.fromkeys(found))


def notification_listeners(text: str) -> tuple[str, ...]:
    """Listeners the user enabled, from ``dumpsys notification``'s ``enabled for current profiles``
    block (``All notification listeners (N) enabled for current profiles:`` then one per line)."""
    found: list[str] = []
    capture = False
    for line in text.splitlines():
        stripped = line.strip()
        if "notification listeners" in stripped.lower() and "enabled for current profiles" in stripped.lower():
            capture = True
            continue
        if capture:
            match = re.fullmatch(rf"({_COMPONENT})(?: \(user \d+\))?.*", stripped)
            if not match or stripped.endswith(":"):
                capture = False
                continue
            found.append(match.group(1))
    return tuple(dict.fromkeys(found))


def device_policy(text: str) -> dict[str, object]:
    """{"device_owner": pkg | None, "profile_owners": [pkg], "admins": [pkg/cls]}."""
    result: dict[str, object] = {"device_owner": None, "profile_owners": [], "admins": []}
    block = ""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("Device Owner"):
            block = "device"
        elif stripped.startswith("Profile Owner"):
            block = "profile"
        elif stripped.startswith("Enabled Device Admins"):
            block = "admins"
        elif block in ("device", "profile") and stripped.startswith("admin=ComponentInfo{"):
            package = stripped[len("admin=ComponentInfo{") :].split("/", 1)[0]
            if block == "device":
                result["device_owner"] = package
            else:
                result["profile_owners"].append(package)  # type: ignore[union-attr]
        elif block == "admins":
            match = re.fullmatch(rf"({_COMPONENT}):", stripped)
            if match:
                result["admins"].append(match.group(1))  # type: ignore[union-attr]
            elif stripped and not line.startswith("    ") and not stripped.endswith(":"):
                block = ""
    return result


def key_fingerprint(b64_key: str) -> str:
    """MD5 of the decoded public key, colon hex upper-case (what Android shows for a key)."""
    try:
        raw = base64.b64decode(b64_key, validate=True)
    except ValueError:
        return ""
    digest = hashlib.md5(raw).hexdigest().upper()  # noqa: S324 - Android's own key fingerprint
    return ":".join(digest[i : i + 2] for i in range(0, 32, 2))


def _iso_millis(value: str) -> str | None:
    if not value.isdigit():
        return None
    try:
        return dt.datetime.fromtimestamp(int(value) / 1000, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, OSError, ValueError):
        return None


def adb_keys(text: str) -> tuple[list[AdbKey], str | None]:
    """Authorised computers from ``dumpsys adb`` (Android 11+): ``user_keys=`` lines (base64 key,
    space, ``user@host``) and the keystore XML's ``<adbKey key="..." lastConnection="ms" />``.
    Returns the keys and the fingerprint of ``last_key_received`` (this connection) if printed."""
    keys: dict[str, AdbKey] = {}
    for match in re.finditer(r"(?:user_keys=)?\b(QAAAA[A-Za-z0-9+/=]{100,})\s+([^\s\"<>]{1,200})", text):
        fingerprint = key_fingerprint(match.group(1))
        if fingerprint:
            keys.setdefault(fingerprint, AdbKey(fingerprint, match.group(2)))
    for match in re.finditer(r'<adbKey key="([A-Za-z0-9+/=]+)(?: ([^"]*))?" lastConnection="(\d+)"', text):
        fingerprint = key_fingerprint(match.group(1))
        if fingerprint:
            label = match.group(2) or (keys[fingerprint].label if fingerprint in keys else "")
            keys[fingerprint] = AdbKey(fingerprint, label, _iso_millis(match.group(3)))
    last = re.search(r"last_key_received=([0-9A-Fa-f:]{47})", text)
    return list(keys.values()), (last.group(1).upper() if last else None)


def accounts(text: str) -> list[Account]:
    """``Account {name=..., type=...}`` lines of ``dumpsys account`` (user 0 and others)."""
    found = re.findall(r"Account \{name=(.*?), type=([A-Za-z0-9_.\-]+)\}", text)
    unique = dict.fromkeys(Account(type_, name) for name, type_ in found)
    return list(unique)
