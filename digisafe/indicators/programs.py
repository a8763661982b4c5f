"""Installed-program names and publishers -> products (Windows 'Programs and Features', macOS
application names, Linux packages).

A program's shown name ("TeamViewer 15", "Spyrix Personal Monitor (x64)") matches a product when
the name, read word by word from its start, spells one of the product's names or aliases
("teamviewer", "spyrix"). Names too short or too ordinary to identify a product ("VNC", "Level",
"Vision", "Observer") are never used. A publisher on its own identifies a maker, not a product: it
only ever supports a product already seen by name, bundle ID or folder, and is compared by its
first word. Products known only as phone apps (from Echap's lists, with no laptop facts) are not
matched by name: "Cerberus" on a laptop ("Cerberus FTP Server") is something else.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterable

from digisafe.indicators.merge import name_key

if TYPE_CHECKING:
    from digisafe.indicators.matcher import Match
    from digisafe.indicators.schema import Product

MIN_KEY = 5
# Product names that are ordinary words or other companies' products: never matched by name alone.
ORDINARY_NAMES = frozenset(
    """level vision absolute clues scream fenced observer screentime remotemanagement screensharing
    mobilebackup systemframework metasploit remotesecurity findmyphone familylocator barracuda
    centurion fortra kabuto remotely remoteview remotecall runsmart controlphone mobiletool
    phonemonitor androidmonitor remotecommand autoforward trackview lifecircle mobilespy phonespy
    spyphone quickassist microsoftquickassist manageengine connectwise onelocator multiverze
    inmobi triada surepoint safenet gnomeremotedesktop linuxdesktopsharing""".split()
)
_VERSION = re.compile(r"^(v?\d[\d.]*|x64|x86|64bit|32bit|amd64|arm64)$")


def words_of(display_name: str) -> list[str]:
    """Lower-case words of a shown name, without bracketed notes and trailing version numbers."""
    text = re.sub(r"\(.*?\)|\[.*?\]", " ", display_name.lower())
    words = re.findall(r"[a-z0-9]+", text)
    while words and _VERSION.match(words[-1]):
        words.pop()
    return words


def is_phone_app(product: Product) -> bool:
    """A product known only from Echap's phone lists, without any laptop program facts."""
    from_echap = product.id.startswith(("echap-ioc.", "echap-watchware."))
    return from_echap and all(product.host(p).is_empty() for p in ("windows", "macos", "linux"))


def usable_key(name: str) -> str | None:
    key = name_key(name)
    if len(key) < MIN_KEY or key in ORDINARY_NAMES or key.isdigit():
        return None
    return key


class ProgramIndex:
    """Product names and publishers for one platform."""

    def __init__(self, platform: str) -> None:
        self.platform = platform
        self.names: dict[str, list[Match]] = {}
        self.publishers: dict[str, list[Match]] = {}

    def add(self, product: Product) -> None:
        from digisafe.indicators.matcher import Match

        if is_phone_app(product):
            return  # a laptop program of that name is something else
        level = product.host_verified(self.platform)
        for name in product.names:
            key = usable_key(name)
            if key:
                self.names.setdefault(key, []).append(Match(product, "installed-program", name, level))
        makers = [product.vendor, *product.host(self.platform).signers, *(n for n in product.names if usable_key(n))]
        for maker in filter(None, makers):
            key = _maker_key(maker)
            if key:
                self.publishers.setdefault(key, []).append(Match(product, "publisher", maker, level))

    def program(self, display_name: str) -> list[Match]:
        words = words_of(display_name)
        for end in range(len(words), 0, -1):
            found = self.names.get("".join(words[:end]))
            if found:
                return list(found)
        return []

    def publisher(self, publisher: str) -> list[Match]:
        key = _maker_key(publisher)
        return list(self.publishers.get(key, ())) if key else []

    def __len__(self) -> int:
        return sum(map(len, self.names.values())) + sum(map(len, self.publishers.values()))


_COMPANY = re.compile(r"\b(inc|ltd|llc|gmbh|corp|corporation|limited|co|sa|sas|ag|bv|srl|oy|ab|pty|plc|s\.?r\.?o)\b\.?")


def _maker_key(text: str) -> str | None:
    """The maker's first word ("TeamViewer Germany GmbH" -> "teamviewer"): publishers are spelt
    differently from one program to the next, their first word rarely is."""
    words = re.findall(r"[a-z0-9]+", _COMPANY.sub(" ", text.lower()))
    key = words[0] if words else ""
    return key if len(key) >= 4 else None


def first_per_product(matches: Iterable[Match]) -> list[Match]:
    seen: set[str] = set()
    out = []
    for match in matches:
        if match.product.id not in seen:
            seen.add(match.product.id)
            out.append(match)
    return out
