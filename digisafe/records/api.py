"""What other commands call to put their output into the log (`--log LOGDIR`): no passphrase is
needed to add, because records are sealed to the log's public key."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, BinaryIO, Callable

from digisafe.records.entry import iso, utc_now
from digisafe.records.store import LogStore


def _describe(name: str, note: str, source: str, entry: int | None) -> Callable[[int, str], dict[str, Any]]:
    added = iso(utc_now())

    def describe(size: int, sha256: str) -> dict[str, Any]:
        return {"v": 1, "recorded_at": added, "name": name, "size": size, "sha256": sha256,
                "note": note, "source": source, "entry": entry}

    return describe


def add_attachment_from_stream(log_dir: Path, stream: BinaryIO, name: str, note: str = "", source: str = "",
                               entry: int | None = None, progress: Callable[[int], None] | None = None) -> int:
    """Encrypt ``stream`` into the log in ``log_dir``; returns its record number."""
    with LogStore.open(Path(log_dir)) as store:
        if entry is not None and store.row(entry) is None:
            from digisafe.records.errors import LogError

            raise LogError(f"there is no #{entry} in this log to attach to")
        return store.add_attachment(stream, _describe(name, note, source, entry), progress)


def add_attachment_from_bytes(log_dir: Path, data: bytes, name: str, note: str = "", source: str = "") -> int:
    """Add a report or manifest that is already in memory (e.g. `photos strip --manifest --log`)."""
    return add_attachment_from_stream(log_dir, io.BytesIO(data), name, note, source)
