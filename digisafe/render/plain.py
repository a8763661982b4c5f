"""Evidence and reasons in plain words, for people reading a screen or a printed page.

The JSON report keeps every value exactly as the check recorded it; everything here is for the
human formats only (terminal, Markdown, HTML, checklist): ``password_sign_in`` becomes "Password
sign in", ``null`` and ``[]`` become "none", ``true`` becomes "yes", one date format throughout,
and a tool's own error message is replaced by a pointer to the JSON report.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 3 ms of a photo scan's start-up)
if TYPE_CHECKING:
    from typing import Any

# Words that read better in capitals or spelled out in a label.
_LABEL_WORDS = {"sha256": "SHA-256", "sha1": "SHA-1", "md5": "MD5", "pid": "process ID", "uid": "user ID",
                "gid": "group ID", "exe": "program", "cmdline": "command line", "url": "web address",
                "id": "ID", "ip": "IP", "ssh": "SSH", "tcp": "TCP", "udp": "UDP", "gps": "GPS", "os": "OS",
                "mdm": "MDM", "xmp": "XMP", "iptc": "IPTC", "exif": "EXIF", "api": "API", "uuid": "UUID"}
# (All compiled on first use, by re's cache, and datetime imported only for a date: `photos scan`
# and `photos strip` import this module, for plain_text only.)
_ISO = r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$"
_EXIF_DATE = r"^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2})(?::(\d{2}))?$"
_ENTITY = r"&(?:#\d+|#x[0-9a-fA-F]+|amp|lt|gt|quot|apos);"
# `systemctl said "System has not been booted ..."` -> the quoted tool message goes.
_SAID = r"""\b([\w.-]+) said (?:"[^"]*"|'[^']*'|\S+)"""
_MAYBE_PLURAL = r"\b(\d+)((?: [\w-]+)*?) ([a-z]+)\(s\)"
_OS_ERROR = r"^(?:\w+Error|OSError): (?:\[Errno \d+\] )?"


def label(key: str) -> str:
    """``password_sign_in`` -> "Password sign in"; ``sha256`` -> "SHA-256"."""
    words = [w for w in re.split(r"[_\s]+|(?<=[a-z])(?=[A-Z])", str(key)) if w]
    if not words:
        return str(key)
    text = " ".join(_LABEL_WORDS.get(w.lower(), w.lower()) for w in words)
    return text[0].upper() + text[1:]


def plain_date(text: str) -> str | None:
    """ISO 8601 or EXIF date-time -> "20 Nov 2026, 08:15 UTC"; None if ``text`` is not one."""
    m = re.match(_ISO, text)
    exif = None if m else re.match(_EXIF_DATE, text)
    found = m or exif
    if not found:
        return None
    from datetime import datetime

    year, month, day, hour, minute = (int(found.group(i)) for i in range(1, 6))
    try:
        when = datetime(year, month, day, hour, minute)
    except ValueError:
        return None
    zone = m.group(7) if m else None
    if zone and zone != "Z":
        try:  # NOTE: +99:99 is no offset, and year 1 or 9999 moved to UTC leaves the calendar
            offset = datetime.strptime(zone.replace(":", ""), "%z").utcoffset()
            when = (when - offset) if offset is not None else when
        except (ValueError, OverflowError):
            return None
        zone = "Z"
    suffix = " UTC" if zone == "Z" else ""
    return f"{when.day} {when:%b %Y, %H:%M}{suffix}"


def plain_text(text: str) -> str:
    if "&" in text and re.search(_ENTITY, text):
        import html  # (here: its entity table is start-up time of every `photos scan`)

        text = html.unescape(text)  # an XML entity left in a place name ("St Mary&#39;s School")
    return plain_date(text.strip()) or text


def plain_value(value: Any) -> str:
    """One evidence value as a person reads it."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, str):
        return plain_text(value) if value else "none"
    if isinstance(value, Mapping):
        parts = [f"{label(k)}: {plain_value(v)}" for k, v in value.items() if v not in (None, "", [], {})]
        return "; ".join(parts) or "none"
    if isinstance(value, (list, tuple)):
        seen: list[str] = []
        for item in value:
            text = plain_value(item)
            if text not in seen:  # the same place name read from two carriers is said once
                seen.append(text)
        joiner = " | " if any(isinstance(v, (Mapping, list, tuple)) for v in value) else ", "
        return joiner.join(seen) or "none"
    return str(value)


def plain_evidence(evidence: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, value) rows for the human formats."""
    return [(label(k), plain_value(v)) for k, v in evidence.items()]


def plurals(text: str) -> str:
    """'1 listening port(s)' -> '1 listening port'; '3 photo(s)' -> '3 photos'."""
    return re.sub(_MAYBE_PLURAL, lambda m: f"{m.group(1)}{m.group(2)} {m.group(3)}{'' if m.group(1) == '1' else 's'}",
                  text).replace("(s)", "s")


def plain_reason(text: str) -> str:
    """A skip, failure or limitation reason without a tool's raw message or a Python error name."""
    text = plurals(re.sub(_OS_ERROR, "", text.strip()))
    text = re.sub(_SAID, lambda m: f"{m.group(1)} reported an error, recorded in the JSON report", text)
    return text

