"""`digisafe indicators update`: the ONLY code in digisafe that uses the network.

Each feed is fetched with requests over HTTPS (TLS verification is never turned off), with a
connect/read timeout, an overall deadline and a size cap enforced while streaming; plain http is
refused except to this machine (tests). A feed is parsed (JSON, or YAML with a safe loader only),
converted to our schema and validated before anything is written; the store is then replaced
atomically, keeping the last good copy. Any failure is one FeedError line and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Mapping
from urllib.parse import urljoin, urlsplit

from digisafe.indicators.feeds import FEEDS, Converted, FeedError, convert_echap, parse_feed

MAX_FEED_BYTES = 16 * 1024 * 1024  # LOLRMM's rmm_tools.json is about 2 MB today
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 30.0
MAX_REDIRECTS = 5
DEADLINE = 120.0  # a feed that trickles in slower than this is abandoned
ENV_URL = {kind: "DIGISAFE_FEED_" + kind.upper().replace("-", "_") for kind in FEEDS}  # e.g. DIGISAFE_FEED_LOLRMM


@dataclass(frozen=True)
class FetchLimits:
    max_bytes: int = MAX_FEED_BYTES
    connect_timeout: float = CONNECT_TIMEOUT
    read_timeout: float = READ_TIMEOUT
    deadline: float = DEADLINE


def feed_urls(overrides: Mapping[str, str] | None = None, env: Mapping[str, str] | None = None) -> dict[str, str]:
    """Default URLs, then DIGISAFE_FEED_<KIND> environment variables, then explicit overrides."""
    env = os.environ if env is None else env
    urls = {kind: env.get(ENV_URL[kind]) or info["url"] for kind, info in FEEDS.items()}
    for kind, url in (overrides or {}).items():
        if kind not in FEEDS:
            raise FeedError(f"unknown feed {kind!r} (known: {', '.join(FEEDS)})")
        urls[kind] = url
    return {kind: url for kind, url in urls.items() if url and url.lower() != "none"}


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname and _is_loopback(parts.hostname):
        return
    raise FeedError(f"{url}: only https:// addresses are allowed (plain http only to this computer)")


def fetch(url: str, limits: FetchLimits = FetchLimits()) -> bytes:
    """The body of ``url``, or FeedError with one line saying what went wrong."""
    import requests

    started = time.monotonic()
    try:
        for _hop in range(MAX_REDIRECTS + 1):
            check_url(url)  # every hop: a redirect must not leave https either
            # NOTE: verify=True is requests' default; it is spelt out so no one ever "fixes" it away.
            with requests.get(
                url,
                stream=True,
                verify=True,
                allow_redirects=False,
                timeout=(limits.connect_timeout, limits.read_timeout),
            ) as resp:
                if resp.is_redirect and resp.headers.get("Location"):
                    url = urljoin(url, resp.headers["Location"])
                    continue
                if resp.status_code != 200:
                    raise FeedError(f"{url}: the server answered {resp.status_code} {resp.reason or ''}".rstrip())
                return _read_capped(resp, url, limits, started)
        raise FeedError(f"{url}: too many redirects")
    except requests.exceptions.SSLError:
        raise FeedError(f"{url}: the secure connection could not be verified (TLS certificate error)") from None
    except requests.exceptions.Timeout:
        raise FeedError(f"{url}: no answer in time (timeout)") from None
    except requests.exceptions.ConnectionError:
        raise FeedError(f"{url}: could not connect (no internet, or the server is down)") from None
    except requests.exceptions.RequestException as exc:
        raise FeedError(f"{url}: download failed ({type(exc).__name__})") from None


def _read_capped(resp: Any, url: str, limits: FetchLimits, started: float) -> bytes:
    too_big = FeedError(f"{url}: the feed is larger than the {limits.max_bytes:,}-byte limit")
    declared = resp.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > limits.max_bytes:
        raise too_big
    chunks, size = [], 0
    for chunk in _chunks(resp):
        size += len(chunk)
        if size > limits.max_bytes:
            raise too_big
        if time.monotonic() - started > limits.deadline:
            raise FeedError(f"{url}: the download took longer than {limits.deadline:g} s")
        chunks.append(chunk)
    return b"".join(chunks)


def _chunks(resp: Any) -> Iterator[bytes]:
    """Decoded body pieces as they arrive (so a trickling server meets the deadline check)."""
    read1 = getattr(resp.raw, "read1", None)
    if read1 is None:  # NOTE: urllib3 < 2.3 has no read1; iter_content waits for whole chunks
        yield from resp.iter_content(chunk_size=16384)
        return
    while True:
        piece = read1(65536, decode_content=True)
        if not piece:
            return
        yield piece


def convert(raw: bytes, url: str = "", expected: str | None = None, label: str = "") -> Converted:
    """Parse and convert a feed; ``url`` (https) is recorded as each product's source."""
    label = label or url or "the feed"
    try:
        kind, data = parse_feed(raw)
    except FeedError as exc:
        raise FeedError(f"{label}: {exc}") from None
    if expected and kind != expected:
        raise FeedError(f"{label}: expected the {expected} feed but got {kind}")
    if kind == "lolrmm":
        from digisafe.indicators.lolrmm import convert_lolrmm

        result = convert_lolrmm(data, url)
    else:
        result = convert_echap(kind, data, url)
    if not result.products:
        raise FeedError(f"{label}: the {kind} feed holds nothing usable on a laptop")
    return result


def _now_iso() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


def feed_record(result: Converted, raw: bytes, url: str) -> dict[str, Any]:
    info = FEEDS[result.kind]
    return {
        "name": info["name"],
        "url": url,
        "licence": info["licence"],
        "fetched": _now_iso(),
        "sha256": hashlib.sha256(raw).hexdigest(),
        "dropped_values": result.dropped,
        "products": result.products,
    }


def save(data_dir: Path, records: Mapping[str, dict[str, Any]]) -> dict[str, Any]:
    """Merge the new feed records into the current store and write it (last good copy kept)."""
    from digisafe.indicators.database import clear_cache
    from digisafe.indicators.store import STORE_FORMAT, read_store, write_store

    current, _notes = read_store(data_dir)
    feeds = dict(current["feeds"]) if current else {}
    feeds.update(records)
    updated = _now_iso()
    store = {
        "format": STORE_FORMAT,
        "version": "feeds-" + re.sub(r"[^0-9T]", "", updated[:16]),
        "updated": updated,
        "feeds": feeds,
    }
    write_store(data_dir, store)
    clear_cache()
    return store


def update_from_urls(data_dir: Path, urls: Mapping[str, str], limits: FetchLimits = FetchLimits()) -> dict[str, Any]:
    """Fetch and convert every feed first; write only if all succeeded (all or nothing)."""
    if not urls:
        raise FeedError("no feed to update (every feed was skipped)")
    records = {}
    for kind, url in urls.items():
        raw = fetch(url, limits)
        # A key that is not a feed name ("auto", "url1") means: recognise the feed by its content.
        result = convert(raw, url, expected=kind if kind in FEEDS else None)
        records[result.kind] = feed_record(result, raw, url)
    return save(data_dir, records)


def update_from_file(data_dir: Path, path: Path, max_bytes: int = MAX_FEED_BYTES) -> dict[str, Any]:
    """A feed carried on a USB stick: its kind is detected from its content."""
    from digisafe.core.errors import InputError
    from digisafe.core.safefile import read_limited

    try:  # NOTE: regular files only (a FIFO hangs), and a cap on what is read (/dev/zero says size 0)
        raw = read_limited(path, max_bytes, "feed")
    except InputError as exc:
        raise FeedError(str(exc)) from None
    result = convert(raw, label=str(path))
    record = feed_record(result, raw, f"file:{path.name}")
    return save(data_dir, {result.kind: record})
