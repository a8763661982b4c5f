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

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 3 ms of a photo scan's start-up)
if TYPE_CHECKING:
    from typing import Any, Dict, List, Mapping


class PhotoError(Exception):
    """A broken or hostile file: reported for that file, the batch goes on."""


class NotAPhoto(PhotoError):
    """Not a photo or video we recognise (wrong extension, a text file, ...)."""


class Unsupported(PhotoError):
    """A photo/video format we recognise but cannot read or strip (yet)."""


class Record:
    """Base of the small value classes that cross the photos code (and process boundaries): fields
    in ``__slots__``, equality, repr and pickling as a dataclass gives them.

    NOTE: not dataclasses: building these classes with ``@dataclass`` cost ~3 ms of every `photos
    scan` and `strip` start (the decorator writes and compiles each method at import), more than
    reading a few dozen photos. Each subclass writes its own ``__init__`` (the hot path)."""

    __slots__: tuple[str, ...] = ()

    def _fields(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._fields() == other._fields()  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]  # (mutable, like a dataclass with eq)

    def __repr__(self) -> str:
        inner = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{self.__class__.__qualname__}({inner})"

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        return self.__class__, self._fields()


class FrozenInstanceError(AttributeError):
    """Assigning to a field of a frozen record (as dataclasses.FrozenInstanceError)."""


class FrozenRecord(Record):
    """A ``Record`` whose fields cannot be changed once made, and which can be hashed."""

    __slots__ = ()

    def __setattr__(self, name: str, value: object) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __hash__(self) -> int:
        return hash(self._fields())


_set = object.__setattr__


class LocationItem(FrozenRecord):
    """One piece of location found in a file.

    ``carrier``: "exif-gps" | "xmp" | "iptc" | "quicktime" | "makernote" | "c2pa" ...; ``where``: e.g.
    "JPEG APP1 > IFD0 > GPS IFD"; ``values``: {"latitude": 51.5, ...} or {"city": "Leeds"}."""

    __slots__ = ("carrier", "where", "values")
    carrier: str
    where: str
    values: Mapping[str, object]

    def __init__(self, carrier: str, where: str, values: Mapping[str, object] | None = None) -> None:
        _set(self, "carrier", carrier)
        _set(self, "where", where)
        _set(self, "values", {} if values is None else values)

    def to_dict(self) -> dict[str, Any]:
        return {"carrier": self.carrier, "where": self.where, "values": dict(self.values)}


class Patch(FrozenRecord):
    """Overwrite ``len(data)`` bytes at absolute file ``offset`` (never changes the file length).
    ``what`` says what the change is, for the evidence record (the manifest)."""

    __slots__ = ("offset", "data", "what")
    offset: int
    data: bytes
    what: str

    def __init__(self, offset: int, data: bytes, what: str = "") -> None:
        _set(self, "offset", offset)
        _set(self, "data", data)
        _set(self, "what", what)

    @property
    def end(self) -> int:
        return self.offset + len(self.data)


class Cut(FrozenRecord):
    """Leave out bytes ``[offset, offset + length)`` of the original when writing the copy."""

    __slots__ = ("offset", "length")
    offset: int
    length: int

    def __init__(self, offset: int, length: int) -> None:
        _set(self, "offset", offset)
        _set(self, "length", length)

    @property
    def end(self) -> int:
        return self.offset + self.length


class WalkResult(Record):
    __slots__ = ("items", "patches", "doubts", "info", "cuts")
    items: List[LocationItem]
    patches: List[Patch]
    doubts: List[str]
    info: Dict[str, Any]  # "make", "model", "date_taken"
    cuts: List[Cut]

    def __init__(self, items: List[LocationItem] | None = None, patches: List[Patch] | None = None,
                 doubts: List[str] | None = None, info: Dict[str, Any] | None = None,
                 cuts: List[Cut] | None = None) -> None:
        self.items = [] if items is None else items
        self.patches = [] if patches is None else patches
        self.doubts = [] if doubts is None else doubts
        self.info = {} if info is None else info
        self.cuts = [] if cuts is None else cuts

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
