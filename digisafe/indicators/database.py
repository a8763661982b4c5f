"""The indicator database: built-in data (shipped in the package, works offline) merged with the
feeds stored by `digisafe indicators update` in the user's data folder."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from digisafe.core.platforms import Platform
from digisafe.indicators.schema import Product, SchemaError, product_from_dict

DATA_DIR = Path(__file__).parent / "data"
STALE_AFTER_DAYS = 90  # an older database still works, but every report says it is old

BUILTIN_SOURCE = {
    "name": "digisafe built-in indicators",
    "url": "",  # shipped inside the package (digisafe/indicators/data/); no address to invent
    "licence": "same as digisafe; every entry names its own sources",
    "fetched": "",
}


@dataclass
class IndicatorDatabase:
    version: str
    built: str  # ISO date of the built-in data
    sources: list[dict[str, Any]]
    products: tuple[Product, ...]
    system_programs: dict[str, list[dict]] = field(default_factory=dict)
    updated: str | None = None  # ISO time of the last successful update, None if never
    notes: list[str] = field(default_factory=list)  # e.g. "the stored update is damaged; built-in used"
    _matchers: dict[str, Any] = field(default_factory=dict, repr=False)
    _coverage: dict[str, Any] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def matcher(self, platform: str):  # -> Matcher (imported lazily to keep start-up fast)
        from digisafe.indicators.matcher import Matcher

        platform = Platform.parse(platform).value  # "darwin" (old spelling) is macOS
        with self._lock:
            if platform not in self._matchers:
                self._matchers[platform] = Matcher(self.products, platform, self.system_programs.get(platform, []))
            return self._matchers[platform]

    def coverage_for(self, platform: str) -> dict[str, Any]:
        """What checks on this laptop system can recognise, per category (cached)."""
        from digisafe.indicators.coverage import for_report

        key = str(platform)
        with self._lock:
            if key not in self._coverage:
                self._coverage[key] = for_report(self.products, platform)
            return self._coverage[key]

    def product(self, product_id: str) -> Product | None:
        for product in self.products:
            if product.id == product_id:
                return product
        return None

    def find(self, name: str) -> list[Product]:
        """Products whose id, name or an alias equals ``name`` (case-insensitive): for --known."""
        key = name.strip().lower()
        return [p for p in self.products if key == p.id or key in (n.lower() for n in p.names)]

    def newest_date(self) -> dt.datetime:
        dates = [_parse_time(self.built)]
        if self.updated:
            dates.append(_parse_time(self.updated))
        return max(dates)

    def age_days(self, now: float | dt.datetime | None = None) -> int:
        """Days since the newest data (the built-in date or the last update)."""
        if now is None:
            current = dt.datetime.now(dt.timezone.utc)
        elif isinstance(now, dt.datetime):
            current = now if now.tzinfo else now.replace(tzinfo=dt.timezone.utc)
        else:
            current = dt.datetime.fromtimestamp(float(now), dt.timezone.utc)
        return max(0, (current - self.newest_date()).days)

    def is_stale(self, now: float | dt.datetime | None = None) -> bool:
        return self.age_days(now) > STALE_AFTER_DAYS


def _parse_time(text: str) -> dt.datetime:
    value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def yaml_load(text: str) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)  # noqa: S506 - a SafeLoader: no Python objects


def _platform_key(key: Any) -> str:
    """A system_programs.yaml key in the one vocabulary ("darwin" is read as "macos")."""
    try:
        return Platform.parse(str(key)).value
    except ValueError:
        raise SchemaError(f"system_programs.yaml: unknown platform {key!r}") from None


def load_builtin(data_dir: Path = DATA_DIR) -> tuple[dict[str, Any], list[Product], dict[str, list[dict]]]:
    """meta, products, system programs. Raises SchemaError on a broken data file (a bug of ours)."""
    meta = yaml_load((data_dir / "meta.yaml").read_text(encoding="utf-8"))
    raw_programs = yaml_load((data_dir / "system_programs.yaml").read_text(encoding="utf-8")) or {}
    system_programs = {_platform_key(key): rules for key, rules in raw_programs.items()}
    products: list[Product] = []
    seen: set[str] = set()
    for path in sorted(data_dir.glob("products-*.yaml")):
        entries = yaml_load(path.read_text(encoding="utf-8")) or []
        if not isinstance(entries, list):
            raise SchemaError(f"{path.name}: must be a list of products")
        for raw in entries:
            try:
                product = product_from_dict(raw)
            except SchemaError as exc:
                raise SchemaError(f"{path.name}: {exc}") from None
            if product.id in seen:
                raise SchemaError(f"{path.name}: duplicate id {product.id!r}")
            seen.add(product.id)
            products.append(product)
    return meta, products, system_programs


def load_derived(data_dir: Path = DATA_DIR) -> dict[str, Any] | None:
    """The feeds' products derived at release time (digisafe/indicators/derive.py), or None."""
    import json

    path = data_dir / "derived.json"
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _derived_sources(derived: dict[str, Any], replaced: set[str]) -> list[dict[str, Any]]:
    return [
        {
            "name": f"{feed['name']}, derived into the built-in data",
            "url": feed.get("url", ""),
            "licence": feed.get("licence", ""),
            "fetched": feed.get("fetched", ""),
            "sha256": feed.get("sha256", ""),
        }
        for kind, feed in sorted(derived["feeds"].items())
        if kind not in replaced
    ]


def build_database(
    meta: dict[str, Any],
    builtin: Sequence[Product],
    system_programs: dict[str, list[dict]],
    store: dict[str, Any] | None = None,
    notes: Sequence[str] = (),
    derived: dict[str, Any] | None = None,
) -> IndicatorDatabase:
    """Curated entries first; then each feed's products (the stored update if there is one, else the
    copy derived at release time) merged under them: curated entries win where both name a product."""
    from digisafe.indicators.merge import merge_products

    products = list(builtin)
    sources = [dict(BUILTIN_SOURCE, fetched=str(meta["built"]))]
    version = str(meta["version"])
    updated = None
    stored = set(store["feeds"]) if store else set()
    if derived:
        for kind in sorted(set(derived["feeds"]) - stored):
            imported = [product_from_dict(raw, origin="built-in") for raw in derived["feeds"][kind]["products"]]
            products = merge_products(products, imported)
        sources += _derived_sources(derived, stored)
    if store:
        feeds = store["feeds"]
        for name in sorted(feeds):
            feed = feeds[name]
            imported = [product_from_dict(raw, origin=name) for raw in feed["products"]]
            products = merge_products(products, imported)
            sources.append({k: feed.get(k, "") for k in ("name", "url", "licence", "fetched", "sha256")})
        updated = store.get("updated")
        version = f"{version}+{store.get('version', 'update')}"
    return IndicatorDatabase(
        version=version,
        built=str(meta["built"]),
        sources=sources,
        products=tuple(products),
        system_programs=system_programs,
        updated=updated,
        notes=list(notes),
    )


_CACHE: dict[str, IndicatorDatabase] = {}
_CACHE_LOCK = threading.Lock()


def load_database(data_dir: Path | None = None) -> IndicatorDatabase:
    """Built-in data merged with the updated store in ``data_dir`` if present and valid (else the
    built-in data alone, with a note saying why). Cached per process and folder."""
    key = str(data_dir) if data_dir is not None else ""
    with _CACHE_LOCK:
        if key not in _CACHE:
            _CACHE[key] = _load_uncached(data_dir)
        return _CACHE[key]


def clear_cache() -> None:
    with _CACHE_LOCK:
        _CACHE.clear()


def _load_uncached(data_dir: Path | None) -> IndicatorDatabase:
    from digisafe.indicators.store import read_store

    meta, builtin, system_programs = load_builtin()
    derived = load_derived()
    store, notes = (None, []) if data_dir is None else read_store(data_dir)
    if store is not None:
        try:
            return build_database(meta, builtin, system_programs, store, notes, derived)
        except (SchemaError, KeyError, TypeError, ValueError) as exc:
            notes = [*notes, f"the updated indicators could not be used ({exc}); using the built-in ones"]
    return build_database(meta, builtin, system_programs, None, notes, derived)


def describe_for_report(
    db: IndicatorDatabase, now: float | dt.datetime | None = None, platform: str | None = None
) -> dict[str, Any]:
    """What a report should say about the indicators it used: for Report.sources["indicators"].
    With ``platform`` (a laptop system), also what this laptop's checks can recognise ("coverage")."""
    age = db.age_days(now)
    info: dict[str, Any] = {
        "version": db.version,
        "built": db.built,
        "updated": db.updated or "never",
        "age_days": age,
        "products": len(db.products),
        "stale": age > STALE_AFTER_DAYS,
        "sources": [{k: s.get(k, "") for k in ("name", "licence", "fetched")} for s in db.sources],
    }
    if age > STALE_AFTER_DAYS:
        info["warning"] = (
            f"The monitoring-software database is {age} days old: newer products may be missed. "
            "Run `digisafe indicators update` when it is safe to use the internet."
        )
    if db.notes:
        info["notes"] = list(db.notes)
    if platform is not None:
        info["coverage"] = db.coverage_for(platform)
    return info
