"""Pure parsers and shared wording for the system-settings checks (location, remote access, accounts).

The checks in ``checks/`` that read operating-system settings keep their parsing here, one module per
operating system (``linux``, ``macos``, ``windows``) plus ``accounts`` for local user accounts. Every
function takes text, bytes or plain data and returns plain data: no Context, no file system, so each
can be tested (and fuzzed) on its own. Parsers never raise on odd input: settings files on real
machines are often older, newer or hand-edited versions of the format.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from digisafe.core.check import SAFETY_CAUTION

# Said on every finding about a setting the person might want to switch off.
CHANGE_CAUTION = (
    "Changing this setting may be noticed by the other person (they may stop seeing your location or "
    "lose their way in). If that could be dangerous, talk to a stalking advocate (ISAC) first and "
    "plan it together."
)

_FILETIME_EPOCH = datetime(1601, 1, 1, tzinfo=timezone.utc)
_MAC_EPOCH = datetime(2001, 1, 1, tzinfo=timezone.utc)
_EARLIEST = datetime(1990, 1, 1, tzinfo=timezone.utc)
_LATEST = datetime(2200, 1, 1, tzinfo=timezone.utc)


def advice(what_to_do: str) -> str:
    """What to do, then the change caution, then the general safety caution."""
    return f"{what_to_do.rstrip()} {CHANGE_CAUTION} {SAFETY_CAUTION}"


def _iso(moment: datetime) -> str | None:
    if not (_EARLIEST <= moment < _LATEST):
        return None
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def filetime_to_iso(value: object) -> str | None:
    """A Windows FILETIME (100 ns ticks since 1601-01-01 UTC) as ISO 8601 UTC; None if 0 or absurd."""
    if isinstance(value, bytes) and len(value) == 8:
        value = int.from_bytes(value, "little")
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        return None
    try:
        return _iso(_FILETIME_EPOCH + timedelta(microseconds=value // 10))
    except OverflowError:
        return None


def unix_to_iso(value: object) -> str | None:
    """Seconds since 1970-01-01 UTC as ISO 8601; None when not a plausible time."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        return None
    try:
        return _iso(datetime.fromtimestamp(float(value), timezone.utc))
    except (OverflowError, OSError, ValueError):
        return None


def mac_absolute_to_iso(value: object) -> str | None:
    """Apple 'absolute time' (seconds since 2001-01-01 UTC) as ISO 8601; None when implausible."""
    if isinstance(value, datetime):
        return _iso(value if value.tzinfo else value.replace(tzinfo=timezone.utc))
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        return None
    try:
        return _iso(_MAC_EPOCH + timedelta(seconds=float(value)))
    except (OverflowError, ValueError):
        return None
