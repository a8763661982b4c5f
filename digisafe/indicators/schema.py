"""The indicator schema: one Product per product family, validated from plain data (YAML/JSON).

Data files (digisafe/indicators/data/*.yaml) and the update store use the same shape::

    - id: sentrypc                      # lower-case, stable
      name: SentryPC
      aliases: [...]
      vendor: ...
      category: stalkerware             # CATEGORIES
      relevance: high                   # optional: high (default) | medium | low
      presentation: covert              # covert | visible | dual-use
      verified: vendor-docs             # VERIFICATION, best first
      windows:                          # windows | macos | linux (alias: darwin, mac)
        processes: [loc.exe]            # exact names or globs
        paths: ['C:\\ProgramData\\spc\\']  # qualified install paths (folder if it ends in a separator)
        services: [...]
        autostart: [...]                # Run-key value names, .lnk, launchd labels, .desktop names
        signers: [...]                  # code-signing subject / company names
        bundle_ids: [...]               # macOS only
        verified: unverified            # optional: overrides the product's level for this OS
      android:                          # optional: phone facts (Echap); matched by the phone audit
        packages: [com.example.spy]     # Android package names
        certificates: [31A6...]         # APK signing-certificate SHA-1 (40 hex) or SHA-256 (64 hex)
      domains: [...]                    # agent, upload and download hosts ("*.x" or "x": x and below)
      websites: [...]                   # the vendor's shop pages (weaker: visiting is not installing)
      download_hosts: [...]             # optional: hosts the product's installers are downloaded from
      ips: [...]
      sources: [{name: ..., url: ...}]
      advice: "..."
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from typing import Any, Mapping

CATEGORIES = ("stalkerware", "monitoring", "parental", "keylogger", "remote-access", "rat")
PRESENTATIONS = ("covert", "visible", "dual-use")
# Best first. Only the first two may back a high-confidence finding (see Product.trusted).
VERIFICATION = ("verified", "vendor-docs", "feed", "partial", "network-only", "unverified")
TRUSTED_LEVELS = frozenset({"verified", "vendor-docs"})
# How likely a product is to matter in a stalking case. "medium": management agents found on ordinary
# work laptops (Tanium, Zabbix...): report them, but as information unless other signs agree.
RELEVANCE = ("high", "medium", "low")
HOST_FIELDS = ("processes", "paths", "services", "autostart", "signers", "bundle_ids")
# Keys a product may carry for its per-platform indicators (Platform values, and their aliases).
PLATFORM_KEYS = {"windows": "windows", "macos": "macos", "darwin": "macos", "mac": "macos", "linux": "linux"}

_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,80}$")
_DOMAIN = re.compile(r"^(\*\.)?([a-z0-9_-]{1,63}\.)+[a-z0-9-]{2,63}$")


class SchemaError(ValueError):
    """An indicator entry does not follow the schema. The message names the entry and field."""


@dataclass(frozen=True)
class HostIndicators:
    processes: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    autostart: tuple[str, ...] = ()
    signers: tuple[str, ...] = ()
    bundle_ids: tuple[str, ...] = ()
    verified: str | None = None  # None: the product's level

    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name in HOST_FIELDS)


_ANDROID_PACKAGE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+$")
_CERT = re.compile(r"^(?:[0-9A-F]{40}|[0-9A-F]{64})$")


@dataclass(frozen=True)
class AndroidIndicators:
    packages: tuple[str, ...] = ()
    certificates: tuple[str, ...] = ()  # upper-case hex SHA-1 or SHA-256 of the signing certificate

    def is_empty(self) -> bool:
        return not (self.packages or self.certificates)


@dataclass(frozen=True)
class SourceRef:
    name: str
    url: str = ""


@dataclass(frozen=True)
class Product:
    id: str
    name: str
    category: str
    presentation: str
    verified: str
    aliases: tuple[str, ...] = ()
    vendor: str = ""
    hosts: Mapping[str, HostIndicators] = field(default_factory=dict)  # platform -> indicators
    domains: tuple[str, ...] = ()
    websites: tuple[str, ...] = ()
    ips: tuple[str, ...] = ()
    download_hosts: tuple[str, ...] = ()  # where installers are downloaded from (Echap "distribution")
    sources: tuple[SourceRef, ...] = ()
    advice: str = ""
    origin: str = "built-in"  # "built-in" or the feed it came from
    relevance: str = "high"  # RELEVANCE
    android: AndroidIndicators = AndroidIndicators()

    def __hash__(self) -> int:  # hosts is a dict; identity is the id
        return hash(self.id)

    def __repr__(self) -> str:
        return f"Product({self.id!r}, {self.category}, {self.verified})"

    @property
    def trusted(self) -> bool:
        """True when the product-level facts may back a high-confidence finding."""
        return self.verified in TRUSTED_LEVELS

    def host(self, platform: str) -> HostIndicators:
        return self.hosts.get(platform, HostIndicators())

    def host_verified(self, platform: str) -> str:
        return self.host(platform).verified or self.verified

    @property
    def platforms(self) -> tuple[str, ...]:
        return tuple(p for p in ("windows", "macos", "linux") if p in self.hosts)

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "aliases": list(self.aliases),
            "vendor": self.vendor,
            "category": self.category,
            "presentation": self.presentation,
            "verified": self.verified,
        }
        for platform, host in self.hosts.items():
            entry = {name: list(getattr(host, name)) for name in HOST_FIELDS if getattr(host, name)}
            if host.verified:
                entry["verified"] = host.verified
            data[platform] = entry
        data.update(domains=list(self.domains), websites=list(self.websites), ips=list(self.ips))
        if self.download_hosts:
            data["download_hosts"] = list(self.download_hosts)
        data["sources"] = [{"name": s.name, "url": s.url} for s in self.sources]
        data["advice"] = self.advice
        data["origin"] = self.origin
        data["relevance"] = self.relevance
        if not self.android.is_empty():
            data["android"] = {"packages": list(self.android.packages), "certificates": list(self.android.certificates)}
        return data


def _strings(entry_id: str, key: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise SchemaError(f"{entry_id}: {key!r} must be a list of non-empty strings")
    return tuple(dict.fromkeys(v.strip() for v in value))


def _choice(entry_id: str, key: str, value: Any, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise SchemaError(f"{entry_id}: {key!r} is {value!r}; expected one of {', '.join(allowed)}")
    return value


def _host(entry_id: str, platform: str, raw: Any) -> HostIndicators:
    where = f"{entry_id}.{platform}"
    if not isinstance(raw, dict):
        raise SchemaError(f"{where}: must be a mapping of {', '.join(HOST_FIELDS)}")
    unknown = sorted(set(raw) - set(HOST_FIELDS) - {"verified"})
    if unknown:
        raise SchemaError(f"{where}: unknown field {unknown[0]!r}")
    values = {name: _strings(where, name, raw.get(name)) for name in HOST_FIELDS}
    if values["bundle_ids"] and platform != "macos":
        raise SchemaError(f"{where}: bundle_ids are macOS only")
    verified = raw.get("verified")
    if verified is not None:
        _choice(where, "verified", verified, VERIFICATION)
    return HostIndicators(**values, verified=verified)


def _domains(entry_id: str, key: str, raw: Any) -> tuple[str, ...]:
    values = tuple(d.lower().rstrip(".") for d in _strings(entry_id, key, raw))
    for domain in values:
        if not _DOMAIN.match(domain):
            raise SchemaError(f"{entry_id}: {key!r} holds {domain!r}, which is not a host name")
    return values


def _ips(entry_id: str, raw: Any) -> tuple[str, ...]:
    values = _strings(entry_id, "ips", raw)
    for value in values:
        try:
            ipaddress.ip_address(value)
        except ValueError:
            raise SchemaError(f"{entry_id}: 'ips' holds {value!r}, which is not an IP address") from None
    return values


def _sources(entry_id: str, raw: Any) -> tuple[SourceRef, ...]:
    if not isinstance(raw, list) or not raw:
        raise SchemaError(f"{entry_id}: 'sources' must list at least one source (name and url)")
    refs = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise SchemaError(f"{entry_id}: each source needs a 'name' (and a 'url')")
        url = item.get("url", "")
        if not isinstance(url, str) or (url and not url.startswith(("https://", "http://"))):
            raise SchemaError(f"{entry_id}: source url {url!r} is not a web address")
        refs.append(SourceRef(item["name"], url))
    return tuple(refs)


_TOP_KEYS = {
    "id", "name", "aliases", "vendor", "category", "presentation", "verified", "domains", "websites",
    "ips", "sources", "advice", "origin", "relevance", "android", "download_hosts", *PLATFORM_KEYS,
}  # fmt: skip


def _android(entry_id: str, raw: Any) -> AndroidIndicators:
    if raw is None:
        return AndroidIndicators()
    if not isinstance(raw, dict) or set(raw) - {"packages", "certificates"}:
        raise SchemaError(f"{entry_id}.android: must be a mapping of packages and certificates")
    packages = _strings(entry_id, "android.packages", raw.get("packages"))
    raw_certs = _strings(entry_id, "android.certificates", raw.get("certificates"))
    certs = tuple(c.upper().replace(":", "") for c in raw_certs)
    for package in packages:
        if not _ANDROID_PACKAGE.match(package):
            raise SchemaError(f"{entry_id}: android package {package!r} is not a package name")
    for cert in certs:
        if not _CERT.match(cert):
            raise SchemaError(f"{entry_id}: android certificate {cert!r} is not a SHA-1 or SHA-256 in hex")
    return AndroidIndicators(packages, tuple(dict.fromkeys(certs)))


def product_from_dict(raw: Any, origin: str = "built-in") -> Product:
    """Validate one entry; SchemaError names the entry and the field at fault."""
    if not isinstance(raw, dict):
        raise SchemaError(f"entry {raw!r:.60} is not a mapping")
    entry_id = raw.get("id")
    if not isinstance(entry_id, str) or not _ID.match(entry_id):
        raise SchemaError(f"entry {raw.get('name', raw)!r:.60}: 'id' must be lower-case letters, digits, . _ -")
    unknown = sorted(set(raw) - _TOP_KEYS)
    if unknown:
        raise SchemaError(f"{entry_id}: unknown field {unknown[0]!r}")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise SchemaError(f"{entry_id}: 'name' is required")
    hosts: dict[str, HostIndicators] = {}
    for key, platform in PLATFORM_KEYS.items():
        if key in raw:
            if platform in hosts:
                raise SchemaError(f"{entry_id}: macOS given twice: both 'macos' and its old name 'darwin' (or 'mac')")
            hosts[platform] = _host(entry_id, platform, raw[key])
    advice = raw.get("advice", "")
    if not isinstance(advice, str):
        raise SchemaError(f"{entry_id}: 'advice' must be text")
    vendor = raw.get("vendor") or ""
    if not isinstance(vendor, str):
        raise SchemaError(f"{entry_id}: 'vendor' must be text")
    return Product(
        id=entry_id,
        name=name.strip(),
        aliases=_strings(entry_id, "aliases", raw.get("aliases")),
        vendor=vendor,
        category=_choice(entry_id, "category", raw.get("category"), CATEGORIES),
        presentation=_choice(entry_id, "presentation", raw.get("presentation"), PRESENTATIONS),
        verified=_choice(entry_id, "verified", raw.get("verified"), VERIFICATION),
        hosts=hosts,
        domains=_domains(entry_id, "domains", raw.get("domains")),
        websites=_domains(entry_id, "websites", raw.get("websites")),
        ips=_ips(entry_id, raw.get("ips")),
        download_hosts=_domains(entry_id, "download_hosts", raw.get("download_hosts")),
        sources=_sources(entry_id, raw.get("sources")),
        advice=advice.strip(),
        origin=str(raw.get("origin") or origin),
        relevance=_choice(entry_id, "relevance", raw.get("relevance", "high"), RELEVANCE),
        android=_android(entry_id, raw.get("android")),
    )
