"""Schema checks for the raw guidance data, with messages that say which file and item is wrong.

Kept apart from the loader so each rule is easy to find: unknown or missing keys, malformed ids,
unknown sources, platforms and check IDs, and characters the PDF's built-in fonts cannot print.
"""

from __future__ import annotations

import re
from typing import Any

from digisafe.guidance.model import PLATFORM_NAMES, platform_key

# Check IDs that exist or are being written now. An item may only name these, so a typo cannot
# silently stop a report from tailoring the checklist. Add new IDs here when checks are added.
KNOWN_CHECK_IDS = frozenset({
    "DS-ACCT-010",
    "DS-AND-010", "DS-AND-020", "DS-AND-030", "DS-AND-040", "DS-AND-050", "DS-AND-060",
    "DS-BRW-010", "DS-BRW-020", "DS-BRW-030", "DS-BRW-040",
    "DS-INPUT-010", "DS-INPUT-020",
    "DS-LOC-010",
    "DS-MAC-010", "DS-MAC-020", "DS-MAC-030", "DS-MAC-040",
    "DS-NET-010", "DS-NET-020",
    "DS-PHOTO-010",
    "DS-PROC-010", "DS-PROC-020", "DS-PROC-030",
    "DS-REM-010",
    "DS-SESS-010",
    "DS-WIN-010", "DS-WIN-020", "DS-WIN-030",
})

TOPIC_KEYS = frozenset({"id", "title", "summary", "items"})
ITEM_REQUIRED = ("id", "title", "why", "how", "caution", "sources", "platforms")
ITEM_OPTIONAL = ("checks", "see_also")
ITEM_KEYS = frozenset(ITEM_REQUIRED + ITEM_OPTIONAL)
SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
TOPIC_ID = re.compile(rf"^{SLUG}$")


def latin1_problem(text: str) -> str | None:
    """Why ``text`` cannot be printed with the PDF's built-in (Latin-1) fonts, or None."""
    for ch in text:
        if ord(ch) > 0xFF:
            return (f"character {ch!r} (U+{ord(ch):04X}) is not in Latin-1, which the PDF's "
                    "built-in fonts need; use plain ASCII (e.g. '-' for a dash, '>' for an arrow)")
    return None


def _text(value: Any, where: str, problems: list[str]) -> None:
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: must be non-empty text")
        return
    bad = latin1_problem(value)
    if bad:
        problems.append(f"{where}: {bad}")


def _string_list(value: Any, where: str, problems: list[str], allow_empty: bool = False) -> list[str]:
    if not isinstance(value, list) or (not value and not allow_empty):
        problems.append(f"{where}: must be a {'' if allow_empty else 'non-empty '}list")
        return []
    good = []
    for n, entry in enumerate(value):
        if isinstance(entry, str) and entry.strip():
            good.append(entry)
        else:
            problems.append(f"{where}[{n}]: must be non-empty text")
    return good


def check_topic(data: Any, stem: str, problems: list[str]) -> None:
    """Check one topic file's top level; items are checked by ``check_item``."""
    where = f"{stem}.yaml"
    if not isinstance(data, dict):
        problems.append(f"{where}: must be a mapping with keys {sorted(TOPIC_KEYS)}")
        return
    for key in sorted(set(data) - TOPIC_KEYS, key=str):
        problems.append(f"{where}: unknown key {key!r} (allowed: {', '.join(sorted(TOPIC_KEYS))})")
    for key in sorted(TOPIC_KEYS - set(data)):
        problems.append(f"{where}: missing {key!r}")
    if "id" in data and data["id"] != stem:
        problems.append(f"{where}: id {data['id']!r} must match the file name {stem!r}")
    for key in ("title", "summary"):
        if key in data:
            _text(data[key], f"{where}: {key}", problems)
    if "items" in data and (not isinstance(data["items"], list) or not data["items"]):
        problems.append(f"{where}: items must be a non-empty list")


def check_item(data: Any, topic_id: str, n: int, sources: dict, problems: list[str]) -> None:
    """Check one action item against the schema (see docs/guidance.md)."""
    where = f"{topic_id}.yaml item {n + 1}"
    if not isinstance(data, dict):
        problems.append(f"{where}: must be a mapping")
        return
    if isinstance(data.get("id"), str):
        where = f"{topic_id}.yaml item {data['id']}"
    for key in sorted(set(data) - ITEM_KEYS, key=str):
        problems.append(f"{where}: unknown key {key!r} (allowed: {', '.join(sorted(ITEM_KEYS))})")
    for key in ITEM_REQUIRED:
        if key not in data:
            problems.append(f"{where}: missing {key!r}")
    item_id = data.get("id")
    if "id" in data and not (isinstance(item_id, str) and re.match(rf"^{re.escape(topic_id)}\.{SLUG}$", item_id)):
        problems.append(f"{where}: id {item_id!r} must look like '{topic_id}.some-name'")
    for key in ("title", "why", "caution"):
        if key in data:
            _text(data[key], f"{where}: {key}", problems)
    if "how" in data:
        _check_how(data["how"], where, problems)
    for key in sorted(_string_list(data.get("sources", []), f"{where}: sources", problems)
                      if "sources" in data else []):
        if key not in sources:
            problems.append(f"{where}: unknown source {key!r} (add it to sources.yaml)")
    for check_id in _string_list(data.get("checks", []), f"{where}: checks", problems, allow_empty=True):
        if check_id not in KNOWN_CHECK_IDS:
            problems.append(f"{where}: unknown check ID {check_id!r}")
    if "platforms" in data:
        platforms = _string_list(data["platforms"], f"{where}: platforms", problems)
        for p in platforms:
            if platform_key(p) not in PLATFORM_NAMES:
                problems.append(f"{where}: unknown platform {p!r} (choose from {', '.join(PLATFORM_NAMES)})")
        if "any" in platforms and len(platforms) > 1:
            problems.append(f"{where}: platform 'any' must stand alone")
    if "see_also" in data:
        _string_list(data["see_also"], f"{where}: see_also", problems, allow_empty=True)


def _check_how(how: Any, where: str, problems: list[str]) -> None:
    if not isinstance(how, dict) or not how:
        problems.append(f"{where}: how must map a platform or app name to a list of steps")
        return
    for label, steps in how.items():
        if not isinstance(label, str) or not label.strip():
            problems.append(f"{where}: how has a blank or non-text heading {label!r}")
            continue
        for n, step in enumerate(_string_list(steps, f"{where}: how[{label}]", problems)):
            _text(step, f"{where}: how[{label}][{n}]", problems)


def check_sources(data: Any, problems: list[str]) -> dict[str, dict[str, str]]:
    """Return the valid sources; report the rest."""
    if not isinstance(data, dict):
        problems.append("sources.yaml: must map a key to {title, url}")
        return {}
    good = {}
    for key, entry in data.items():
        where = f"sources.yaml: {key}"
        if not isinstance(entry, dict) or set(entry) != {"title", "url"}:
            problems.append(f"{where}: must have exactly 'title' and 'url'")
            continue
        _text(entry["title"], f"{where}: title", problems)
        url = entry["url"]
        if not isinstance(url, str) or not re.match(r"^https?://\S+$", url):
            problems.append(f"{where}: url {url!r} must start with http:// or https://")
            continue
        good[str(key)] = {"title": str(entry["title"]), "url": url}
    return good
