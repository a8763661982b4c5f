"""Reading the log with its passphrase: decrypt entries one by one, stream attachments out.

A record that fails to decrypt is reported on its own (``Opened.error``); the others stay readable.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, BinaryIO, Iterator

from digisafe.records import crypto
from digisafe.records.errors import LogError, WrongPassphraseError
from digisafe.records.store import ATTACHMENT, LogStore, Row, record_aad

DAMAGED = "cannot be decrypted: it was changed or damaged"


@dataclass(frozen=True)
class Opened:
    row: Row
    data: dict[str, Any]  # empty when ``error``
    error: str = ""

    @property
    def seq(self) -> int:
        return self.row.seq

    @property
    def is_attachment(self) -> bool:
        return self.row.kind == ATTACHMENT


_ENTRY_KEYS = {"v": int, "recorded_at": str, "recorded_local": str, "occurred_at": str, "occurred_tz": str,
               "time_known": str, "fields": dict, "amends": int, "amend_reason": str}
_FILE_KEYS = {"v": int, "recorded_at": str, "name": str, "size": int, "sha256": str, "note": str,
              "source": str, "entry": (int, type(None))}


def _well_formed(kind: str, data: object) -> bool:
    """Anyone with the public key can seal a record, so decrypted content is checked like any
    other untrusted input before it is shown."""
    if not isinstance(data, dict):
        return False
    shape = _FILE_KEYS if kind == ATTACHMENT else _ENTRY_KEYS
    for key, value in data.items():
        wanted = shape.get(key)
        if wanted is None or isinstance(value, bool) or not isinstance(value, wanted):
            return False
    if kind == ATTACHMENT:
        return all(k in data for k in ("name", "size", "sha256"))
    fields = data.get("fields")
    return isinstance(fields, dict) and all(isinstance(v, str) for v in fields.values())


class UnlockedLog:
    def __init__(self, store: LogStore, private: Any) -> None:
        self.store = store
        self.private = private

    @classmethod
    def unlock(cls, store: LogStore, passphrase: str) -> UnlockedLog:
        h = store.header
        try:
            private = crypto.unlock(passphrase, h.kdf_json, h.wrapped, h.store_id, h.public)
        except crypto.WrongPassphrase:
            raise WrongPassphraseError(
                "wrong passphrase (or the log's key record is damaged); nothing was changed") from None
        except (ValueError, KeyError, TypeError):
            raise LogError(f"the log header in {store.path} is damaged (key settings)") from None
        return cls(store, private)

    def _open_row(self, row: Row) -> Opened:
        try:
            _keys, plain = crypto.open_body(self.private, row.body,
                                            record_aad(self.store.header.store_id, row.seq, row.kind))
            data = json.loads(plain.decode("utf-8"))
        except (crypto.Undecryptable, ValueError, UnicodeDecodeError):
            return Opened(row, {}, f"#{row.seq} {DAMAGED}")
        if not _well_formed(row.kind, data):
            return Opened(row, {}, f"#{row.seq} decrypts but does not hold what digisafe writes (added by "
                                   "another program?)")
        return Opened(row, data)

    def records(self) -> Iterator[Opened]:
        for row in self.store.rows():
            yield self._open_row(row)

    def record(self, seq: int) -> Opened:
        row = self.store.row(seq)
        if row is None:
            raise LogError(f"there is no #{seq} in this log")
        return self._open_row(row)

    def write_attachment(self, opened: Opened, out: BinaryIO) -> None:
        """Decrypt an attachment into ``out``, chunk by chunk, and check its size and SHA-256.
        LogError if any chunk fails, one is missing, or the result does not match."""
        if not opened.is_attachment or opened.error:
            raise LogError(opened.error or f"#{opened.seq} is not an attachment")
        row = opened.row
        keys = crypto.keys_for_reading(self.private, row.body[:32])
        aad = record_aad(self.store.header.store_id, row.seq, row.kind)
        plain, size, expected = hashlib.sha256(), 0, 0
        for idx, data in self.store.chunks(row.seq):
            if idx != expected:
                raise LogError(f"#{row.seq}: the attached file's data is missing a part (changed or damaged)")
            try:
                clear = crypto.open_chunk(keys, idx, idx == row.chunks - 1, data, aad)
            except crypto.Undecryptable:
                raise LogError(f"#{row.seq}: part {idx + 1} of the attached file {DAMAGED}") from None
            plain.update(clear)
            size += len(clear)
            out.write(clear)
            expected += 1
        if expected != row.chunks or size != opened.data.get("size") or plain.hexdigest() != opened.data.get("sha256"):
            raise LogError(f"#{row.seq}: the attached file is incomplete or does not match its SHA-256")
