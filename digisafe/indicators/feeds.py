"""Importers for the public feeds: Echap stalkerware-indicators (ioc.yaml, watchware.yaml) and
LOLRMM (rmm_tools.json). Bytes in, products in our schema out; pure functions, no network.

Only facts that can identify software are kept (names, paths, services, signers, hosts, and
Android package names and signing certificates for the phone audit); values the lint rejects
(generic names, sample hashes, shared hosts) are dropped and counted. Everything imported is
marked ``verified: feed``, so it never backs a high-confidence finding on its own.
"""

from __future__ import annotations

import ipaddress
import json
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from digisafe.indicators import data_lint
from digisafe.indicators.schema import SchemaError, product_from_dict

FEEDS = {
    "echap-ioc": {
        "name": "Echap stalkerware-indicators ioc.yaml",
        "url": "https://raw.githubusercontent.com/AssoEchap/stalkerware-indicators/master/ioc.yaml",
        "licence": "CC-BY-4.0 (Echap, https://github.com/AssoEchap/stalkerware-indicators)",
    },
    "echap-watchware": {
        "name": "Echap stalkerware-indicators watchware.yaml",
        "url": "https://raw.githubusercontent.com/AssoEchap/stalkerware-indicators/master/watchware.yaml",
        "licence": "CC-BY-4.0 (Echap, https://github.com/AssoEchap/stalkerware-indicators)",
    },
    "lolrmm": {
        "name": "LOLRMM rmm_tools.json",
        "url": "https://lolrmm.io/api/rmm_tools.json",
        "licence": "Apache-2.0 (magicsword-io, https://github.com/magicsword-io/LOLRMM)",
    },
}
MAX_PRODUCTS = 5000
MAX_VALUES = 500
# NOTE: Echap's ioc.yaml is under 100 kB; PyYAML loads well under 2 MB/s with about 130 bytes of
# memory per byte (a 15 MB YAML feed took 11 s and 0.5 GB), so YAML feeds stop at 2 MB, 20 times
# today's. JSON (LOLRMM, about 2 MB) loads some 20 times faster and keeps the 16 MB download limit.
MAX_YAML_FEED_BYTES = 2 * 1024 * 1024
_DOMAIN = re.compile(r"^(\*\.)?([a-z0-9_-]{1,63}\.)+[a-z0-9-]{2,63}$")


class FeedError(ValueError):
    """A feed that is not what it claims to be; the message is one line for the user."""


@dataclass
class Converted:
    kind: str
    products: list[dict[str, Any]]
    dropped: int = 0
    skipped: list[str] = field(default_factory=list)
    phone_only: list[str] = field(default_factory=list)  # names with no indicator a laptop can show


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "unnamed"


def parse_feed(raw: bytes) -> tuple[str, Any]:
    """Detect the feed kind by content: a JSON list of {Name: ...} is LOLRMM, a YAML list of
    {name, type} is Echap (type stalkerware: ioc.yaml; watchware: watchware.yaml)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FeedError("the feed is not UTF-8 text") from None
    from digisafe.core.userfiles import json_loads, yaml_loads

    stripped = text.lstrip()
    if stripped.startswith(("[", "{")):
        try:
            data = json_loads(text)
        except json.JSONDecodeError as exc:
            raise FeedError(f"the feed is not valid JSON ({exc.msg}, line {exc.lineno})") from None
        except ValueError as exc:  # nested too deep, or a number too long
            raise FeedError(f"the feed is not usable JSON: {exc}") from None
        if isinstance(data, list) and data and all(isinstance(d, dict) and "Name" in d for d in data):
            return "lolrmm", data
        raise FeedError("the JSON is not an LOLRMM rmm_tools.json list of tools")
    import yaml

    if len(raw) > MAX_YAML_FEED_BYTES:
        raise FeedError(f"the YAML feed is larger than {MAX_YAML_FEED_BYTES // (1024 * 1024)} MB, the most digisafe "
                        "reads (Echap's ioc.yaml is under 100 kB)")
    try:
        data = yaml_loads(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise FeedError(f"the feed is not valid YAML{where}") from None
    except ValueError as exc:  # nested too deep, or a number too long
        raise FeedError(f"the feed is not usable YAML: {exc}") from None
    if isinstance(data, list) and data and all(isinstance(d, dict) and "name" in d for d in data):
        types = {d.get("type") for d in data if isinstance(d.get("type"), str)}  # a list there crashed
        if types == {"watchware"}:
            return "echap-watchware", data
        if "stalkerware" in types:
            return "echap-ioc", data
    raise FeedError("the feed is neither an Echap ioc.yaml/watchware.yaml nor an LOLRMM rmm_tools.json")


def _list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return []
    return [v.strip() for v in value if isinstance(v, str) and v.strip()][:MAX_VALUES]


def _hosts(values: Iterable[str], counter: list[int]) -> list[str]:
    out = []
    for value in values:
        host = value.lower().strip().rstrip(".")
        if _DOMAIN.match(host) and data_lint.domain_ok(host):
            out.append(host)
        else:
            counter[0] += 1
    return list(dict.fromkeys(out))


def _ips(values: Iterable[str], counter: list[int]) -> list[str]:
    out = []
    for value in values:
        try:
            out.append(str(ipaddress.ip_address(value.strip())))
        except ValueError:
            counter[0] += 1
    return list(dict.fromkeys(out))


def _finish(kind: str, entries: list[dict[str, Any]], dropped: list[int]) -> Converted:
    result = Converted(kind, [], dropped[0])
    seen: set[str] = set()
    for entry in entries[:MAX_PRODUCTS]:
        while entry["id"] in seen:
            entry["id"] += "-2"
        try:
            product_from_dict(entry, origin=kind)
        except SchemaError as exc:
            result.skipped.append(str(exc))
            continue
        seen.add(entry["id"])
        result.products.append(entry)
    return result


def feed_source(kind: str, url: str = "") -> dict[str, str]:
    return {"name": f"{FEEDS[kind]['name']} ({FEEDS[kind]['licence']})", "url": url or FEEDS[kind]["url"]}


def convert_echap(kind: str, data: list[dict[str, Any]], url: str = "") -> Converted:
    dropped = [0]
    watchware = kind == "echap-watchware"
    entries = []
    phone_only = []
    for item in data[:MAX_PRODUCTS]:  # NOTE: at most this many are read (conversion is the slow part)
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            dropped[0] += 1
            continue
        c2 = item.get("c2") if isinstance(item.get("c2"), dict) else {}
        # NOTE: two entries spell c2 'ips' as 'ip'; accept both.
        domains = _hosts(_list(c2.get("domains")), dropped)
        downloads = [d for d in _hosts(_list(item.get("distribution")), dropped) if d not in domains]
        websites = [w for w in _hosts(_list(item.get("websites")), dropped) if w not in domains + downloads]
        ips = _ips([*_list(c2.get("ips")), *_list(c2.get("ip"))], dropped)
        android = _android(item, dropped)
        if not (domains or websites or ips or downloads):
            phone_only.append(name.strip())  # nothing a laptop check can use (the phone audit may)
        if not (domains or websites or ips or downloads or android):
            continue
        entry = {
            "id": f"{kind}.{slug(name)}",
            "name": name.strip(),
            "aliases": [n for n in _list(item.get("names")) if n.lower() != name.strip().lower()],
            "category": "parental" if watchware else "stalkerware",
            "presentation": "visible" if watchware else "covert",
            "verified": "feed",
            "domains": domains,
            "websites": websites,
            "ips": ips,
            **({"download_hosts": downloads} if downloads else {}),
            "sources": [feed_source(kind, url)],
        }  # fmt: skip
        if android:
            entry["android"] = android
        entries.append(entry)
    result = _finish(kind, entries, dropped)
    result.phone_only = phone_only
    return result


_ANDROID_PACKAGE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+$")
_CERT = re.compile(r"^(?:[0-9A-F]{40}|[0-9A-F]{64})$")


def _android(item: dict[str, Any], counter: list[int]) -> dict[str, list[str]]:
    """Echap's ``packages`` and ``certificates`` (signing-certificate SHA-1s) for the phone audit."""
    packages = [p for p in _list(item.get("packages")) if _ANDROID_PACKAGE.match(p)]
    certs = [c.upper().replace(":", "") for c in _list(item.get("certificates"))]
    good = [c for c in certs if _CERT.match(c)]
    counter[0] += len(_list(item.get("packages"))) - len(packages) + len(certs) - len(good)
    out = {"packages": list(dict.fromkeys(packages)), "certificates": list(dict.fromkeys(good))}
    return {k: v for k, v in out.items() if v}
