"""Browser history and downloads, reduced to hosts: pure readers of an open SQLite connection.

Chromium ``History``: ``urls`` + ``visits`` (times in microseconds since 1601-01-01 UTC),
``downloads`` + ``downloads_url_chains``. Firefox ``places.sqlite``: ``moz_places`` +
``moz_historyvisits`` (microseconds since 1970), downloads as ``moz_annos`` rows named
``downloads/destinationFileURI``. Only the host of each address is kept, with the first and last
visit and the number of visits; a download keeps its hosts and its file name. Nothing else of the
history leaves these functions.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from typing import Iterable
from urllib.parse import unquote, urlsplit

from digisafe.traces.model import Download, HostVisits

_CHROME_EPOCH = datetime(1601, 1, 1, tzinfo=timezone.utc)
_UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


class NotAHistoryDatabase(Exception):
    """The file is a database, but not a browser history of the expected shape."""


def _iso(epoch: datetime, micros: object) -> str | None:
    if isinstance(micros, bool) or not isinstance(micros, (int, float)) or micros <= 0:
        return None
    try:
        moment = epoch + timedelta(microseconds=int(micros))
    except (OverflowError, ValueError):
        return None
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


def host_of(url: object) -> str | None:
    if not isinstance(url, str) or "://" not in url[:16]:
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.rstrip(".").lower() if host else None


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _aggregate(rows: Iterable[tuple[str | None, object, object, int]], epoch: datetime) -> dict[str, HostVisits]:
    found: dict[str, list] = {}
    for host, first, last, count in rows:
        if not host:
            continue
        slot = found.setdefault(host, [None, None, 0])
        if isinstance(first, (int, float)) and first > 0 and (slot[0] is None or first < slot[0]):
            slot[0] = first
        if isinstance(last, (int, float)) and (slot[1] is None or last > slot[1]):
            slot[1] = last
        slot[2] += int(count or 0)
    return {h: HostVisits(h, _iso(epoch, v[0]), _iso(epoch, v[1]), v[2]) for h, v in found.items()}


def chromium_hosts(conn: sqlite3.Connection) -> dict[str, HostVisits]:
    if not {"urls", "visits"} <= _tables(conn):
        raise NotAHistoryDatabase("no urls/visits tables: not a Chromium History file")
    rows = conn.execute(
        "SELECT u.url, MIN(v.visit_time), MAX(v.visit_time), COUNT(v.id) "
        "FROM urls u JOIN visits v ON v.url = u.id GROUP BY u.id"
    )
    return _aggregate(((host_of(url), a, b, n) for url, a, b, n in rows), _CHROME_EPOCH)


def _file_name(path: object) -> str:
    text = unquote(path) if isinstance(path, str) else ""
    return text.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]


def chromium_downloads(conn: sqlite3.Connection) -> list[Download]:
    if "downloads" not in _tables(conn):
        return []
    chains: dict[int, list[str]] = {}
    if "downloads_url_chains" in _tables(conn):
        for download_id, url in conn.execute("SELECT id, url FROM downloads_url_chains ORDER BY id, chain_index"):
            chains.setdefault(download_id, []).append(url)
    columns = {row[1] for row in conn.execute("PRAGMA table_info(downloads)")}
    pages = [c for c in ("tab_url", "referrer", "site_url") if c in columns]
    # The column names come from the fixed tuple above, never from the file.
    query = f"SELECT id, target_path, start_time{''.join(', ' + c for c in pages)} FROM downloads"  # noqa: S608
    found = []
    for download_id, target, started, *urls in conn.execute(query):
        hosts = [host_of(u) for u in [*chains.get(download_id, []), *urls]]
        found.append(
            Download(tuple(dict.fromkeys(h for h in hosts if h)), _file_name(target), _iso(_CHROME_EPOCH, started))
        )
    return found


def _reverse_host(rev_host: object) -> str | None:
    if not isinstance(rev_host, str) or not rev_host.strip("."):
        return None
    return rev_host[::-1].strip(".").lower()


def firefox_hosts(conn: sqlite3.Connection) -> dict[str, HostVisits]:
    if not {"moz_places", "moz_historyvisits"} <= _tables(conn):
        raise NotAHistoryDatabase("no moz_places/moz_historyvisits tables: not a Firefox places.sqlite")
    rows = conn.execute(
        "SELECT p.rev_host, MIN(v.visit_date), MAX(v.visit_date), COUNT(v.id) "
        "FROM moz_places p JOIN moz_historyvisits v ON v.place_id = p.id GROUP BY p.rev_host"
    )
    return _aggregate(((_reverse_host(r), a, b, n) for r, a, b, n in rows), _UNIX_EPOCH)


def firefox_downloads(conn: sqlite3.Connection) -> list[Download]:
    if not {"moz_annos", "moz_anno_attributes"} <= _tables(conn):
        return []
    rows = conn.execute(
        "SELECT p.url, a.content, a.dateAdded FROM moz_annos a "
        "JOIN moz_anno_attributes n ON n.id = a.anno_attribute_id JOIN moz_places p ON p.id = a.place_id "
        "WHERE n.name = 'downloads/destinationFileURI'"
    )
    found = []
    for url, destination, added in rows:
        host = host_of(url)
        if host:
            found.append(Download((host,), _file_name(destination), _iso(_UNIX_EPOCH, added)))
    return found
