"""Readers for Windows settings held in the registry: the privacy consent store (location, camera,
microphone), accounts and enrolments, Remote Desktop. They take a ``RegistrySource`` (the real
winreg one on Windows, a FakeRegistry tree in tests) and return plain data; they never raise on
odd values, because registry contents vary between Windows builds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping

from digisafe.core.context import RegistrySource
from digisafe.settings import filetime_to_iso

CONSENT_STORE = r"SOFTWARE\Microsoft\Windows\CurrentVersion\CapabilityAccessManager\ConsentStore"


def reg_values(registry: RegistrySource, key: str) -> Mapping[str, Any]:
    """A key's values, {} when the key is missing or unreadable."""
    try:
        return registry.values(key) or {}
    except OSError:
        return {}


def reg_subkeys(registry: RegistrySource, key: str) -> list[str]:
    try:
        return list(registry.subkeys(key) or [])
    except OSError:
        return []


def as_int(value: Any) -> int | None:
    """DWORD/QWORD as int; also accepts little-endian bytes and decimal strings."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, bytes) and 1 <= len(value) <= 8:
        return int.from_bytes(value, "little")
    # NOTE: str.isdigit() accepts digits such as '¹' that int() refuses: match ASCII digits only.
    if isinstance(value, str) and re.fullmatch(r"\s*-?[0-9]+\s*", value):
        return int(value.strip())
    return None


def as_text(value: Any) -> str:
    if isinstance(value, bytes):
        try:
            return value.decode("utf-16-le").rstrip("\0").strip()
        except UnicodeDecodeError:
            return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(as_text(v) for v in value)
    return "" if value is None else str(value).strip()


@dataclass(frozen=True)
class AppConsent:
    name: str  # package family name, or the program's path for desktop apps
    desktop: bool  # True for the NonPackaged branch (ordinary .exe programs)
    value: str  # "Allow", "Deny" or "" when not set
    last_start: str | None  # ISO 8601 UTC
    last_stop: str | None
    last_start_raw: int | None
    last_stop_raw: int | None

    @property
    def in_use(self) -> bool:
        # NOTE: a start time with a zero stop time is commonly read as "using it right now".
        return bool(self.last_start_raw) and self.last_stop_raw == 0


@dataclass(frozen=True)
class Consent:
    capability: str
    device: str  # HKLM Value: "Allow"/"Deny"/"" (missing)
    user: str  # HKCU Value
    desktop_apps: str  # HKCU ...\NonPackaged Value
    apps: tuple[AppConsent, ...]


def _app(registry: RegistrySource, key: str, name: str, desktop: bool) -> AppConsent:
    values = reg_values(registry, key)
    start, stop = as_int(values.get("LastUsedTimeStart")), as_int(values.get("LastUsedTimeStop"))
    # NOTE: desktop programs are stored with '\' replaced by '#' in the key name.
    shown = name.replace("#", "\\") if desktop else name
    return AppConsent(shown, desktop, as_text(values.get("Value")), filetime_to_iso(start), filetime_to_iso(stop),
                      start, stop)


def read_consent(registry: RegistrySource, capability: str) -> Consent:
    """Device, user and desktop-app switches and every app entry for one capability."""
    user_key = rf"HKCU\{CONSENT_STORE}\{capability}"
    apps = []
    for name in reg_subkeys(registry, user_key):
        if name.lower() == "nonpackaged":
            continue
        apps.append(_app(registry, rf"{user_key}\{name}", name, desktop=False))
    for name in reg_subkeys(registry, rf"{user_key}\NonPackaged"):
        apps.append(_app(registry, rf"{user_key}\NonPackaged\{name}", name, desktop=True))
    return Consent(
        capability,
        as_text(reg_values(registry, rf"HKLM\{CONSENT_STORE}\{capability}").get("Value")),
        as_text(reg_values(registry, user_key).get("Value")),
        as_text(reg_values(registry, rf"{user_key}\NonPackaged").get("Value")),
        tuple(apps),
    )


_ODD_PLACES = re.compile(r"\\(appdata|temp|tmp|users\\public|programdata|downloads)\\", re.IGNORECASE)


def unusual_program_path(path: str) -> bool:
    """Programs normally live in Program Files or Windows; user-writable folders are a warning sign."""
    return bool(_ODD_PLACES.search(path))


def parse_net_list(text: str) -> list[str]:
    """Names printed by ``net user`` / ``net localgroup X``: the block after the dashed line.

    ``net user`` packs several names per line in 25-character columns; ``net localgroup`` prints one
    member per line. The closing line ("The command completed successfully.", localised) ends with
    a full stop, which a Windows account name never does.
    """
    lines = (text or "").splitlines()
    start = next((i for i, line in enumerate(lines) if re.fullmatch(r"-{10,}\s*", line)), None)
    if start is None:
        return []
    names: list[str] = []
    for line in lines[start + 1:]:
        stripped = line.strip()
        if not stripped or stripped.endswith("."):
            continue
        if len(line) > 25 and "\\" not in line and re.search(r"\S\s{2,}\S", line):
            names.extend(cell.strip() for cell in re.split(r"\s{2,}", stripped) if cell.strip())
        else:
            names.append(stripped)
    return names
