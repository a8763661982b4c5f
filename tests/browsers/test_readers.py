from __future__ import annotations

import os
import sqlite3
import stat
import tempfile
from datetime import datetime, timezone

from digisafe.browsers.model import display_origin, is_all_sites, powers, site_name
from digisafe.browsers.readers import (
    from_chrome_time,
    from_unix_ms,
    read_json,
    sqlite_snapshot,
)
from tests.browsers import builders as b


def test_chrome_time_round_trip_and_bad_values():
    moment = datetime(2024, 2, 29, 23, 59, 58, tzinfo=timezone.utc)
    assert from_chrome_time(b.chrome_time(moment)) == "2024-02-29T23:59:58Z"
    assert from_chrome_time(int(b.chrome_time(moment))) == "2024-02-29T23:59:58Z"
    for bad in ("0", "", None, "abc", True, "-5", "9" * 40, [1]):
        assert from_chrome_time(bad) is None


def test_unix_ms_bad_values():
    assert from_unix_ms(1700000000000) == "2023-11-14T22:13:20Z"
    for bad in (None, "1700000000000", True, 0, -1, 10**30):
        assert from_unix_ms(bad) is None


def test_json_is_parsed_once_per_version_of_the_file(tmp_path):
    path = b.write_json(tmp_path / "Preferences", {"a": 1})
    first = read_json(path)
    assert first.data == {"a": 1} and first.ok and first.modified
    assert read_json(path) is first  # shared between checks in a run
    b.write_json(path, {"a": 2, "b": 3})
    assert read_json(path).data == {"a": 2, "b": 3}  # a changed file is read again
    assert read_json(tmp_path / "absent").missing


def test_snapshot_is_private_and_removed_afterwards(tmp_path):
    db = tmp_path / "permissions.sqlite"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES (42)")
    conn.commit()
    conn.close()
    with sqlite_snapshot(db) as snap:
        copy_path = snap.execute("PRAGMA database_list").fetchone()[2]
        assert copy_path != str(db)
        assert stat.S_IMODE(os.stat(copy_path).st_mode) == 0o600
        assert stat.S_IMODE(os.stat(os.path.dirname(copy_path)).st_mode) == 0o700
        assert snap.execute("SELECT x FROM t").fetchall() == [(42,)]
        try:
            snap.execute("INSERT INTO t VALUES (1)")
            raise AssertionError("the snapshot must be read-only")
        except sqlite3.OperationalError:
            pass
    assert not os.path.exists(copy_path)
    assert not os.path.exists(os.path.dirname(copy_path))
    assert os.path.dirname(os.path.dirname(copy_path)) == tempfile.gettempdir()
    assert sorted(os.listdir(tmp_path)) == ["permissions.sqlite"]


def test_permission_words():
    assert all(is_all_sites(p) for p in ("<all_urls>", "*://*/*", "https://*/*", "http://*/", "ws://*/*"))
    assert not any(is_all_sites(p) for p in ("https://*.example.com/*", "https://mail.example/*", "tabs"))
    assert [p for p, _ in powers(("storage", "https://*/*", "tabs", "history", "<all_urls>"))] == [
        "https://*/*", "history", "tabs"]
    assert site_name("[*.]example.com") == "example.com"
    assert site_name("http://[::1]:8080") == "::1"
    assert site_name("") == "an unnamed website"
    assert display_origin("https://a.example:443") == "https://a.example"
    assert display_origin("https://a.example:8443") == "https://a.example:8443"
