# ruff: noqa: E501
from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from digisafe.checks.macos_tcc import MacPrivacyGrantsCheck
from hypothesis import given, settings
from hypothesis import strategies as st

from digisafe.core.check import CheckSkipped
from digisafe.core.model import Severity
from digisafe.monitoring.tcc import TccUnreadable, read_tcc
from tests.monitoring.conftest import run_check

USER_DB = "~/Library/Application Support/com.apple.TCC/TCC.db"
SYSTEM_DB = "/Library/Application Support/com.apple.TCC/TCC.db"

# The access table as macOS 11+ creates it (columns as in the real schema; csreq etc. kept).
MODERN = """CREATE TABLE access (service TEXT NOT NULL, client TEXT NOT NULL, client_type INTEGER NOT NULL,
 auth_value INTEGER NOT NULL, auth_reason INTEGER NOT NULL, auth_version INTEGER NOT NULL, csreq BLOB,
 policy_id INTEGER, indirect_object_identifier_type INTEGER, indirect_object_identifier TEXT NOT NULL DEFAULT
 'UNUSED', indirect_object_code_identity BLOB, flags INTEGER, last_modified INTEGER NOT NULL DEFAULT
 (CAST(strftime('%s','now') AS INTEGER)), PRIMARY KEY (service, client, client_type, indirect_object_identifier))"""
# macOS 10.14/10.15: 'allowed' and 'prompt_count' instead of auth_value/auth_reason.
LEGACY = """CREATE TABLE access (service TEXT NOT NULL, client TEXT NOT NULL, client_type INTEGER NOT NULL,
 allowed INTEGER NOT NULL, prompt_count INTEGER NOT NULL, csreq BLOB, policy_id INTEGER,
 indirect_object_identifier_type INTEGER, indirect_object_identifier TEXT, indirect_object_code_identity BLOB,
 flags INTEGER, last_modified INTEGER NOT NULL DEFAULT (CAST(strftime('%s','now') AS INTEGER)),
 PRIMARY KEY (service, client, client_type, indirect_object_identifier))"""


_OPEN_WRITERS: list[sqlite3.Connection] = []


def make_db(path: Path, rows: list[tuple], legacy: bool = False, wal: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    if wal:
        conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(LEGACY if legacy else MODERN)
    for service, client, client_type, value, reason, modified in rows:
        if legacy:
            conn.execute(
                "INSERT INTO access (service, client, client_type, allowed, prompt_count, indirect_object_identifier,"
                " last_modified) VALUES (?, ?, ?, ?, 1, 'UNUSED', ?)",
                (service, client, client_type, value, modified),
            )
        else:
            conn.execute(
                "INSERT INTO access (service, client, client_type, auth_value, auth_reason, auth_version,"
                " last_modified) VALUES (?, ?, ?, ?, ?, 1, ?)",
                (service, client, client_type, value, reason, modified),
            )
    conn.commit()
    if wal:
        # Keep the writer open (as macOS's tccd does) so the rows stay in the -wal file; on some
        # Python versions a dropped connection is closed at once, which checkpoints the WAL away.
        _OPEN_WRITERS.append(conn)
    else:
        conn.close()
    return path


def test_read_both_schemas(tmp_path):
    modern = make_db(tmp_path / "m.db", [("kTCCServiceListenEvent", "com.x.spy", 0, 2, 2, 1700000000),
                                          ("kTCCServiceCamera", "com.x.cam", 0, 0, 2, 1700000000)])  # fmt: skip
    legacy = make_db(tmp_path / "l.db", [("kTCCServiceAccessibility", "/usr/local/bin/agent", 1, 1, 0, 1500000000)],
                     legacy=True)  # fmt: skip
    got = {(g.client, g.allowed) for g in read_tcc(modern)}
    assert got == {("com.x.spy", True), ("com.x.cam", False)}
    (row,) = read_tcc(legacy)
    assert row.allowed and row.client_type == 1 and row.auth_reason is None and row.last_modified == 1500000000


def test_wal_rows_are_read_from_the_copy(tmp_path):
    path = make_db(tmp_path / "w.db", [("kTCCServiceScreenCapture", "com.x.rec", 0, 2, 2, 1)], wal=True)
    assert Path(str(path) + "-wal").exists()
    assert [g.client for g in read_tcc(path)] == ["com.x.rec"]


def test_damaged_and_foreign_files_are_unreadable(tmp_path):
    (tmp_path / "bad.db").write_bytes(b"not sqlite at all" * 100)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE x (a)").connection.commit()
    for path in (tmp_path / "bad.db", other, tmp_path / "missing.db"):
        with pytest.raises(TccUnreadable):
            read_tcc(path)


def test_no_readable_database_skips_with_what_to_check_by_hand(make_ctx):
    with pytest.raises(CheckSkipped) as info:
        list(MacPrivacyGrantsCheck().run(make_ctx(platform="darwin")))
    assert "Input Monitoring" in str(info.value) and "Full Disk Access" in str(info.value)


def test_grants_apple_everyday_unknown_and_known_product(make_ctx, custom_db):
    custom_db([{"id": "mac-spy", "name": "Mac Spy", "category": "stalkerware", "presentation": "covert",
                "verified": "vendor-docs", "darwin": {"bundle_ids": ["com.macspy.agent"]}}])  # fmt: skip
    ctx = make_ctx(platform="darwin")
    make_db(ctx.files.path(USER_DB), [
        ("kTCCServiceMicrophone", "us.zoom.xos", 0, 2, 2, 1700000000),
        ("kTCCServiceCamera", "com.apple.FaceTime", 0, 2, 2, 1700000000),
        ("kTCCServiceMicrophone", "com.x.denied", 0, 0, 2, 1700000000),
    ])  # fmt: skip
    make_db(ctx.files.path(SYSTEM_DB), [
        ("kTCCServiceListenEvent", "com.macspy.agent", 0, 2, 6, 1700000000),
        ("kTCCServiceScreenCapture", "com.macspy.agent", 0, 2, 6, 1700000000),
        ("kTCCServiceAccessibility", "/Users/Shared/.x/helper", 1, 2, 3, 1700000000),
        ("kTCCServiceScreenCapture", "us.zoom.xos", 0, 2, 2, 1700000000),
    ])  # fmt: skip
    findings, limits = run_check(MacPrivacyGrantsCheck, ctx)
    assert limits == []
    by = {f.subject: f for f in findings}
    assert set(by) == {"com.macspy.agent", "/Users/Shared/.x/helper", "us.zoom.xos"}
    spy = by["com.macspy.agent"]
    assert spy.severity is Severity.CRITICAL and "device-management (MDM)" in spy.detail
    assert spy.evidence["services"] == ["kTCCServiceListenEvent", "kTCCServiceScreenCapture"]
    assert spy.evidence["granted"][0]["last_modified"] == "2023-11-14T22:13:20Z"
    assert by["/Users/Shared/.x/helper"].severity is Severity.LOW and "record your keys" in by["/Users/Shared/.x/helper"].title
    assert by["us.zoom.xos"].severity is Severity.INFO


def test_one_database_unreadable_is_a_limitation(make_ctx):
    ctx = make_ctx(platform="darwin")
    make_db(ctx.files.path(USER_DB), [("kTCCServiceScreenCapture", "com.x.rec", 0, 2, 2, 1)])
    findings, limits = run_check(MacPrivacyGrantsCheck, ctx)
    assert [f.subject for f in findings] == ["com.x.rec"]
    assert len(limits) == 1 and SYSTEM_DB in limits[0] and "System Settings" in limits[0]


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=2048))
def test_any_bytes_as_tcc_db_give_rows_or_a_clean_error(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fuzz") / "TCC.db"
    path.write_bytes(b"SQLite format 3\x00" + data if data[:1] == b"\x00" else data)
    try:
        read_tcc(path)
    except TccUnreadable:
        pass
