"""The update store: converted feeds kept in the user's data folder, with the last good copy.

Layout (all files 0600, written atomically by digisafe.core.safefile.write_private)::

    <data dir>/indicators/store.json            the current converted feeds
    <data dir>/indicators/store.previous.json   the copy before the last update (last good)

``store.json`` is our own schema in JSON: {"format": 1, "version", "updated", "feeds": {name:
{name, url, licence, fetched, sha256, products: [...]}}}. It is validated again when read, so a
damaged or edited store falls back to the previous copy, then to the built-in data.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from digisafe.indicators.schema import SchemaError, product_from_dict

STORE_FORMAT = 1
STORE_NAME = "store.json"
PREVIOUS_NAME = "store.previous.json"
MAX_STORE_BYTES = 64 * 1024 * 1024


def store_folder(data_dir: Path) -> Path:
    return Path(data_dir) / "indicators"


def parse_store(raw: bytes) -> dict[str, Any]:
    """Validate a store file's bytes; ValueError with a short reason if it is not usable."""
    from digisafe.core.userfiles import json_loads

    try:
        data = json_loads(raw.decode("utf-8"))  # NOTE: nesting capped: a planted store must not crash an audit
    except ValueError as exc:  # not UTF-8, not JSON, nested too deep, a number too long
        raise ValueError(f"not valid JSON ({exc})") from None
    if not isinstance(data, dict) or data.get("format") != STORE_FORMAT:
        raise ValueError(f"not a digisafe indicator store (format {STORE_FORMAT})")
    feeds = data.get("feeds")
    if not isinstance(feeds, dict) or not isinstance(data.get("updated"), str):
        raise ValueError("the store has no feeds or no update time")
    for name, feed in feeds.items():
        if not isinstance(feed, dict) or not isinstance(feed.get("products"), list):
            raise ValueError(f"feed {name!r} has no product list")
        try:
            for entry in feed["products"]:
                product_from_dict(entry, origin=name)
        except SchemaError as exc:
            raise ValueError(f"feed {name!r}: {exc}") from None
    return data


def _read(path: Path) -> dict[str, Any]:
    if path.stat().st_size > MAX_STORE_BYTES:
        raise ValueError("the file is too large")
    return parse_store(path.read_bytes())


def read_store(data_dir: Path) -> tuple[dict[str, Any] | None, list[str]]:
    """The current store, else the last good copy, else None; notes say what was skipped and why."""
    folder = store_folder(data_dir)
    notes: list[str] = []
    for name in (STORE_NAME, PREVIOUS_NAME):
        path = folder / name
        try:
            if not path.is_file():
                continue
            store = _read(path)
        except (OSError, ValueError) as exc:
            notes.append(f"{path} could not be used ({exc})")
            continue
        if notes:
            notes.append(f"using the previous good copy {path}")
        return store, notes
    if notes:
        notes.append("using the built-in indicators only")
    return None, notes


def write_store(data_dir: Path, store: dict[str, Any]) -> Path:
    """Write the new store atomically, keeping the current one (if it is good) as the last good copy."""
    from digisafe.core.errors import InputError
    from digisafe.core.safefile import write_private

    folder = store_folder(data_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise InputError(f"cannot create {folder}: {exc.strerror or exc}") from None
    payload = json.dumps(store, indent=1, sort_keys=True, ensure_ascii=False).encode("utf-8")
    parse_store(payload)  # never write something we could not read back
    current = folder / STORE_NAME
    if current.exists():
        try:
            good = current.read_bytes()
            parse_store(good)
        except (OSError, ValueError):
            pass  # a damaged current store is not worth keeping; the previous good copy stays
        else:
            write_private(folder / PREVIOUS_NAME, good)
    return write_private(current, payload)
