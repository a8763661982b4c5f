"""The log on disk: one SQLite file, append-only by our code, every change in one transaction.

Tables: ``meta`` (format, store id, public key, scrypt parameters, wrapped private key),
``records`` (one row per entry or attachment: its sealed body and its place in the hash chain)
and ``chunks`` (an attachment's encrypted chunks). Nothing in the file is plaintext except the
record numbers, kinds, chunk counts and hashes.

Durability: rollback journal with ``synchronous=EXTRA`` (FULL, plus the folder is synced when the
journal is deleted at commit, so a power cut straight after "added" cannot undo it). A kill at any
moment leaves the last committed state: SQLite rolls a hot journal back when the log is next
opened. An entry is "confirmed" only after COMMIT returns.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Callable, Iterator

from digisafe.core.safefile import fsync_dir, make_private_dirs
from digisafe.records import crypto
from digisafe.records.errors import LogError
from digisafe.render.json import dumps as text_json

FILE_NAME = "store.sqlite"  # neutral on purpose
FORMAT = b"digisafe-log 1"
ENTRY, ATTACHMENT = "entry", "attachment"

SCHEMA = """
CREATE TABLE meta(name TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE records(seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, prev_hash BLOB NOT NULL,
                     body BLOB NOT NULL, chunks INTEGER NOT NULL, chunk_digest BLOB NOT NULL,
                     hash BLOB NOT NULL);
CREATE TABLE chunks(seq INTEGER NOT NULL, idx INTEGER NOT NULL, data BLOB NOT NULL, UNIQUE(seq, idx));
"""


@dataclass(frozen=True)
class Header:
    store_id: bytes
    public: bytes
    kdf_json: bytes
    wrapped: bytes

    def genesis(self) -> bytes:
        """What the first record's prev_hash must be: binds the whole header into the chain."""
        h = hashlib.sha256(b"digisafe-log genesis v1\0" + FORMAT)
        for part in (self.store_id, self.public, self.kdf_json, self.wrapped):
            h.update(len(part).to_bytes(8, "big") + part)
        return h.digest()


@dataclass(frozen=True)
class Row:
    seq: int
    kind: str
    prev_hash: bytes
    body: bytes
    chunks: int
    chunk_digest: bytes
    hash: bytes


def record_hash(prev_hash: bytes, seq: int, kind: str, body: bytes, chunks: int, chunk_digest: bytes) -> bytes:
    h = hashlib.sha256(b"digisafe-log record v1\0")
    for part in (prev_hash, seq.to_bytes(8, "big"), kind.encode(), hashlib.sha256(body).digest(),
                 chunks.to_bytes(8, "big"), chunk_digest):
        h.update(len(part).to_bytes(8, "big") + part)
    return h.digest()


def chunk_digest_update(digest: Any, ciphertext: bytes) -> None:
    digest.update(len(ciphertext).to_bytes(8, "big") + ciphertext)


def record_aad(store_id: bytes, seq: int, kind: str) -> bytes:
    """Ties a sealed body (and its chunks) to its log, place and kind: moved, it fails to open."""
    return b"digisafe-log v1\0" + store_id + seq.to_bytes(8, "big") + kind.encode()


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=30)
    for pragma in ("journal_mode=DELETE", "synchronous=EXTRA", "temp_store=MEMORY", "trusted_schema=OFF"):
        conn.execute(f"PRAGMA {pragma}").fetchall()
    return conn


def _damaged(path: Path, exc: BaseException) -> LogError:
    return LogError(f"the log file {path} cannot be read ({exc}); it is damaged, cut short or not a log")


def _read_full(stream: BinaryIO, size: int) -> bytes:
    parts, wanted = [], size
    while wanted:
        data = stream.read(wanted)
        if not data:
            break
        parts.append(data)
        wanted -= len(data)
    return b"".join(parts)


class LogStore:
    def __init__(self, path: Path, conn: sqlite3.Connection, header: Header) -> None:
        self.path = path
        self.conn = conn
        self.header = header

    # ----------------------------------------------------------------------------------- open
    @classmethod
    def create(cls, folder: Path, passphrase: str, kdf: crypto.KdfParams = crypto.PRODUCTION_KDF) -> LogStore:
        """Make a new log in ``folder`` (created 0700 if missing). ``kdf`` is only ever changed by the
        tests (crypto.TEST_ONLY_KDF); the CLI always uses the production setting.

        The file is built under a temporary name and renamed into place, so an interrupted init
        leaves either no log or a complete one."""
        folder = Path(folder)
        target = folder / FILE_NAME
        if target.exists():
            raise LogError(f"a log already exists in {folder}; nothing was changed")
        try:
            make_private_dirs(folder)
            tmp = folder / f".{FILE_NAME}.new"
            for stale in (tmp, Path(f"{tmp}-journal")):
                if stale.exists():
                    stale.unlink()
            os.close(os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except OSError as exc:
            raise LogError(f"cannot create the log in {folder}: {exc.strerror or exc}") from None
        store_id = os.urandom(16)
        keys = crypto.new_keys(passphrase, kdf, store_id)
        conn = _connect(tmp)
        try:
            conn.execute("BEGIN IMMEDIATE")
            for statement in filter(str.strip, SCHEMA.split(";")):
                conn.execute(statement)
            conn.executemany("INSERT INTO meta VALUES (?, ?)", [
                ("format", FORMAT), ("store_id", store_id), ("public_key", keys.public),
                ("kdf", keys.kdf_json), ("wrapped_key", keys.wrapped)])
            conn.execute("COMMIT")
        finally:
            conn.close()
        os.replace(tmp, target)
        fsync_dir(folder)
        return cls.open(folder)

    @classmethod
    def open(cls, folder: Path) -> LogStore:
        folder = Path(folder)
        path = folder / FILE_NAME
        if not path.is_file():
            raise LogError(f"no log in {folder} (create one with `digisafe log init`)")
        try:
            conn = _connect(path)
            meta = dict(conn.execute("SELECT name, value FROM meta").fetchall())
        except sqlite3.DatabaseError as exc:
            raise _damaged(path, exc) from None
        try:
            if bytes(meta["format"]) != FORMAT:
                raise LogError(f"{path} is a log of a format this version cannot read")
            header = Header(*(bytes(meta[k]) for k in ("store_id", "public_key", "kdf", "wrapped_key")))
        except (KeyError, TypeError):
            conn.close()
            raise LogError(f"the log header in {path} is damaged or missing") from None
        if len(header.public) != 32:
            conn.close()
            raise LogError(f"the log header in {path} is damaged (public key)")
        return cls(path, conn, header)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> LogStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------------------------- write
    @contextmanager
    def _appending(self) -> Iterator[tuple[int, bytes]]:
        """One transaction: yields (next seq, head hash); commits only if the block succeeds."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            last = self.conn.execute("SELECT seq, hash FROM records ORDER BY seq DESC LIMIT 1").fetchone()
        except sqlite3.DatabaseError as exc:
            raise _damaged(self.path, exc) from None
        try:
            yield (last[0] + 1, bytes(last[1])) if last else (1, self.header.genesis())
            self.conn.execute("COMMIT")
        except BaseException as exc:
            try:
                self.conn.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            if isinstance(exc, sqlite3.Error):
                raise LogError(f"cannot write to the log {self.path}: {exc}; nothing was added") from None
            raise

    def _insert(self, seq: int, kind: str, prev: bytes, body: bytes, chunks: int, digest: bytes) -> None:
        self.conn.execute("INSERT INTO records VALUES (?, ?, ?, ?, ?, ?, ?)", (
            seq, kind, prev, body, chunks, digest, record_hash(prev, seq, kind, body, chunks, digest)))

    def add_entry(self, payload: dict[str, Any]) -> int:
        # NOTE: text or a file name that is not UTF-8 (argv bytes, a JSON "\ud800") holds lone
        # surrogates, which json.dumps keeps and UTF-8 refuses; text_json writes them as \xe9.
        plaintext = text_json(payload, sort_keys=True).encode("utf-8")
        with self._appending() as (seq, prev):
            keys = crypto.keys_for_new_record(self.header.public)
            body = crypto.seal_body(keys, plaintext, record_aad(self.header.store_id, seq, ENTRY))
            self._insert(seq, ENTRY, prev, body, 0, b"")
        return seq

    def add_attachment(self, stream: BinaryIO, describe: Callable[[int, str], dict[str, Any]],
                       progress: Callable[[int], None] | None = None) -> int:
        """Stream ``stream`` in as an attachment; ``describe(size, sha256)`` gives its metadata.
        Memory stays at about two chunks, whatever the size."""
        with self._appending() as (seq, prev):
            keys = crypto.keys_for_new_record(self.header.public)
            aad = record_aad(self.header.store_id, seq, ATTACHMENT)
            digest, plain, size, index = hashlib.sha256(), hashlib.sha256(), 0, 0
            current = _read_full(stream, crypto.CHUNK)
            while True:
                following = _read_full(stream, crypto.CHUNK) if len(current) == crypto.CHUNK else b""
                last = not following
                sealed = crypto.seal_chunk(keys, index, last, current, aad)
                self.conn.execute("INSERT INTO chunks VALUES (?, ?, ?)", (seq, index, sealed))
                chunk_digest_update(digest, sealed)
                plain.update(current)
                size += len(current)
                if progress is not None:
                    progress(size)
                index += 1
                if last:
                    break
                current = following
            meta = text_json(describe(size, plain.hexdigest()), sort_keys=True)
            body = crypto.seal_body(keys, meta.encode("utf-8"), aad)
            self._insert(seq, ATTACHMENT, prev, body, index, digest.digest())
        return seq

    # ----------------------------------------------------------------------------------- read
    def rows(self) -> Iterator[Row]:
        """Every record in order. A damaged file raises LogError after the rows it could read."""
        try:
            for values in self.conn.execute(
                    "SELECT seq, kind, prev_hash, body, chunks, chunk_digest, hash FROM records ORDER BY seq"):
                seq, kind, prev, body, chunks, digest, hsh = values
                yield Row(int(seq), str(kind), bytes(prev), bytes(body), int(chunks), bytes(digest), bytes(hsh))
        except (sqlite3.DatabaseError, TypeError, ValueError) as exc:
            raise _damaged(self.path, exc) from None

    def row(self, seq: int) -> Row | None:
        return next((r for r in self._rows_where(seq)), None)

    def _rows_where(self, seq: int) -> Iterator[Row]:
        if not -(2**63) <= seq < 2**63:
            return  # NOTE: a number typed as 99999999999999999999 is no record; SQLite would raise OverflowError
        try:
            values = self.conn.execute("SELECT seq, kind, prev_hash, body, chunks, chunk_digest, hash "
                                       "FROM records WHERE seq = ?", (seq,)).fetchone()
        except sqlite3.DatabaseError as exc:
            raise _damaged(self.path, exc) from None
        if values:
            yield Row(int(values[0]), str(values[1]), bytes(values[2]), bytes(values[3]), int(values[4]),
                      bytes(values[5]), bytes(values[6]))

    def chunks(self, seq: int) -> Iterator[tuple[int, bytes]]:
        """(index, ciphertext) of one attachment, in order, one chunk in memory at a time."""
        try:
            for idx, data in self.conn.execute("SELECT idx, data FROM chunks WHERE seq = ? ORDER BY idx", (seq,)):
                yield int(idx), bytes(data)
        except sqlite3.DatabaseError as exc:
            raise _damaged(self.path, exc) from None

    def stray_chunk_owners(self) -> list[int]:
        """Record numbers that have chunks but no attachment record (only tampering makes these)."""
        try:
            return [int(s) for (s,) in self.conn.execute(
                "SELECT DISTINCT seq FROM chunks WHERE seq NOT IN "
                "(SELECT seq FROM records WHERE kind = 'attachment') ORDER BY seq")]
        except sqlite3.DatabaseError as exc:
            raise _damaged(self.path, exc) from None
