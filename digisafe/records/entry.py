"""What an incident entry holds: the fields police and the CPS ask for, and the two times.

Sources (docs/records.md): Suzy Lamplugh Trust, Paladin, police incident diaries. "When it
happened" (with its time zone) and "when it was recorded" are both kept: an entry made at the time
counts most (s.139 Criminal Justice Act 2003: memory refreshed from a note made at the time).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any

from digisafe.core.errors import InputError

ENTRY_VERSION = 1
CONTACT_METHODS = ("in person", "phone call", "text message", "messaging app", "social media", "email",
                   "letter or note", "gift or item", "online (other)", "through other people",
                   "tracking or following", "other")


@dataclass(frozen=True)
class Field:
    key: str
    label: str  # shown in prompts, show and exports
    flag: str  # the command-line flag for scripted use
    multiline: bool = False
    hint: str = ""


FIELDS = (
    Field("location", "Where it happened", "--where"),
    Field("what_happened", "What happened", "--what", True, "In your own words, in order."),
    Field("exact_words", "Exact words used", "--words", True, "Write them exactly, even if they are offensive."),
    Field("contact_method", "How contact was made", "--contact", False, ", ".join(CONTACT_METHODS)),
    Field("contact_details", "Numbers, addresses or account names used", "--contact-details", False,
          "The number or account itself, not the name saved in your phone."),
    Field("appearance", "What the person looked like, or their vehicle", "--appearance", False,
          "Clothes, build, vehicle make, colour and registration."),
    Field("witnesses", "Witnesses", "--witnesses", False, "Names and how to reach them."),
    Field("impact", "How it affected you", "--impact", True,
          "How you felt, and anything you changed (routes, work, sleep, going out)."),
    Field("reported", "Reported to the police", "--reported", False, "yes or no"),
    Field("crime_reference", "Crime reference number", "--crime-ref"),
    Field("officer", "Officer (name or collar number)", "--officer"),
)
FIELD_KEYS = tuple(f.key for f in FIELDS)
LABELS = {"occurred_at": "When it happened", "recorded_at": "When it was recorded",
          "amends": "Amends entry", **{f.key: f.label for f in FIELDS}}

_WHEN = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_OFFSET = re.compile(r"^(?:UTC|GMT)?([+-])(\d{1,2}):?(\d{2})?$")


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def parse_tz(text: str) -> tzinfo:
    """'Europe/London', '+01:00', 'UTC' -> tzinfo; InputError otherwise."""
    value = text.strip()
    if value.upper() in ("UTC", "GMT", "Z"):
        return timezone.utc
    match = _OFFSET.match(value)
    if match:
        sign, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3) or 0)
        if hours > 14 or minutes > 59:
            raise InputError(f"time zone {text!r}: offset out of range")
        delta = timedelta(hours=hours, minutes=minutes)
        return timezone(-delta if sign == "-" else delta)
    try:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
    except ImportError:  # pragma: no cover - Python 3.9+ has zoneinfo
        raise InputError(f"time zone {text!r}: give an offset such as +01:00") from None
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise InputError(f"unknown time zone {text!r}: give a name such as Europe/London or an offset such as "
                         "+01:00") from None


# NOTE: a log may record what happened long ago (a relationship decades back), so the floor is not
# 1970; it catches a mistyped year (0001, 0226) and keeps every moment a datetime can convert.
EARLIEST_YEAR = 1900


def parse_when(text: str, tz_text: str | None, now: datetime) -> dict[str, str]:
    """``--when`` and ``--tz`` -> {"occurred_at": ISO with offset (or a date), "occurred_tz": ...}.

    'now', 'YYYY-MM-DD' (time not known) or 'YYYY-MM-DD HH:MM[:SS]'. Without --tz the laptop's
    own time zone is used and recorded."""
    zone = parse_tz(tz_text) if tz_text else now.astimezone().tzinfo
    zone_name = tz_text.strip() if tz_text else (now.astimezone().tzname() or "local")
    value = text.strip()
    if value.lower() == "now":
        return {"occurred_at": iso(now.astimezone(zone)), "occurred_tz": zone_name}
    match = _WHEN.match(value)
    if not match:
        raise InputError(f"when it happened: {text!r} is not a date; use YYYY-MM-DD or YYYY-MM-DD HH:MM, or 'now'")
    y, m, d, hh, mm, ss = match.groups()
    if int(y) < EARLIEST_YEAR:
        raise InputError(f"when it happened: {text!r} is before {EARLIEST_YEAR}; check the year")
    try:
        if hh is None:
            if datetime(int(y), int(m), int(d)).date() > now.astimezone(zone).date():
                raise InputError(f"when it happened: {text!r} is in the future")
            return {"occurred_at": f"{y}-{m}-{d}", "occurred_tz": zone_name, "time_known": "no"}
        moment = datetime(int(y), int(m), int(d), int(hh), int(mm), int(ss or 0), tzinfo=zone)
    except ValueError as exc:
        raise InputError(f"when it happened: {text!r}: {exc}") from None
    if moment > now + timedelta(minutes=5):
        raise InputError(f"when it happened: {text!r} is in the future")
    return {"occurred_at": iso(moment), "occurred_tz": zone_name}


def normalise_reported(value: str) -> str:
    v = value.strip().lower()
    if v in ("y", "yes", "true", "1"):
        return "yes"
    if v in ("n", "no", "false", "0"):
        return "no"
    if v == "":
        return ""
    raise InputError(f"reported to the police: {value!r}; answer yes or no")


def build_entry(fields: dict[str, str], when: dict[str, str], now: datetime, amends: int | None = None,
                amend_reason: str = "") -> dict[str, Any]:
    """The plaintext of one entry (sealed before it touches the disk)."""
    unknown = set(fields) - set(FIELD_KEYS)
    if unknown:
        # NOTE: name the known keys: a --json user guesses the flag names (what, where) otherwise
        raise InputError(f"unknown field(s): {', '.join(sorted(unknown))} (the fields are when, tz, "
                         f"{', '.join(FIELD_KEYS)})")
    clean = {k: str(fields.get(k) or "").strip() for k in FIELD_KEYS}
    clean["reported"] = normalise_reported(clean["reported"])
    if not clean["what_happened"] and amends is None:
        raise InputError("an entry needs at least 'what happened' (--what, or answer the prompt)")
    entry: dict[str, Any] = {"v": ENTRY_VERSION, "recorded_at": iso(now.astimezone(timezone.utc)),
                             "recorded_local": iso(now.astimezone()), **when, "fields": clean}
    if amends is not None:
        entry["amends"] = amends
        entry["amend_reason"] = amend_reason.strip()
    return entry
