"""What the browser parsers return, and the plain-words meaning of extension permissions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping
from urllib.parse import urlsplit

LOCATION, CAMERA, MICROPHONE = "location", "camera", "microphone"


@dataclass(frozen=True)
class SitePermission:
    """A website allowed to use location, camera or microphone."""

    kind: str  # LOCATION, CAMERA or MICROPHONE
    origin: str  # as the browser stores it ("https://maps.example:443", "[*.]example.com")
    setting: str  # where it lives: "profile.content_settings.exceptions.geolocation" / "moz_perms geo"
    granted: str | None = None  # UTC ISO time it was last changed, when the browser records it
    expires: str | None = None  # None: does not expire
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Account:
    """An account a browser profile is signed in to or syncs with."""

    emails: tuple[str, ...]
    provider: str  # "Google account", "Microsoft account", "Mozilla account", "Brave Sync chain"
    syncing: bool
    evidence: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)


# Source of an extension, in the order of concern.
STORE, UNKNOWN, POLICY, EXTERNAL, OUTSIDE_STORE = "store", "unknown", "policy", "added-by-program", "outside-store"


@dataclass(frozen=True)
class Extension:
    ext_id: str
    name: str
    version: str
    enabled: bool
    source: str  # STORE, UNKNOWN, POLICY, EXTERNAL (a store extension pushed by a program) or OUTSIDE_STORE
    source_words: str  # plain words: "the Chrome Web Store", "loaded by hand from a folder"
    permissions: tuple[str, ...]  # API permissions and host patterns together
    installed: str | None = None  # UTC ISO
    evidence: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)


# API permission -> what it lets the extension do, in plain words; most telling first.
POWERFUL_APIS = {
    "history": "read your browsing history",
    "tabs": "see the address and title of every open tab",
    "webRequest": "watch everything the browser sends and receives",
    "webRequestBlocking": "change or block what the browser sends and receives",
    "webNavigation": "see every page you visit",
    "cookies": "read the cookies that keep you logged in to websites",
    "debugger": "take full control of web pages through the debugging interface",
    "proxy": "send all your browsing through a server of its choosing",
    "nativeMessaging": "talk to a program installed on this laptop",
    "management": "see, turn off or install other extensions",
    "desktopCapture": "record your screen",
    "tabCapture": "record what is shown in a tab",
    "clipboardRead": "read what you copy",
    "geolocation": "read this laptop's location",
    "privacy": "change the browser's privacy settings",
    "contentSettings": "change which websites may use your camera, microphone or location",
    "browsingData": "delete browsing history and other traces",
    "sessions": "see recently closed tabs and tabs open on your other devices",
    "pageCapture": "save copies of the pages you visit",
    "downloads": "see and start downloads",
    "bookmarks": "read your bookmarks",
    "topSites": "see the websites you visit most",
    "declarativeNetRequestFeedback": "see which requests it blocked or changed",
    "webAuthenticationProxy": "stand in for your security keys and passkeys",
    "enterprise.deviceAttributes": "read this device's identity",
}
ALL_SITES_WORDS = "read and change everything on every website you visit"

_ALL_SITES = re.compile(r"^(\*|https?|wss?|ftp|file)://\*(/.*)?$")


def is_all_sites(pattern: str) -> bool:
    return pattern == "<all_urls>" or bool(_ALL_SITES.match(pattern))


def powers(permissions: tuple[str, ...]) -> list[tuple[str, str]]:
    """(permission, plain words) for each powerful permission, all-sites access first."""
    found: list[tuple[str, str]] = []
    sites = [p for p in permissions if is_all_sites(p)]
    if sites:
        found.append((sites[0], ALL_SITES_WORDS))
    granted = set(permissions)
    found.extend((perm, words) for perm, words in POWERFUL_APIS.items() if perm in granted)  # by concern
    return found


def site_name(origin: str) -> str:
    """'https://maps.example:443' -> 'maps.example'; '[*.]example.com' -> 'example.com'."""
    # NOTE: Firefox appends origin attributes after "^" ("https://a.example^userContextId=2" for a
    # container tab); they are not part of the website's name.
    text = origin.strip().split("^", 1)[0]
    if "://" not in text:
        text = "//" + text
    try:
        host = urlsplit(text.replace("[*.]", "")).hostname or ""
    except ValueError:
        host = ""
    return host or origin.strip() or "an unnamed website"


def is_every_site(origin: str) -> bool:
    """A site rule whose pattern matches every website ('*', 'https://*:443', '[*.]*')."""
    return site_name(origin) == "*" or origin.strip() in ("*://*", "*://*/*", "<all_urls>")


def display_origin(origin: str) -> str:
    """'https://maps.example:443' -> 'https://maps.example' (the default port says nothing)."""
    for scheme, port in (("https://", ":443"), ("http://", ":80")):
        if origin.startswith(scheme) and origin.endswith(port):
            return origin[: -len(port)]
    return origin


def permission_strings(values: Any) -> list[str]:
    """A JSON list of permissions (strings, or objects like {"socket": [...]}) as strings."""
    if not isinstance(values, list):
        return []
    out: list[str] = []
    for value in values:
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            out.extend(str(k) for k in value)
    return out


def dig(data: Any, *keys: str) -> Any:
    """data[k1][k2]... or None when any level is missing or not a JSON object."""
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data
