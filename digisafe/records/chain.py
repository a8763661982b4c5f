"""Recompute the hash chain over every entry and attachment, without the passphrase.

Each record's hash covers the record before it (its ``prev_hash``), its number, kind, sealed body
and the digest of its encrypted chunks; the first record's ``prev_hash`` covers the log header
(store id, public key, scrypt parameters, wrapped key). Each record is judged on its own so one
flipped byte is reported at the record it is in (and, for a changed hash, at the next record whose
link no longer matches).

NOTE: the chain shows that nothing was changed, removed or reordered *since a head hash someone
else saw* (an export, a printed page, a trusted timestamp). Adding needs no passphrase, so someone
who can write the file and knows this format could rebuild a chain; compare the head hash with
one written down earlier. Nobody without the passphrase can read anything.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from digisafe.records.errors import LogError
from digisafe.records.store import ATTACHMENT, ENTRY, LogStore, chunk_digest_update, record_hash


@dataclass(frozen=True)
class Problem:
    seq: int  # 0: the log header
    what: str

    def line(self) -> str:
        where = "the log header" if self.seq == 0 else f"#{self.seq}"
        return f"{where}: {self.what}"


@dataclass
class ChainReport:
    count: int = 0
    head: bytes = b""
    problems: list[Problem] = field(default_factory=list)
    unreadable: str = ""  # the file could not be read to the end

    @property
    def ok(self) -> bool:
        return not self.problems and not self.unreadable

    def first_broken(self) -> str:
        if self.problems:
            return self.problems[0].line()
        return self.unreadable


def _chunks_digest(store: LogStore, seq: int) -> tuple[int, bytes, bool]:
    """(count, digest, in order) of an attachment's stored chunks."""
    digest, count, ordered = hashlib.sha256(), 0, True
    for idx, data in store.chunks(seq):
        ordered = ordered and idx == count
        chunk_digest_update(digest, data)
        count += 1
    return count, digest.digest(), ordered


def _judge(store: LogStore, row, previous_hash: bytes, expected_seq: int) -> list[Problem]:
    problems = []
    if row.seq != expected_seq:
        gap = f"#{expected_seq}" if row.seq == expected_seq + 1 else f"#{expected_seq} to #{row.seq - 1}"
        problems.append(Problem(row.seq, f"{gap} missing before it (removed)"))
    if row.kind not in (ENTRY, ATTACHMENT):
        problems.append(Problem(row.seq, "unknown kind of record (changed)"))
    if row.prev_hash != previous_hash:
        before = "the log header" if row.seq == 1 else "the record before it"
        problems.append(Problem(row.seq, f"does not follow {before} (it or the record before it was changed)"))
    if row.kind == ATTACHMENT:
        count, digest, ordered = _chunks_digest(store, row.seq)
        if count != row.chunks or digest != row.chunk_digest or not ordered:
            problems.append(Problem(row.seq, "the attached file's encrypted data was changed, cut or reordered"))
    elif row.chunks or row.chunk_digest:
        problems.append(Problem(row.seq, "an entry that claims attached data (changed)"))
    recomputed = record_hash(row.prev_hash, row.seq, row.kind, row.body, row.chunks, row.chunk_digest)
    if recomputed != row.hash:
        problems.append(Problem(row.seq, "changed since it was written (its hash does not match)"))
    return problems


def verify_chain(store: LogStore) -> ChainReport:
    report = ChainReport()
    previous, expected = store.header.genesis(), 1
    try:
        for row in store.rows():
            report.problems.extend(_judge(store, row, previous, expected))
            previous, expected = row.hash, row.seq + 1
            report.count += 1
        report.problems.extend(Problem(seq, "encrypted attachment data with no record (added or record removed)")
                               for seq in store.stray_chunk_owners())
    except LogError as exc:
        report.unreadable = str(exc)
    report.head = previous
    return report
