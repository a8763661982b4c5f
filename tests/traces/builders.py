"""Real browser history databases: Chromium ``History`` and Firefox ``places.sqlite``, with the
tables and columns the browsers create (the subset of columns they require, same names and types)."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Sequence

CHROME_EPOCH = datetime(1601, 1, 1, tzinfo=timezone.utc)

CHROMIUM_SCHEMA = """
CREATE TABLE meta(key LONGVARCHAR NOT NULL UNIQUE PRIMARY KEY, value LONGVARCHAR);
CREATE TABLE urls(id INTEGER PRIMARY KEY AUTOINCREMENT,url LONGVARCHAR,title LONGVARCHAR,
  visit_count INTEGER DEFAULT 0 NOT NULL,typed_count INTEGER DEFAULT 0 NOT NULL,
  last_visit_time INTEGER NOT NULL,hidden INTEGER DEFAULT 0 NOT NULL);
CREATE TABLE visits(id INTEGER PRIMARY KEY AUTOINCREMENT,url INTEGER NOT NULL,visit_time INTEGER NOT NULL,
  from_visit INTEGER,transition INTEGER DEFAULT 0 NOT NULL,segment_id INTEGER,
  visit_duration INTEGER DEFAULT 0 NOT NULL,incremented_omnibox_typed_score BOOLEAN DEFAULT FALSE NOT NULL);
CREATE INDEX visits_url_index ON visits (url);
CREATE TABLE downloads (id INTEGER PRIMARY KEY,guid VARCHAR NOT NULL,current_path LONGVARCHAR NOT NULL,
  target_path LONGVARCHAR NOT NULL,start_time INTEGER NOT NULL,received_bytes INTEGER NOT NULL,
  total_bytes INTEGER NOT NULL,state INTEGER NOT NULL,danger_type INTEGER NOT NULL,
  interrupt_reason INTEGER NOT NULL,hash BLOB NOT NULL,end_time INTEGER NOT NULL,opened INTEGER NOT NULL,
  last_access_time INTEGER NOT NULL,transient INTEGER NOT NULL,referrer VARCHAR NOT NULL,
  site_url VARCHAR NOT NULL,tab_url VARCHAR NOT NULL,tab_referrer_url VARCHAR NOT NULL,
  http_method VARCHAR NOT NULL,by_ext_id VARCHAR NOT NULL,by_ext_name VARCHAR NOT NULL,
  etag VARCHAR NOT NULL,last_modified VARCHAR NOT NULL,mime_type VARCHAR(255) NOT NULL,
  original_mime_type VARCHAR(255) NOT NULL);
CREATE TABLE downloads_url_chains (id INTEGER NOT NULL,chain_index INTEGER NOT NULL,url LONGVARCHAR NOT NULL,
  PRIMARY KEY (id, chain_index));
"""

FIREFOX_SCHEMA = """
CREATE TABLE moz_origins (id INTEGER PRIMARY KEY, prefix TEXT NOT NULL, host TEXT NOT NULL,
  frecency INTEGER NOT NULL, UNIQUE (prefix, host));
CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url LONGVARCHAR, title LONGVARCHAR, rev_host LONGVARCHAR,
  visit_count INTEGER DEFAULT 0, hidden INTEGER DEFAULT 0 NOT NULL, typed INTEGER DEFAULT 0 NOT NULL,
  frecency INTEGER DEFAULT -1 NOT NULL, last_visit_date INTEGER , guid TEXT,
  foreign_count INTEGER DEFAULT 0 NOT NULL, url_hash INTEGER DEFAULT 0 NOT NULL , description TEXT,
  preview_image_url TEXT, origin_id INTEGER REFERENCES moz_origins(id));
CREATE TABLE moz_historyvisits (id INTEGER PRIMARY KEY, from_visit INTEGER, place_id INTEGER,
  visit_date INTEGER, visit_type INTEGER, session INTEGER, source INTEGER DEFAULT 0 NOT NULL,
  triggeringPlaceId INTEGER);
CREATE INDEX moz_historyvisits_placedateindex ON moz_historyvisits (place_id, visit_date);
CREATE TABLE moz_anno_attributes (id INTEGER PRIMARY KEY, name VARCHAR(32) UNIQUE NOT NULL);
CREATE TABLE moz_annos (id INTEGER PRIMARY KEY, place_id INTEGER NOT NULL, anno_attribute_id INTEGER,
  content LONGVARCHAR, flags INTEGER DEFAULT 0, expiration INTEGER DEFAULT 0, type INTEGER DEFAULT 0,
  dateAdded INTEGER DEFAULT 0, lastModified INTEGER DEFAULT 0);
"""


def chrome_micros(moment: datetime) -> int:
    return (moment - CHROME_EPOCH) // timedelta(microseconds=1)


def unix_micros(moment: datetime) -> int:
    return int(moment.timestamp() * 1_000_000)


def chromium_history(path: Path, visits: Sequence[tuple[str, datetime]],
                     downloads: Sequence[tuple[Sequence[str], str, datetime]] = ()) -> Path:
    """``visits``: (url, time); ``downloads``: (url chain, target path, start time)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.executescript(CHROMIUM_SCHEMA)
    ids: dict[str, int] = {}
    for url, moment in visits:
        if url not in ids:
            cur = conn.execute("INSERT INTO urls(url, title, visit_count, last_visit_time) VALUES (?, ?, 0, 0)",
                               (url, "t"))
            ids[url] = cur.lastrowid
        conn.execute("INSERT INTO visits(url, visit_time, transition) VALUES (?, ?, 805306368)",
                     (ids[url], chrome_micros(moment)))
        conn.execute("UPDATE urls SET visit_count = visit_count + 1, last_visit_time = MAX(last_visit_time, ?) "
                     "WHERE id = ?", (chrome_micros(moment), ids[url]))
    for index, (chain, target, moment) in enumerate(downloads, 1):
        conn.execute(
            "INSERT INTO downloads VALUES (?, ?, ?, ?, ?, 1, 1, 1, 0, 0, x'', ?, 0, 0, 0, ?, '', ?, '', 'GET', "
            "'', '', '', '', 'application/octet-stream', 'application/octet-stream')",
            (index, f"guid-{index}", target, target, chrome_micros(moment), chrome_micros(moment), "", chain[-1]))
        for position, url in enumerate(chain):
            conn.execute("INSERT INTO downloads_url_chains VALUES (?, ?, ?)", (index, position, url))
    conn.commit()
    conn.close()
    return path


def _rev_host(url: str) -> str:
    from urllib.parse import urlsplit

    return (urlsplit(url).hostname or "")[::-1] + "."


def firefox_places(path: Path, visits: Sequence[tuple[str, datetime]],
                   downloads: Sequence[tuple[str, str, datetime]] = (), *, wal: bool = False) -> sqlite3.Connection:
    """Write places.sqlite; ``downloads``: (source url, destination file URI, time). With ``wal`` the
    open connection is returned with the rows still in places.sqlite-wal (as while Firefox runs)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.executescript(FIREFOX_SCHEMA)
    if wal:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA wal_autocheckpoint=0")
    ids: dict[str, int] = {}

    def place(url: str) -> int:
        if url not in ids:
            cur = conn.execute("INSERT INTO moz_places(url, title, rev_host, visit_count, last_visit_date, guid) "
                               "VALUES (?, 't', ?, 0, NULL, ?)", (url, _rev_host(url), f"g{len(ids)}"))
            ids[url] = cur.lastrowid
        return ids[url]

    for url, moment in visits:
        pid = place(url)
        conn.execute("INSERT INTO moz_historyvisits(from_visit, place_id, visit_date, visit_type, session) "
                     "VALUES (0, ?, ?, 1, 0)", (pid, unix_micros(moment)))
        conn.execute("UPDATE moz_places SET visit_count = visit_count + 1, last_visit_date = ? WHERE id = ?",
                     (unix_micros(moment), pid))
    if downloads:
        conn.execute("INSERT INTO moz_anno_attributes(name) VALUES ('downloads/destinationFileURI')")
        conn.execute("INSERT INTO moz_anno_attributes(name) VALUES ('downloads/metaData')")
        for url, destination, moment in downloads:
            conn.execute("INSERT INTO moz_annos(place_id, anno_attribute_id, content, dateAdded, lastModified) "
                         "VALUES (?, 1, ?, ?, ?)", (place(url), destination, unix_micros(moment), unix_micros(moment)))
    conn.commit()
    if wal:
        return conn
    conn.close()
    return conn
