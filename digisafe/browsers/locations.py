"""Where each browser keeps its profiles on Linux, macOS and Windows.

Paths go through ``ctx.files`` (``~`` and environment variables map into the real machine or a
fake root), so nothing here builds a system path by hand or looks at ``sys.platform``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from digisafe.core.context import Context

CHROMIUM = "chromium"
FIREFOX = "firefox"


@dataclass(frozen=True)
class BrowserHome:
    """One browser installation's data folder (Chromium "User Data", Firefox profiles root)."""

    browser: str  # shown to people: "Google Chrome", "Firefox (Snap)"
    engine: str  # CHROMIUM or FIREFOX
    path: Path


# (browser, path relative to the base) per platform. Base "~" on Linux/macOS; on Windows the
# first element names the environment variable and its usual place under the home folder.
_LINUX = (
    ("Google Chrome", CHROMIUM, "~/.config/google-chrome"),
    ("Google Chrome Beta", CHROMIUM, "~/.config/google-chrome-beta"),
    ("Google Chrome Dev", CHROMIUM, "~/.config/google-chrome-unstable"),
    ("Google Chrome (Flatpak)", CHROMIUM, "~/.var/app/com.google.Chrome/config/google-chrome"),
    ("Chromium", CHROMIUM, "~/.config/chromium"),
    ("Chromium (Snap)", CHROMIUM, "~/snap/chromium/common/chromium"),
    ("Chromium (Flatpak)", CHROMIUM, "~/.var/app/org.chromium.Chromium/config/chromium"),
    ("Microsoft Edge", CHROMIUM, "~/.config/microsoft-edge"),
    ("Microsoft Edge Beta", CHROMIUM, "~/.config/microsoft-edge-beta"),
    ("Microsoft Edge Dev", CHROMIUM, "~/.config/microsoft-edge-dev"),
    ("Microsoft Edge (Flatpak)", CHROMIUM, "~/.var/app/com.microsoft.Edge/config/microsoft-edge"),
    ("Brave", CHROMIUM, "~/.config/BraveSoftware/Brave-Browser"),
    ("Brave (Snap)", CHROMIUM, "~/snap/brave/current/.config/BraveSoftware/Brave-Browser"),
    ("Brave (Flatpak)", CHROMIUM, "~/.var/app/com.brave.Browser/config/BraveSoftware/Brave-Browser"),
    ("Vivaldi", CHROMIUM, "~/.config/vivaldi"),
    ("Opera", CHROMIUM, "~/.config/opera"),
    ("Firefox", FIREFOX, "~/.mozilla/firefox"),
    ("Firefox", FIREFOX, "~/.config/mozilla/firefox"),  # NOTE: newer Firefox builds honour XDG
    ("Firefox (Snap)", FIREFOX, "~/snap/firefox/common/.mozilla/firefox"),
    ("Firefox (Flatpak)", FIREFOX, "~/.var/app/org.mozilla.firefox/.mozilla/firefox"),
)

_MAC_SUPPORT = "~/Library/Application Support/"
_DARWIN = tuple((name, engine, _MAC_SUPPORT + rel) for name, engine, rel in (
    ("Google Chrome", CHROMIUM, "Google/Chrome"),
    ("Google Chrome Beta", CHROMIUM, "Google/Chrome Beta"),
    ("Google Chrome Canary", CHROMIUM, "Google/Chrome Canary"),
    ("Chromium", CHROMIUM, "Chromium"),
    ("Microsoft Edge", CHROMIUM, "Microsoft Edge"),
    ("Microsoft Edge Beta", CHROMIUM, "Microsoft Edge Beta"),
    ("Brave", CHROMIUM, "BraveSoftware/Brave-Browser"),
    ("Vivaldi", CHROMIUM, "Vivaldi"),
    ("Opera", CHROMIUM, "com.operasoftware.Opera"),
    ("Firefox", FIREFOX, "Firefox"),
))

_WINDOWS_BASES = {"LOCALAPPDATA": "~/AppData/Local", "APPDATA": "~/AppData/Roaming"}
_WINDOWS = (
    ("Google Chrome", CHROMIUM, "LOCALAPPDATA", "Google/Chrome/User Data"),
    ("Google Chrome Beta", CHROMIUM, "LOCALAPPDATA", "Google/Chrome Beta/User Data"),
    ("Google Chrome Canary", CHROMIUM, "LOCALAPPDATA", "Google/Chrome SxS/User Data"),
    ("Chromium", CHROMIUM, "LOCALAPPDATA", "Chromium/User Data"),
    ("Microsoft Edge", CHROMIUM, "LOCALAPPDATA", "Microsoft/Edge/User Data"),
    ("Microsoft Edge Beta", CHROMIUM, "LOCALAPPDATA", "Microsoft/Edge Beta/User Data"),
    ("Brave", CHROMIUM, "LOCALAPPDATA", "BraveSoftware/Brave-Browser/User Data"),
    ("Vivaldi", CHROMIUM, "LOCALAPPDATA", "Vivaldi/User Data"),
    ("Opera", CHROMIUM, "APPDATA", "Opera Software/Opera Stable"),
    ("Firefox", FIREFOX, "APPDATA", "Mozilla/Firefox"),
)


def _windows_bases(ctx: Context, variable: str) -> list[Path]:
    """The folder an environment variable names, then its usual place under the home folder."""
    bases = []
    value = ctx.files.env(variable)
    if value:
        mapped = ctx.files.path(value)
        # NOTE: only trust the variable when it maps to an absolute path: a Windows drive path
        # read on another OS (tests, captured data) would otherwise become relative to the cwd.
        if mapped.is_absolute():
            bases.append(mapped)
    bases.append(ctx.files.path(_WINDOWS_BASES[variable]))
    return bases


def browser_homes(ctx: Context) -> tuple[BrowserHome, ...]:
    """Every place this platform's browsers may keep profiles (existing or not), without repeats."""
    homes: list[BrowserHome] = []
    if ctx.platform == "windows":
        for name, engine, variable, rel in _WINDOWS:
            for base in _windows_bases(ctx, variable):
                homes.append(BrowserHome(name, engine, base.joinpath(*rel.split("/"))))
    else:
        table = _DARWIN if ctx.platform == "macos" else _LINUX
        homes = [BrowserHome(name, engine, ctx.files.path(where)) for name, engine, where in table]
    seen: set[str] = set()
    unique = []
    for home in homes:
        key = os.path.normcase(str(home.path))
        if key not in seen:
            seen.add(key)
            unique.append(home)
    return tuple(unique)
