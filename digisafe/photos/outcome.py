"""What `photos strip` did with one file: its status words and the ``Outcome`` record.

Apart from strip.py so that rendering (and `photos scan`, which renders through the same module)
does not import the strip machinery."""

from __future__ import annotations

from pathlib import Path

from digisafe.photos.types import LocationItem, Record

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 3 ms of a photo scan's start-up)
if TYPE_CHECKING:
    from typing import Any

CLEANED = "cleaned"  # location removed, output verified
NO_LOCATION = "no location"  # nothing to remove (copied unchanged with --out)
WOULD_CLEAN = "would clean"  # --dry-run
NOT_CLEANED = "NOT cleaned"  # could not be cleaned with certainty: nothing written


class Outcome(Record):
    __slots__ = ("source", "output", "status", "reason", "kind", "items", "sha256_before", "sha256_after",
                 "pending", "changes")
    source: Path
    output: Path | None
    status: str
    reason: str
    kind: str
    items: list[LocationItem]
    sha256_before: str | None
    sha256_after: str | None
    pending: Path | None  # verified temp file waiting to be renamed over ``output``
    changes: list[dict[str, Any]]  # every byte range changed in the output

    def __init__(self, source: Path, output: Path | None, status: str, reason: str = "", kind: str = "",
                 items: list[LocationItem] | None = None, sha256_before: str | None = None,
                 sha256_after: str | None = None, pending: Path | None = None,
                 changes: list[dict[str, Any]] | None = None) -> None:
        self.source, self.output, self.status, self.reason, self.kind = source, output, status, reason, kind
        self.items = [] if items is None else items
        self.sha256_before, self.sha256_after, self.pending = sha256_before, sha256_after, pending
        self.changes = [] if changes is None else changes

    @property
    def failed(self) -> bool:
        return self.status == NOT_CLEANED

    def to_dict(self) -> dict[str, Any]:
        return {"source": str(self.source), "output": str(self.output) if self.output else None,
                "status": self.status, "reason": self.reason, "format": self.kind,
                "removed": [i.to_dict() for i in self.items] if self.status == CLEANED else [],
                "found": [i.to_dict() for i in self.items], "changes": list(self.changes),
                "sha256_original": self.sha256_before, "sha256_output": self.sha256_after}
