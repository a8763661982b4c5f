"""Read a live SQLite database safely: never in place, always from a private, immutable copy.

Browsers (Firefox permissions.sqlite) and macOS (TCC.db) keep these files open and write them
while we look. We copy the database and its ``-wal`` into a private temporary folder, fold the WAL
into OUR copy, and open the copy through a ``file:...?mode=ro&immutable=1`` URI, so the program's
own files, locks and handles are never touched.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from digisafe.core.safefile import write_private

MAX_SQLITE_BYTES = 256 * 1024 * 1024


class UnreadableFile(Exception):
    """A file could not be read or used; the message says why, in words for the report."""

    def __init__(self, message: str, *, permission: bool = False) -> None:
        super().__init__(message)
        self.permission = permission  # True when the system refused us (no rights)


@contextmanager
def sqlite_snapshot(path: Path) -> Iterator[sqlite3.Connection]:
    """Open a private, read-only, immutable copy of an SQLite database (and its WAL).

    Raises UnreadableFile when the file cannot be copied or is not a usable database.
    """
    if path.is_dir():
        raise UnreadableFile(f"{path} is a folder, not a database file")
    with tempfile.TemporaryDirectory(prefix="digisafe-") as folder:
        copy = Path(folder) / "snapshot.sqlite"
        _copy_private(path, copy)
        wal = path.with_name(path.name + "-wal")
        if wal.is_file():
            _copy_private(wal, copy.with_name(copy.name + "-wal"))
            _merge_wal(copy)
        try:
            conn = sqlite3.connect(copy.as_uri() + "?mode=ro&immutable=1", uri=True)
        except sqlite3.Error as exc:
            raise UnreadableFile(f"{path} could not be opened as a database ({exc})") from None
        try:
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlite3.DatabaseError as exc:
                raise UnreadableFile(f"{path} is damaged or not a database ({exc})") from None
            yield conn
        finally:
            conn.close()


def _copy_private(source: Path, target: Path) -> None:
    try:
        info = source.stat()
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableFile(f"{source} is not a regular file; not read")
        size = info.st_size
        if size > MAX_SQLITE_BYTES:
            raise UnreadableFile(f"{source} is unexpectedly large ({size} bytes); not read")
        data = source.read_bytes()
    except PermissionError as exc:
        raise UnreadableFile(f"could not read {source} ({exc.strerror or exc})", permission=True) from None
    except OSError as exc:
        raise UnreadableFile(
            f"could not read {source} ({exc.strerror or exc}); it may be in use: close the "
            "program that uses it and run the check again"
        ) from None
    try:
        write_private(target, data)
    except Exception as exc:  # noqa: BLE001 - InputError or OSError: the temp folder is unusable
        raise UnreadableFile(f"could not make a private copy of {source} ({exc})") from None


def _merge_wal(copy: Path) -> None:
    # NOTE: SQLite ignores the -wal file when a database is opened with immutable=1, so recent
    # changes (a permission granted minutes ago) would be invisible. We fold the WAL into OUR
    # private copy first; the browser's own files are never opened for writing.
    try:
        conn = sqlite3.connect(str(copy))
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            conn.execute("PRAGMA journal_mode=DELETE")
        finally:
            conn.close()
    except sqlite3.Error:
        pass  # a torn WAL copy: read the main database as it is
    for leftover in (copy.with_name(copy.name + "-wal"), copy.with_name(copy.name + "-shm")):
        try:
            os.unlink(leftover)
        except OSError:
            pass
