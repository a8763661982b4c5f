"""Compiled lookups: what an observed process, path, service, autostart entry or host matches.

Everything is compiled once per platform. Exact names go into dicts; globs are bucketed by their
literal prefix (names) or by their most specific literal folder name (paths), so the cost of one
lookup depends on the handful of candidates in one bucket, not on the size of the database.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from digisafe.indicators import patterns
from digisafe.indicators.schema import TRUSTED_LEVELS, Product

SIGNALS = ("process-name", "install-path", "service", "autostart", "bundle-id", "signer", "domain")

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
LINUX_COMM_LEN = 15


@dataclass(frozen=True)
class Match:
    product: Product
    signal: str  # one of SIGNALS
    pattern: str  # the indicator as written in the database
    verified: str = ""  # how well this indicator is verified (the OS block's level, else the product's)
    kind: str = ""  # for domains: "agent" (C2/upload/download) or "website" (the vendor's shop)

    @property
    def trusted(self) -> bool:
        """False for unverified or feed-only indicators: never a high-confidence finding alone."""
        return self.verified in TRUSTED_LEVELS


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


def _unique(matches: Iterable[Match]) -> list[Match]:
    return list(dict.fromkeys(matches))


_WINDOWS_PATH_IN_TEXT = re.compile(
    r"(?:[a-z]:|%[a-z0-9()_]+%)[\\/][^\"<>|\r\n]*?\.(?:exe|dll|lnk|bat|cmd|vbs|js|ps1|scr)\b", re.I
)


class Matcher:
    """Lookups for one platform ("windows", "darwin", "linux"), compiled once from the products."""

    def __init__(self, products: Sequence[Product], platform: str, system_programs: Sequence[dict] = ()) -> None:
        from digisafe.indicators.masquerade import MasqueradeRules

        self.platform = platform
        case = patterns.CASE_INSENSITIVE[platform]
        self.processes = NameIndex(case)
        self.paths = PathIndex(platform)
        self.services = NameIndex(case or platform == "linux")
        self.autostarts = NameIndex(True)
        self.bundle_ids = NameIndex(True)
        self.signers = NameIndex(True)
        self.domains = DomainIndex()
        for product in products:
            self._add(product)
        self.masquerade_rules = MasqueradeRules(system_programs, platform)

    def _add(self, product: Product) -> None:
        host = product.hosts.get(self.platform)
        if host is not None:
            level = host.verified or product.verified

            def m(signal: str, pattern: str) -> Match:
                return Match(product, signal, pattern, level)

            for name in host.processes:
                self.processes.add(name, m("process-name", name))
                if self.platform == "linux" and len(name) > LINUX_COMM_LEN and not patterns.is_glob(name):
                    # NOTE: Linux keeps only 15 characters of a process name (ps comm, /proc/PID/stat).
                    self.processes.add(name[:LINUX_COMM_LEN], m("process-name", name))
            for path in host.paths:
                self.paths.add(path, m("install-path", path))
            for service in host.services:
                self.services.add(_service_key(service, self.platform), m("service", service))
            for entry in host.autostart:
                self.autostarts.add(entry, m("autostart", entry))
            for bundle in host.bundle_ids:
                self.bundle_ids.add(bundle, m("bundle-id", bundle))
            for signer in host.signers:
                self.signers.add(signer, m("signer", signer))
        for domain in product.domains:
            self.domains.add_host(domain, Match(product, "domain", domain, product.verified, "agent"))
        for domain in product.websites:
            self.domains.add_host(domain, Match(product, "domain", domain, product.verified, "website"))
        for address in product.ips:
            self.domains.add_ip(address, Match(product, "domain", address, product.verified, "agent"))

    # -- lookups -------------------------------------------------------------------------------
    def process(self, name: str, exe: str | None = None) -> list[Match]:
        """Matches for a running program: its name (and executable file name) and its install path."""
        found = self.processes.lookup(name) if name else []
        if exe:
            exe_name = patterns.basename(exe)
            if exe_name and patterns.fold(exe_name, self.platform) != patterns.fold(name or "", self.platform):
                found += self.processes.lookup(exe_name)
            found += self.paths.lookup(exe)
        return _unique(found)

    def path(self, path: str) -> list[Match]:
        return _unique(self.paths.lookup(path))

    def service(self, name: str) -> list[Match]:
        return _unique(self.services.lookup(_service_key(name, self.platform)))

    def autostart(self, text: str) -> list[Match]:
        """An autostart entry (Run value name or command, .lnk or .desktop name, launchd label or
        program, systemd ExecStart, cron line): matches its name, and any program path inside it."""
        found = self.autostarts.lookup(text.strip())
        for candidate in _candidates(text, self.platform):
            found += self.autostarts.lookup(patterns.basename(candidate))
            for hit in self.processes.lookup(patterns.basename(candidate)) + self.paths.lookup(candidate):
                found.append(Match(hit.product, "autostart", hit.pattern, hit.verified))
        return _unique(found)

    def bundle_id(self, bundle_id: str) -> list[Match]:
        return _unique(self.bundle_ids.lookup(bundle_id.strip()))

    def signer(self, name: str) -> list[Match]:
        return _unique(self.signers.lookup(name.strip()))

    def domain(self, host: str) -> list[Match]:
        return _unique(self.domains.lookup(host))

    def masquerade(self, name: str, exe: str | None) -> str | None:
        """A reason when a system program's name runs from outside its proper folder, else None."""
        return self.masquerade_rules.check(name, exe)

    def size(self) -> dict[str, int]:
        return {
            "processes": len(self.processes),
            "paths": len(self.paths),
            "services": len(self.services),
            "autostart": len(self.autostarts),
            "bundle_ids": len(self.bundle_ids),
            "signers": len(self.signers),
            "domains": sum(map(len, self.domains.hosts.values())) + sum(map(len, self.domains.ips.values())),
        }


def _service_key(name: str, platform: str) -> str:
    text = name.strip()
    if platform == "linux" and text.endswith(".service"):
        text = text[: -len(".service")]
    return text


def _candidates(text: str, platform: str) -> list[str]:
    """Program paths inside an autostart command line."""
    found = re.findall(r'"([^"]+)"', text)
    if platform == "windows":
        found += [m.group(0) for m in _WINDOWS_PATH_IN_TEXT.finditer(text)]
    tokens = text.replace('"', " ").split()
    tokens += [t.rsplit("=", 1)[1] for t in tokens if "=" in t]  # Exec=/path, ExecStart=/path
    found += [t for t in tokens if "/" in t or "\\" in t or "." in t]
    return list(dict.fromkeys(c.strip() for c in found if c.strip()))
