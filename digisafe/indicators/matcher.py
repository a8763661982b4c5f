"""Compiled lookups: what an observed process, path, service, autostart entry or host matches.

Everything is compiled once per platform. Exact names go into dicts; globs are bucketed by their
literal prefix (names) or by their most specific literal folder name (paths), so the cost of one
lookup depends on the handful of candidates in one bucket, not on the size of the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from digisafe.indicators import patterns
from digisafe.indicators.indexes import DomainIndex, NameIndex, PathIndex
from digisafe.indicators.schema import TRUSTED_LEVELS, Product

SIGNALS = (
    "process-name", "install-path", "service", "autostart", "bundle-id", "signer", "domain",
    "installed-program", "publisher",
)  # fmt: skip

LINUX_COMM_LEN = 15


@dataclass(frozen=True)
class Match:
    product: Product
    signal: str  # one of SIGNALS
    pattern: str  # the indicator as written in the database
    verified: str = ""  # how well this indicator is verified (the OS block's level, else the product's)
    kind: str = ""  # for domains: "agent" (C2/upload), "website" (the vendor's shop) or "download"

    @property
    def trusted(self) -> bool:
        """False for unverified or feed-only indicators: never a high-confidence finding alone."""
        return self.verified in TRUSTED_LEVELS


def _unique(matches: Iterable[Match]) -> list[Match]:
    return list(dict.fromkeys(matches))


_WINDOWS_PATH_IN_TEXT = re.compile(
    r"(?:[a-z]:|%[a-z0-9()_]+%)[\\/][^\"<>|\r\n]*?\.(?:exe|dll|lnk|bat|cmd|vbs|js|ps1|scr)\b", re.I
)


class Matcher:
    """Lookups for one laptop platform (a Platform: "windows", "macos", "linux"), compiled once."""

    def __init__(self, products: Sequence[Product], platform: str, system_programs: Sequence[dict] = ()) -> None:
        from digisafe.indicators.masquerade import MasqueradeRules
        from digisafe.indicators.programs import ProgramIndex

        self.platform = platform
        case = patterns.CASE_INSENSITIVE[platform]
        self.processes = NameIndex(case)
        self.paths = PathIndex(platform)
        self.services = NameIndex(case or platform == "linux")
        self.autostarts = NameIndex(True)
        self.bundle_ids = NameIndex(True)
        self.signers = NameIndex(True)
        self.domains = DomainIndex()
        self.programs = ProgramIndex(platform)
        for product in products:
            self._add(product)
        self.masquerade_rules = MasqueradeRules(system_programs, platform)

    def _add(self, product: Product) -> None:
        self.programs.add(product)
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
        for domain in product.download_hosts:
            self.domains.add_host(domain, Match(product, "domain", domain, product.verified, "download"))
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

    def program(self, display_name: str) -> list[Match]:
        """An installed program's shown name (Uninstall key, app bundle name, package name)."""
        return self.programs.program(display_name)

    def publisher(self, publisher: str) -> list[Match]:
        """An installed program's publisher: supports a product seen otherwise, never alone."""
        return self.programs.publisher(publisher)

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
            "programs": len(self.programs),
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
