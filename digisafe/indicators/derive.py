"""Derive the built-in entries of the public feeds, in our schema, from local copies of the feeds.

Run at release time (offline; reads the files, downloads nothing)::

    python -m digisafe.indicators.derive /path/to/feeds [--date YYYY-MM-DD] [--output FILE]

``/path/to/feeds`` is a folder holding LOLRMM's ``rmm_tools.json`` and Echap's ``ioc.yaml`` and
``watchware.yaml`` (anywhere below it; each file is recognised by its content, as
``indicators update --from`` does). The result, ``digisafe/indicators/data/derived.json``, is our
own data: the facts the importers keep (program names, install folders, services, signers, hosts),
converted by the same code as ``indicators update`` and checked by the same lint. The feed files
themselves are never shipped.

At load time the derived products are merged under the curated ones exactly like an update
(``merge.merge_products``): where a curated entry names the same product, the curated entry wins
and the feed only adds hosts and operating systems it does not cover. A later ``indicators
update`` replaces the derived copy of each feed it stores.

Attribution: LOLRMM by magicsword-io (Apache-2.0); Echap stalkerware-indicators (CC-BY-4.0).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
from pathlib import Path
from typing import Any, Sequence

DERIVED_NAME = "derived.json"
DERIVED_FORMAT = 1
FEED_FILES = ("*.json", "*.yaml", "*.yml")


def convert(kind: str, data: Any) -> Any:  # -> feeds.Converted
    from digisafe.indicators.feeds import convert_echap
    from digisafe.indicators.lolrmm import convert_lolrmm

    return convert_lolrmm(data) if kind == "lolrmm" else convert_echap(kind, data)


def find_feeds(folder: Path) -> dict[str, tuple[Path, bytes]]:
    """kind -> (file, bytes) for every feed file below ``folder`` (recognised by its content)."""
    from digisafe.indicators.feeds import FeedError, parse_feed

    found: dict[str, tuple[Path, bytes]] = {}
    for pattern in FEED_FILES:
        for path in sorted(folder.rglob(pattern)):
            raw = path.read_bytes()
            try:
                kind, _data = parse_feed(raw)
            except FeedError:
                continue
            if kind in found:
                raise SystemExit(f"derive: two {kind} feeds: {found[kind][0]} and {path}")
            found[kind] = (path, raw)
    return found


def derive(folder: Path, date: str) -> dict[str, Any]:
    """The derived data (the shape of the update store, plus what each feed could not give a laptop)."""
    from digisafe.indicators.feeds import FEEDS, parse_feed

    feeds: dict[str, Any] = {}
    for kind, (_path, raw) in sorted(find_feeds(folder).items()):
        _kind, data = parse_feed(raw)
        result = convert(kind, data)
        feeds[kind] = {
            "name": FEEDS[kind]["name"],
            "url": FEEDS[kind]["url"],
            "licence": FEEDS[kind]["licence"],
            "fetched": date,
            "sha256": hashlib.sha256(raw).hexdigest(),
            "entries": len(data),
            "products": result.products,
            "phone_only": sorted(result.phone_only),
            "not_reported": sorted(result.skipped),
        }
    if not feeds:
        raise SystemExit(f"derive: no LOLRMM or Echap feed file found under {folder}")
    return {"format": DERIVED_FORMAT, "derived": date, "feeds": feeds}


def main(argv: Sequence[str] | None = None) -> int:
    from digisafe.indicators.database import DATA_DIR

    parser = argparse.ArgumentParser(prog="python -m digisafe.indicators.derive", description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path, help="folder holding rmm_tools.json, ioc.yaml, watchware.yaml")
    parser.add_argument("--date", default=dt.date.today().isoformat(), help="date recorded as the feeds' date")
    parser.add_argument("--output", type=Path, default=DATA_DIR / DERIVED_NAME)
    args = parser.parse_args(argv)
    if not args.folder.is_dir():
        parser.error(f"{args.folder} is not a folder")
    data = derive(args.folder, args.date)
    text = json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    args.output.write_text(text, encoding="utf-8")
    for kind, feed in data["feeds"].items():
        print(
            f"{kind}: {feed['entries']} entries -> {len(feed['products'])} products "
            f"({len(feed['phone_only'])} of them phone-only), {len(feed['not_reported'])} not reported"
        )
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
