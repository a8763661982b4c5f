"""Indicators of monitoring software: schema, built-in data, compiled matcher, feed updates.

The API the checks code against (names are stable; new ones may be added)::

    db = load_database(ctx.data_dir)          # built-in + updated store, cached per process
    m = db.matcher(ctx.platform)              # compiled once per platform and cached
    m.process(name, exe) -> [Match]           # signals "process-name" and "install-path"
    m.path(path), m.service(name), m.autostart(text), m.bundle_id(bid), m.signer(name), m.domain(host)
    m.masquerade(name, exe) -> str | None     # a system program's name outside its proper folder
    Match(product, signal, pattern, verified, kind); match.trusted is False for unverified facts
    describe_for_report(db, now) -> dict      # for Report.sources["indicators"] (version, age, warning)

See docs/indicators.md for the data format and the update command.
"""

from __future__ import annotations

from digisafe.indicators.database import (
    STALE_AFTER_DAYS,
    IndicatorDatabase,
    clear_cache,
    describe_for_report,
    load_database,
)
from digisafe.indicators.matcher import SIGNALS, Match, Matcher
from digisafe.indicators.schema import (
    CATEGORIES,
    PRESENTATIONS,
    RELEVANCE,
    TRUSTED_LEVELS,
    VERIFICATION,
    HostIndicators,
    Product,
    SchemaError,
    SourceRef,
)

__all__ = [
    "CATEGORIES",
    "PRESENTATIONS",
    "RELEVANCE",
    "SIGNALS",
    "STALE_AFTER_DAYS",
    "TRUSTED_LEVELS",
    "VERIFICATION",
    "HostIndicators",
    "IndicatorDatabase",
    "Match",
    "Matcher",
    "Product",
    "SchemaError",
    "SourceRef",
    "clear_cache",
    "describe_for_report",
    "load_database",
]
