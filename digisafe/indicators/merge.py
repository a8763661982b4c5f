"""Merging feed products into the built-in ones without letting a feed raise their confidence."""

from __future__ import annotations

import dataclasses
import re
from typing import Sequence

from digisafe.indicators.schema import Product


def name_key(name: str) -> str:
    """'Spyrix (Personal Monitor)' and 'spyrix' -> 'spyrix'; 'Team Viewer' -> 'teamviewer'."""
    text = re.sub(r"\(.*?\)", "", name.lower())
    return re.sub(r"[^a-z0-9]", "", text)


def _union(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*a, *b)))


def merge_into(base: Product, extra: Product) -> Product:
    """Network facts and aliases are added; host indicators only for an OS the base does not cover,
    and then at the feed's own verification level (a feed never inherits our 'verified').

    The feed says which hosts are the vendor's website or a download host rather than the
    product's service: a host the feed lists only that way is moved there (the kind of page a
    browser visit is reported as), never dropped."""
    hosts = dict(base.hosts)
    for platform, host in extra.hosts.items():
        if platform not in hosts and not host.is_empty():
            hosts[platform] = dataclasses.replace(host, verified=host.verified or extra.verified)
    not_service = (set(extra.websites) | set(extra.download_hosts)) - set(extra.domains)
    domains = tuple(d for d in _union(base.domains, extra.domains) if d not in not_service)
    downloads = tuple(d for d in _union(base.download_hosts, extra.download_hosts) if d not in domains)
    aliases = tuple(a for a in _union(base.aliases, (extra.name, *extra.aliases)) if name_key(a) != name_key(base.name))
    android = dataclasses.replace(
        base.android,
        packages=_union(base.android.packages, extra.android.packages),
        certificates=_union(base.android.certificates, extra.android.certificates),
    )
    return dataclasses.replace(
        base,
        android=android,
        aliases=tuple(dict.fromkeys(aliases)),
        hosts=hosts,
        domains=domains,
        websites=tuple(w for w in _union(base.websites, extra.websites) if w not in domains and w not in downloads),
        ips=_union(base.ips, extra.ips),
        download_hosts=downloads,
        sources=_union(base.sources, extra.sources),
    )


def merge_products(base: Sequence[Product], imported: Sequence[Product]) -> list[Product]:
    """Each imported product joins the base product sharing a name or alias, or is added."""
    merged = list(base)
    index: dict[str, int] = {}
    for position, product in enumerate(merged):
        for key in filter(None, map(name_key, product.names)):  # an empty key would join unrelated products
            index.setdefault(key, position)
    for product in imported:
        keys = [k for k in map(name_key, product.names) if k]
        position = next((index[k] for k in keys if k in index), None)
        if position is None:
            index.update({k: len(merged) for k in keys if k not in index})
            merged.append(product)
        else:
            merged[position] = merge_into(merged[position], product)
    return merged

