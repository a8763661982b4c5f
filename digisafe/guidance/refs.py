"""What a guide page cites and cross-references, narrowed to the chosen devices.

Sources go in one compact numbered list at the end of each topic (not a "Source:" line under
every step); digisafe check IDs are for caseworkers (``--details`` and the printed formats) and
only those for the chosen devices are named.
"""

from __future__ import annotations

import re
from typing import Iterable

from digisafe.guidance.model import Item, Source, Topic

# Guidance platform -> the names a check's `platforms` may use for it (old and new vocabularies).
_CHECK_PLATFORMS = {"macos": {"darwin", "macos"}, "windows": {"windows"}, "linux": {"linux"},
                    "android": {"android"}, "iphone": {"ios"}}
# A source whose title names only other devices is left out when devices are chosen.
_NAMED = {"macos": re.compile(r"\bmac(os| os x)?\b", re.I), "windows": re.compile(r"\bwindows\b", re.I),
          "linux": re.compile(r"\b(linux|gnome|ubuntu)\b", re.I), "android": re.compile(r"\bandroid\b", re.I),
          "iphone": re.compile(r"\b(iphone|ios|ipad)\b", re.I)}


def _check_platforms() -> dict[str, set[str]]:
    from digisafe.core.registry import load_registry

    return {c.id: {str(getattr(p, "value", p)).lower() for p in c.cls.platforms} for c in load_registry().checks}


def checks_for(item: Item, platforms: Iterable[str] | None) -> tuple[str, ...]:
    """The item's check IDs, only those that run on one of ``platforms`` (all when none chosen)."""
    chosen = set(platforms or ())
    if not chosen or not item.checks:
        return item.checks
    wanted = set().union(*(_CHECK_PLATFORMS.get(p, {p}) for p in chosen))
    known = _check_platforms()
    return tuple(c for c in item.checks if c not in known or known[c] & wanted)


def source_applies(source: Source, platforms: Iterable[str] | None) -> bool:
    chosen = set(platforms or ())
    if not chosen:
        return True
    named = {p for p, pattern in _NAMED.items() if pattern.search(source.title)}
    return not named or bool(named & chosen)


def topic_sources(topic: Topic, platforms: Iterable[str] | None = None) -> list[Source]:
    """Every source the topic's items cite, once each, in order of first use."""
    seen: dict[str, Source] = {}
    for item in topic.items:
        for source in item.sources:
            if source.url not in seen and source_applies(source, platforms):
                seen[source.url] = source
    return list(seen.values())
