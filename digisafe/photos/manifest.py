"""The strip evidence record (``--manifest FILE``), written as a journal.

The file is created (0600, durable) before the first file is touched: if it cannot be written (no
space, no permission) nothing is replaced. Each group of outcomes is then appended and made durable
BEFORE the group's files are renamed into place, so an interrupted or failing run still leaves a
valid JSON document listing every file already replaced (``"complete": false``; the last group may
also list files that were about to be replaced: their ``sha256_original`` tells which is on disk).

NOTE: each append rewrites the closing tail in the same single write (pwrite at the end of the
records), so the document on disk is valid JSON after every completed write.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from digisafe.core.errors import InputError
from digisafe.render.json import dumps


class Journal:
    def __init__(self, path: Path, mode: str) -> None:
        from digisafe._version import __version__
        from digisafe.core.safefile import write_private

        self.path = path
        created = datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")
        head = dumps({"tool": "digisafe photos strip", "version": __version__, "mode": mode,
                      "created": created}, indent=2)
        self._head = head[:-2] + ',\n  "files": ['  # drop the closing "\n}"
        self._records: list[dict[str, Any]] = []
        self._sources: dict[str, int] = {}
        self._corrected = False
        self._pos = len(self._head.encode("utf-8"))
        write_private(path, self._head + self._tail(False))  # tests that the disk takes it
        try:
            self._fd = os.open(path, os.O_WRONLY | getattr(os, "O_BINARY", 0))
        except OSError as exc:
            raise self._error(exc) from None

    @staticmethod
    def _tail(complete: bool) -> str:
        return f'\n  ],\n  "complete": {"true" if complete else "false"}\n}}\n'

    def _error(self, exc: OSError) -> InputError:
        done = sum(1 for r in self._records if r.get("status") == "cleaned")
        return InputError(f"cannot write the manifest {self.path}: {exc.strerror or exc}. Nothing more was "
                          f"replaced; the {done} files cleaned before this are recorded in it")

    def add(self, records: list[dict[str, Any]]) -> None:
        """Append ``records`` and make them durable (InputError if the disk refuses)."""
        if not records:
            return
        parts = []
        for record in records:
            self._sources[record["source"]] = len(self._records)
            parts.append(("\n    " if not self._records else ",\n    ") + dumps(record))
            self._records.append(record)
        body = "".join(parts).encode("utf-8")
        self._write(body + self._tail(False).encode("utf-8"))
        self._pos += len(body)

    def correct(self, record: dict[str, Any]) -> None:
        """A recorded file ended differently (its rename failed): rewritten at ``close``."""
        index = self._sources.get(record["source"])
        if index is not None:
            self._records[index] = record
            self._corrected = True

    def _write(self, data: bytes) -> None:
        try:
            os.lseek(self._fd, self._pos, os.SEEK_SET)
            if os.write(self._fd, data) != len(data):
                raise OSError(28, "No space left on device")
            os.fsync(self._fd)
        except OSError as exc:
            raise self._error(exc) from None

    def close(self, complete: bool) -> None:
        """Finish the document (``"complete": true`` only after a run that was not cut short)."""
        if self._corrected:
            from digisafe.core.safefile import write_private

            os.close(self._fd)
            body = ",".join("\n    " + dumps(r) for r in self._records)
            write_private(self.path, self._head + body + self._tail(complete))
            return
        try:
            tail = self._tail(complete).encode("utf-8")
            self._write(tail)
            os.ftruncate(self._fd, self._pos + len(tail))
            os.fsync(self._fd)
        except OSError as exc:
            raise self._error(exc) from None
        finally:
            os.close(self._fd)
