"""Flip one byte in each part of the store: verify names the first broken record, exit 2, and
everything else is still readable."""

from __future__ import annotations

import io
import os
import sqlite3

import pytest

from digisafe.records.chain import verify_chain
from digisafe.records.crypto import CHUNK
from digisafe.records.errors import LogError
from digisafe.records.reader import UnlockedLog
from digisafe.records.store import FILE_NAME, LogStore
from digisafe.records.timeline import build_timeline
from tests.records.conftest import PASSPHRASE, entry

ATTACHED = os.urandom(2 * CHUNK + 1234)  # three chunks


@pytest.fixture
def filled(log_dir):
    """#1-#3 entries, #4 a three-chunk attachment, #5 an entry."""
    with LogStore.open(log_dir) as store:
        for n in range(1, 4):
            store.add_entry(entry(f"incident number {n}"))
        store.add_attachment(io.BytesIO(ATTACHED), lambda size, sha: {"name": "call-log.png", "size": size,
                                                                        "sha256": sha})
        store.add_entry(entry("incident number 5"))
    return log_dir


def _sql(folder, statement: str, *args) -> None:
    conn = sqlite3.connect(folder / FILE_NAME, isolation_level=None)
    conn.execute(statement, args)
    conn.close()


def _value(folder, statement: str, *args) -> bytes:
    conn = sqlite3.connect(folder / FILE_NAME)
    value = conn.execute(statement, args).fetchone()[0]
    conn.close()
    return bytes(value)


def _flip(blob: bytes, at: int = 0) -> bytes:
    return blob[:at] + bytes([blob[at] ^ 0x01]) + blob[at + 1:]


def _flip_in_file(folder, value: bytes, start: int = 0, end: int | None = None) -> None:
    """Flip one byte of ``value[start:end]`` where it lies in the raw database file.
    NOTE: a large value is spread over SQLite overflow pages, so look for a 16-byte run that is
    stored whole (and only once)."""
    path = folder / FILE_NAME
    raw = bytearray(path.read_bytes())
    for offset in range(start, (end or len(value)) - 16, 4):
        needle = value[offset:offset + 16]
        at = raw.find(needle)
        if at >= 0 and raw.find(needle, at + 1) < 0:
            raw[at + 8] ^= 0x80
            path.write_bytes(bytes(raw))
            return
    raise AssertionError("value not found in the file")


def _first_broken(folder) -> str:
    with LogStore.open(folder) as store:
        report = verify_chain(store)
    assert not report.ok
    return report.first_broken()


def _readable_others(folder, broken: int) -> None:
    with LogStore.open(folder) as store:
        timeline = build_timeline(UnlockedLog.unlock(store, PASSPHRASE))
    good = [i.seq for i in timeline.items if not i.error]
    assert set(range(1, 6)) - {broken} <= set(good)


def test_an_untouched_log_verifies(filled) -> None:
    with LogStore.open(filled) as store:
        report = verify_chain(store)
    assert report.ok and report.count == 5


@pytest.mark.parametrize("seq", [2, 4])
def test_flipped_byte_in_a_sealed_body_in_the_file(filled, seq) -> None:
    body = _value(filled, "SELECT body FROM records WHERE seq = ?", seq)
    _flip_in_file(filled, body, 40, 80)  # inside the ciphertext, not the ephemeral key
    assert _first_broken(filled).startswith(f"#{seq}: changed since it was written")
    with LogStore.open(filled) as store:
        timeline = build_timeline(UnlockedLog.unlock(store, PASSPHRASE))
    assert [i.seq for i in timeline.items if i.error] == [seq]
    _readable_others(filled, seq)


def test_flipped_byte_in_an_ephemeral_key(filled) -> None:
    body = _value(filled, "SELECT body FROM records WHERE seq = 3")
    _flip_in_file(filled, body, 0, 32)
    assert _first_broken(filled).startswith("#3:")
    _readable_others(filled, 3)


def test_flipped_byte_in_an_attachment_chunk(filled) -> None:
    chunk = _value(filled, "SELECT data FROM chunks WHERE seq = 4 AND idx = 1")
    _flip_in_file(filled, chunk, 1000)
    assert _first_broken(filled) == "#4: the attached file's encrypted data was changed, cut or reordered"
    with LogStore.open(filled) as store:
        log = UnlockedLog.unlock(store, PASSPHRASE)
        with pytest.raises(LogError, match="#4: part 2 of the attached file cannot be decrypted"):
            log.write_attachment(log.record(4), io.BytesIO())
    _readable_others(filled, 4)  # the record itself still opens: only its data is bad


@pytest.mark.parametrize("column,seq,first", [
    ("hash", 2, "#2"), ("prev_hash", 3, "#3"), ("chunk_digest", 4, "#4"), ("body", 5, "#5"), ("hash", 5, "#5"),
])
def test_flipped_byte_in_each_column(filled, column, seq, first) -> None:
    value = _value(filled, f"SELECT {column} FROM records WHERE seq = ?", seq)
    _sql(filled, f"UPDATE records SET {column} = ? WHERE seq = ?", _flip(value, 7), seq)
    assert _first_broken(filled).startswith(first + ":")


def test_changed_kind_count_and_order(filled) -> None:
    _sql(filled, "UPDATE records SET kind = 'attachment' WHERE seq = 1")
    assert _first_broken(filled).startswith("#1:")


def test_dropped_or_reordered_chunks(filled) -> None:
    _sql(filled, "DELETE FROM chunks WHERE seq = 4 AND idx = 2")
    assert _first_broken(filled).startswith("#4: the attached file's encrypted data")


def test_removed_entry_is_named(filled) -> None:
    _sql(filled, "DELETE FROM records WHERE seq = 3")
    assert _first_broken(filled) == "#4: #3 missing before it (removed)"


@pytest.mark.parametrize("name", ["public_key", "wrapped_key", "store_id", "kdf"])
def test_flipped_byte_in_the_header(filled, name) -> None:
    value = _value(filled, "SELECT value FROM meta WHERE name = ?", name)
    at = 2 if name == "kdf" else 5  # in the JSON key "log_n" for the scrypt settings
    _sql(filled, "UPDATE meta SET value = ? WHERE name = ?", _flip(value, at), name)
    assert _first_broken(filled) == "#1: does not follow the log header (it or the record before it was changed)"
    with LogStore.open(filled) as store, pytest.raises(LogError):
        UnlockedLog.unlock(store, PASSPHRASE)


def test_wrong_passphrase_is_one_clear_error(filled) -> None:
    with LogStore.open(filled) as store, pytest.raises(LogError, match="^wrong passphrase"):
        UnlockedLog.unlock(store, "not the passphrase at all")


def test_cli_names_the_broken_entry_exits_2_and_shows_the_rest(filled, run) -> None:
    body = _value(filled, "SELECT body FROM records WHERE seq = 2")
    _flip_in_file(filled, body, 40, 80)
    verify = run("log", "verify", "--folder", str(filled))
    assert verify.returncode == 2
    assert "BROKEN: the first problem is at #2: changed since it was written" in verify.stdout
    assert "Traceback" not in verify.stderr
    show = run("log", "show", "--folder", str(filled))
    assert show.returncode == 2
    for n in (1, 3, 5):
        assert f"incident number {n}" in show.stdout
    assert "incident number 2" not in show.stdout
    assert "digisafe: error: #2: changed since it was written" in show.stderr
    assert "Traceback" not in show.stderr


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty"])
def test_cut_or_garbage_file_is_one_line_exit_2(filled, run, damage) -> None:
    path = filled / FILE_NAME
    raw = path.read_bytes()
    path.write_bytes({"truncate": raw[: len(raw) // 2], "garbage": os.urandom(len(raw)), "empty": b""}[damage])
    for command in (["verify"], ["list"], ["add", "--what", "x", "--no-interactive"]):
        done = run("log", *command, "--folder", str(filled))
        assert done.returncode == 2, (command, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr
        assert done.stderr.strip().splitlines()[-1].startswith("digisafe: error:")
