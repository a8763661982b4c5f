"""The lookup structures behind the Matcher: exact names in dicts, globs bucketed by their literal
prefix (names) or their most specific literal folder name (paths), hosts and IP addresses.

A lookup looks at the handful of candidates in one bucket, never at the whole database.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

from digisafe.indicators import patterns

if TYPE_CHECKING:
    from digisafe.indicators.matcher import Match

# Folder names too common to identify a product: never used as a path-index key.
GENERIC_SEGMENTS = frozenset(
    """c: ?: program files program files (x86) programdata users appdata local roaming locallow temp
    tmp windows system32 syswow64 public default all users application data documents desktop
    downloads microsoft start menu programs startup common files applications library
    application support launchagents launchdaemons contents macos resources frameworks usr bin sbin
    lib lib64 libexec etc var opt share home root private system config .config .local agent bin64
    x64 x86 data logs log cache update updates""".split()
    + ["program files", "program files (x86)", "all users", "application data", "start menu",
       "common files", "application support"]
)  # fmt: skip

_PREFIX_LEN = 8  # globs are bucketed by up to this many literal leading characters


class NameIndex:
    """Exact names in a dict; globs bucketed by their first few literal characters."""

    def __init__(self, case_insensitive: bool) -> None:
        self.case_insensitive = case_insensitive
        self.exact: dict[str, list[Match]] = {}
        self.globs: dict[str, list[tuple[patterns.LazyGlob, Match]]] = {}

    def _fold(self, text: str) -> str:
        return text.lower() if self.case_insensitive else text

    def add(self, pattern: str, match: Match) -> None:
        key = self._fold(pattern)
        if not patterns.is_glob(key):
            self.exact.setdefault(key, []).append(match)
            return
        prefix = patterns.literal_prefix(key)[:_PREFIX_LEN]
        self.globs.setdefault(prefix, []).append((patterns.LazyGlob(key, self.case_insensitive), match))

    def lookup(self, name: str) -> list[Match]:
        key = self._fold(name)
        found = list(self.exact.get(key, ()))
        if self.globs:
            for length in range(0, min(_PREFIX_LEN, len(key)) + 1):
                for regex, match in self.globs.get(key[:length], ()):
                    if regex.match(key):
                        found.append(match)
        return found

    def __len__(self) -> int:
        return sum(map(len, self.exact.values())) + sum(map(len, self.globs.values()))


class PathIndex:
    """Path globs keyed by their most specific literal segment; a path looks up each of its segments."""

    def __init__(self, platform: str) -> None:
        self.platform = platform
        self.by_segment: dict[str, list[tuple[patterns.LazyGlob, Match]]] = {}
        self.by_prefix: dict[str, list[tuple[patterns.LazyGlob, Match]]] = {}  # key: a segment's first chars
        self.unkeyed: list[tuple[patterns.LazyGlob, Match]] = []  # lint keeps this empty for built-ins

    def add(self, pattern: str, match: Match) -> None:
        case = patterns.CASE_INSENSITIVE[self.platform]
        for glob in patterns.expand_path_pattern(pattern, self.platform):
            entry = (patterns.LazyGlob(glob, case), match)
            key = index_key(glob)
            if key is None:
                self.unkeyed.append(entry)
            elif key[0] == "segment":
                self.by_segment.setdefault(key[1], []).append(entry)
            else:
                self.by_prefix.setdefault(key[1], []).append(entry)

    def lookup(self, path: str) -> list[Match]:
        norm = patterns.normalise_observed_path(path, self.platform)
        found: list[Match] = []
        for segment in dict.fromkeys(norm.split("/")):
            candidates = self.by_segment.get(segment, [])
            if self.by_prefix:
                candidates = candidates + self.by_prefix.get(segment[:_SEGMENT_PREFIX].lower(), [])
            for regex, match in candidates:
                if regex.match(norm):
                    found.append(match)
        for regex, match in self.unkeyed:
            if regex.match(norm):
                found.append(match)
        return found

    def __len__(self) -> int:
        return sum(map(len, self.by_segment.values())) + sum(map(len, self.by_prefix.values())) + len(self.unkeyed)


_SEGMENT_PREFIX = 5


def index_segment(glob: str) -> str | None:
    """The literal segment that best identifies a normalised path glob (longest non-generic one)."""
    candidates = [s for s in patterns.literal_segments(glob) if s.lower() not in GENERIC_SEGMENTS]
    return max(candidates, key=len) if candidates else None


def index_key(glob: str) -> tuple[str, str] | None:
    """("segment", name) for a literal folder/file name; else ("prefix", first chars) of a segment
    such as 'ScreenConnect Client (*)' whose literal start is long enough; None if nothing is."""
    segment = index_segment(glob)
    if segment is not None:
        return ("segment", segment)
    prefixes = [
        patterns.literal_prefix(s) for s in glob.split("/") if patterns.is_glob(s) and s.lower() not in GENERIC_SEGMENTS
    ]
    prefixes = [p for p in prefixes if len(p) >= _SEGMENT_PREFIX and p.lower() not in GENERIC_SEGMENTS]
    if not prefixes:
        return None
    return ("prefix", max(prefixes, key=len)[:_SEGMENT_PREFIX].lower())


class DomainIndex:
    def __init__(self) -> None:
        self.hosts: dict[str, list[Match]] = {}
        self.ips: dict[str, list[Match]] = {}

    def add_host(self, domain: str, match: Match) -> None:
        key = domain.lower()
        if key.startswith("*."):
            key = key[2:]
        try:
            self.add_ip(key, match)  # NOTE: a few entries list an IP address among their websites
            return
        except ValueError:
            pass
        self.hosts.setdefault(key, []).append(match)

    def add_ip(self, address: str, match: Match) -> None:
        self.ips.setdefault(str(ipaddress.ip_address(address)), []).append(match)

    def lookup(self, host: str) -> list[Match]:
        text = host.strip().lower().rstrip(".").strip("[]")
        try:
            return list(self.ips.get(str(ipaddress.ip_address(text)), ()))
        except ValueError:
            pass
        labels = text.split(".")
        found: list[Match] = []
        for start in range(0, max(len(labels) - 1, 0)):  # a listed domain covers its subdomains
            for match in self.hosts.get(".".join(labels[start:]), ()):
                if all(match.product.id != m.product.id for m in found):  # the most specific per product
                    found.append(match)
        return found
