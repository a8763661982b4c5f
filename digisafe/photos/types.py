"""The shared interface of the photo walkers: what a walker finds and how it says so.

A *walker* reads one container (JPEG, TIFF, PNG, WebP, ISOBMFF, ...) or one payload (a TIFF/EXIF
block, an XMP packet) and returns a ``WalkResult``:

- ``items``: every location it saw (for ``photos scan`` and the manifest);
- ``patches``: same-length overwrites, at absolute file offsets, that remove that location without
  moving a single other byte (so no offset anywhere needs fixing: lossless by construction);
- ``doubts``: reasons we are not certain we saw everything (truncation, a loop, an unknown
  structure that could hide location). ``photos strip`` fails closed on any doubt;
- ``cuts``: byte ranges to leave out of the copy, ONLY for containers without global offsets
  (whole PNG chunks that cannot be edited in place, e.g. compressed "Raw profile" text). The walker
  that cuts also emits the patches that keep the container consistent (sizes, CRCs), in original
  file coordinates;
- ``info``: camera make/model, date taken (for display only).

Container walkers have the signature ``walk_X(f: BinaryIO, size: int) -> WalkResult``: ``f`` is
seekable and read-only, reads are bounded, and whole videos are never read into memory. Payload
walkers (``tiff.walk_tiff``, ``xmp.walk_xmp``) take ``(data: bytes, base: int)``, where ``base`` is
the absolute file offset of ``data[0]``, so the patches they return are absolute too.

A broken or hostile file raises ``PhotoError`` (a per-file error, never a crash); a file that is
not a photo at all raises ``NotAPhoto``; a photo/video format we cannot handle (yet) raises
``Unsupported``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping


class PhotoError(Exception):
    """A broken or hostile file: reported for that file, the batch goes on."""


class NotAPhoto(PhotoError):
    """Not a photo or video we recognise (wrong extension, a text file, ...)."""


class Unsupported(PhotoError):
    """A photo/video format we recognise but cannot read or strip (yet)."""


@dataclass(frozen=True)
class LocationItem:
    """One piece of location found in a file."""

    carrier: str  # "exif-gps" | "xmp" | "iptc" | "quicktime" | "makernote" | "c2pa"
    where: str  # e.g. "JPEG APP1 > IFD0 > GPS IFD"
    values: Mapping[str, object] = field(default_factory=dict)  # {"latitude": 51.5, ...} or {"city": "Leeds"}

    def to_dict(self) -> dict[str, Any]:
        return {"carrier": self.carrier, "where": self.where, "values": dict(self.values)}


@dataclass(frozen=True)
class Patch:
    """Overwrite ``len(data)`` bytes at absolute file ``offset`` (never changes the file length).
    ``what`` says what the change is, for the evidence record (the manifest)."""

    offset: int
    data: bytes
    what: str = ""

    @property
    def end(self) -> int:
        return self.offset + len(self.data)


@dataclass(frozen=True)
class Cut:
    """Leave out bytes ``[offset, offset + length)`` of the original when writing the copy."""

    offset: int
    length: int

    @property
    def end(self) -> int:
        return self.offset + self.length


@dataclass
class WalkResult:
    items: List[LocationItem] = field(default_factory=list)
    patches: List[Patch] = field(default_factory=list)
    doubts: List[str] = field(default_factory=list)
    info: Dict[str, Any] = field(default_factory=dict)  # "make", "model", "date_taken"
    cuts: List[Cut] = field(default_factory=list)

    def merge(self, other: WalkResult) -> WalkResult:
        """Add ``other``'s findings to this one (in place) and return self. First info wins."""
        self.items.extend(other.items)
        self.patches.extend(other.patches)
        self.doubts.extend(d for d in other.doubts if d not in self.doubts)
        self.cuts.extend(other.cuts)
        for key, value in other.info.items():
            self.info.setdefault(key, value)
        return self

    def doubt(self, reason: str) -> None:
        if reason not in self.doubts:
            self.doubts.append(reason)
