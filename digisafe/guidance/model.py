"""The guidance model: topics holding action items, each with its sources and related checks.

Built by ``digisafe.guidance.loader`` from the data files in digisafe/content/guidance/; every
renderer and the checklist work from these frozen objects, never from the raw YAML.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from digisafe.core.platforms import Platform

# Platform ids an item can apply to (the one vocabulary, digisafe.core.platforms), with the words
# shown to people. "any" means every device. Content may use the old spellings (iphone, darwin).
_ORDER = (Platform.IOS, Platform.ANDROID, Platform.WINDOWS, Platform.MACOS, Platform.LINUX)
PLATFORM_NAMES = {"any": "Any device", **{p.value: p.device_label for p in _ORDER}}
DEVICE_PLATFORMS = tuple(p.value for p in _ORDER)


def platform_key(key: str) -> str:
    """A content key in the one vocabulary: "iphone" -> "ios"; app names and "any" stay as written."""
    found = Platform.parse_optional(key) if key == key.lower() else None
    return found.value if found is not None else key


def how_label(key: str) -> str:
    """The heading for one group of steps: a platform's name, or an app's name as written."""
    if key == "any":
        return "Steps"
    return PLATFORM_NAMES.get(key, key)


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    url: str


@dataclass(frozen=True)
class Item:
    id: str  # "topic.item", stable forever
    topic: str
    title: str
    why: str
    how: tuple[tuple[str, tuple[str, ...]], ...]  # (platform id or app name, steps)
    caution: str
    sources: tuple[Source, ...]
    checks: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ("any",)
    see_also: tuple[str, ...] = ()

    def applies_to(self, platforms: Iterable[str] | None) -> bool:
        """True when no filter is set, the item is for any device, or a platform matches."""
        wanted = set(platforms or ())
        return not wanted or "any" in self.platforms or bool(wanted & set(self.platforms))

    def steps_for(self, platforms: Iterable[str] | None) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """The step groups to show: those for a chosen platform, an app or any device."""
        wanted = set(platforms or ())
        if not wanted:
            return self.how
        return tuple((k, s) for k, s in self.how if k not in DEVICE_PLATFORMS or k in wanted)

    def texts(self) -> list[str]:
        """Every piece of prose in the item, for readability and character checks."""
        return [self.title, self.why, self.caution] + [s for _k, steps in self.how for s in steps]


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    summary: str
    items: tuple[Item, ...]

    def narrowed(self, platforms: Iterable[str] | None) -> Topic:
        """The same topic with only the items for the given platforms (possibly none)."""
        return Topic(self.id, self.title, self.summary, tuple(i for i in self.items if i.applies_to(platforms)))


@dataclass(frozen=True)
class Contact:
    name: str
    detail: str


@dataclass(frozen=True)
class Support:
    footer_lines: tuple[str, ...]  # printed at the foot of every page (one or two short lines)
    contacts: tuple[Contact, ...]

    @property
    def footer(self) -> str:
        return " | ".join(self.footer_lines)


@dataclass(frozen=True)
class Guidance:
    topics: tuple[Topic, ...]
    support: Support

    @property
    def items(self) -> list[Item]:
        return [i for t in self.topics for i in t.items]

    def topic(self, topic_id: str) -> Topic | None:
        return next((t for t in self.topics if t.id == topic_id), None)

    def item(self, item_id: str) -> Item | None:
        return next((i for i in self.items if i.id == item_id), None)

    def items_for_check(self, check_id: str) -> list[Item]:
        return [i for i in self.items if check_id in i.checks]

    def filtered(self, platforms: Iterable[str] | None) -> Guidance:
        """The same guidance narrowed to the given platforms (empty topics are dropped)."""
        wanted = tuple(platforms or ())
        return Guidance(tuple(t for t in (t.narrowed(wanted) for t in self.topics) if t.items), self.support)
