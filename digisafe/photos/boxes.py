"""The box reader shared by the ISOBMFF family (HEIF/AVIF/CR3, MP4/MOV/3GP) and JPEG XL.

A box is ``size(4) type(4) [largesize(8)] [usertype(16) if type == "uuid"] payload``. Size 1 means
a 64-bit largesize follows; size 0 means "to the end of the enclosing box" (in practice: of the
file). Every read is bounded: no payload larger than ``MAX_PAYLOAD`` is ever read whole, no more than
``MAX_BOXES`` boxes are visited per file, and every box must fit inside its parent.

Also here: the helpers that turn an Exif/XMP payload that may be split over several extents into
same-length patches at absolute file offsets (``Segments``), and the ``Exif`` item/box layout
(4-byte ``tiff_header_offset`` then a TIFF block) used by both HEIF and JPEG XL.
"""

from __future__ import annotations

import struct
from operator import itemgetter

from digisafe.photos.types import LocationItem, Patch, PhotoError, WalkResult

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 3 ms of a photo scan's start-up)
if TYPE_CHECKING:
    from typing import BinaryIO, Iterator, List, Optional, Tuple

MAX_BOXES = 100_000  # per file; a real 3-hour video has a few hundred
MAX_DEPTH = 16
MAX_PAYLOAD = 16 * 1024 * 1024  # the largest metadata payload we read whole
XMP_UUID = bytes.fromhex("BE7ACFCB97A942E89C71999491E3AFAC")
TIFF_MAGICS = (b"II*\x00", b"MM\x00*")


class Box(tuple):
    """``type``, ``start``: absolute offset of the size field; ``header``: bytes before the payload (8,
    16 with a largesize, +16 for a uuid); ``end``: absolute end (exclusive); ``usertype``; ``large``.

    NOTE: a named tuple (frozen, hashable, no __dict__, as a frozen record) because one is made in a
    quarter of the time of a FrozenRecord (set field by field through object.__setattr__): a video
    or HEIF file has hundreds of boxes. Written out rather than made by typing.NamedTuple, which
    imports typing and compiles the class's methods at import (~1.5 ms of a scan's start-up)."""

    __slots__ = ()

    def __new__(cls, type: bytes, start: int, header: int, end: int, usertype: bytes = b"",  # noqa: A002
                large: bool = False) -> Box:
        return tuple.__new__(cls, (type, start, header, end, usertype, large))

    def __getnewargs__(self) -> tuple[object, ...]:
        return tuple(self)

    def __repr__(self) -> str:
        return (f"Box(type={self[0]!r}, start={self[1]!r}, header={self[2]!r}, end={self[3]!r}, "
                f"usertype={self[4]!r}, large={self[5]!r})")

    type: bytes = property(itemgetter(0))  # type: ignore[assignment]
    start: int = property(itemgetter(1))  # type: ignore[assignment]
    header: int = property(itemgetter(2))  # type: ignore[assignment]
    end: int = property(itemgetter(3))  # type: ignore[assignment]
    usertype: bytes = property(itemgetter(4))  # type: ignore[assignment]
    large: bool = property(itemgetter(5))  # type: ignore[assignment]

    @property
    def body(self) -> int:
        return self.start + self.header

    @property
    def size(self) -> int:
        return self.end - self.start

    @property
    def body_size(self) -> int:
        return self.end - self.body

    @property
    def name(self) -> str:
        return self.type.decode("latin-1")

    def blank(self) -> List[Patch]:
        """Retype this box to ``free`` and zero everything after its size fields (same length)."""
        after = self.start + (16 if self.large else 8)
        return [Patch(self.start + 4, b"free"), Patch(after, bytes(self.end - after))]


class BoxReader:
    """Bounded, seek-based reads from a read-only file of known ``size``."""

    def __init__(self, f: BinaryIO, size: int, where: str) -> None:
        self.f, self.size, self.where = f, size, where
        self.count = 0

    def read(self, offset: int, n: int) -> bytes:
        if offset < 0 or n < 0 or offset + n > self.size:
            raise PhotoError(f"{self.where}: read of {n} bytes at {offset} is outside the file ({self.size})")
        if n > MAX_PAYLOAD:
            raise PhotoError(f"{self.where}: refusing to read {n} bytes of metadata at once")
        self.f.seek(offset)
        data = self.f.read(n)
        if len(data) != n:
            raise PhotoError(f"{self.where}: short read at {offset} (file changed or truncated)")
        return data

    def payload(self, box: Box, limit: int = MAX_PAYLOAD) -> bytes:
        if box.body_size > limit:
            raise PhotoError(f"{self.where}: {box.name} box of {box.body_size} bytes is too large to read")
        return self.read(box.body, box.body_size)

    def boxes(self, start: int, end: int, parent: str, result: Optional[WalkResult] = None) -> Iterator[Box]:
        """The boxes in ``[start, end)``. With ``result`` (top level only), a box running past the
        end is clamped and noted as a doubt (a truncated file); otherwise it is a PhotoError."""
        pos = start
        while end - pos >= 8:
            head = self.read(pos, 8)
            size, typ = struct.unpack(">I4s", head)
            header, large = 8, False
            if size == 1:
                size, header, large = struct.unpack(">Q", self.read(pos + 8, 8))[0], 16, True
            elif size == 0:
                size = end - pos
            usertype = b""
            if typ == b"uuid":
                usertype = self.read(pos + header, 16) if pos + header + 16 <= end else b""
                header += 16
            if size < header:
                raise PhotoError(f"{self.where}: {parent} > box {typ!r} at {pos} has impossible size {size}")
            if pos + size > end:
                if result is None:
                    raise PhotoError(f"{self.where}: {parent} > {typ!r} at {pos} runs past its parent")
                result.doubt(f"{self.where}: {typ.decode('latin-1')} box at {pos} runs past the end of the file")
                size = end - pos
            self.count += 1
            if self.count > MAX_BOXES:
                raise PhotoError(f"{self.where}: more than {MAX_BOXES} boxes")
            yield Box(typ, pos, header, pos + size, usertype, large)
            pos += size
        # NOTE: up to 7 trailing bytes are legal padding (classic QuickTime ends udta with a 32-bit 0).

    def children(self, box: Box, skip: int = 0) -> List[Box]:
        return list(self.boxes(box.body + skip, box.end, box.name))


def is_full_meta(reader: BoxReader, meta: Box) -> bool:
    """ISO ``meta`` is a FullBox (4 bytes version/flags first); QuickTime ``meta`` is not: there the
    payload starts straight with a child box (size >= 8, a printable type)."""
    head = reader.read(meta.body, min(8, meta.body_size))
    if len(head) < 8:
        return True
    size = struct.unpack(">I", head[:4])[0]
    printable = all(0x20 <= c < 0x7F or c == 0xA9 for c in head[4:8])
    return not (8 <= size <= meta.body_size and printable)


class Segments:
    """Maps a logical payload (one item, possibly split over several extents) to file offsets."""

    def __init__(self, parts: List[Tuple[int, int]]) -> None:
        self.parts = parts  # (absolute offset, length) in logical order

    def to_file(self, patch: Patch) -> List[Patch]:
        out, logical, todo_off, data = [], 0, patch.offset, patch.data
        for absolute, length in self.parts:
            if data and logical <= todo_off < logical + length:
                take = min(len(data), logical + length - todo_off)
                out.append(Patch(absolute + todo_off - logical, data[:take], patch.what))
                data, todo_off = data[take:], todo_off + take
            logical += length
        if data:
            raise PhotoError("a patch falls outside the item it belongs to")
        return out

    def remap(self, sub: WalkResult, prefix: str) -> WalkResult:
        """``sub`` was walked with logical offsets; return it with file offsets and a where prefix."""
        mapped = WalkResult(doubts=[f"{prefix}: {d}" for d in sub.doubts], info=dict(sub.info))
        mapped.items = [LocationItem(i.carrier, f"{prefix} > {i.where}", i.values) for i in sub.items]
        for patch in sub.patches:
            mapped.patches.extend(self.to_file(patch))
        if sub.cuts:
            mapped.doubt(f"{prefix}: a payload walker asked to cut bytes, which this container cannot do")
        return mapped


def exif_payload(data: bytes, segments: Segments, where: str) -> WalkResult:
    """An ``Exif`` item/box: 4-byte big-endian tiff_header_offset, then (usually "Exif\\0\\0") TIFF."""
    if len(data) < 12:
        raise PhotoError(f"{where}: Exif payload of {len(data)} bytes is too short")
    start = 4 + struct.unpack(">I", data[:4])[0]
    if data[start:start + 4] not in TIFF_MAGICS:
        # NOTE: some writers put 0 in tiff_header_offset and still start with "Exif\0\0".
        candidates = [p for p in (4, 10) if data[p:p + 4] in TIFF_MAGICS]
        if not candidates:
            result = WalkResult()
            result.doubt(f"{where}: Exif payload has no TIFF header where it says")
            return result
        start = candidates[0]
    return tiff_block(data, start, segments, where)


def tiff_block(data: bytes, start: int, segments: Segments, where: str) -> WalkResult:
    """Walk the TIFF block at ``data[start:]`` (tiff.py) and map its patches to file offsets."""
    from digisafe.photos.tiff import walk_tiff

    sub = walk_tiff(data[start:], start, "EXIF")
    if any(p.offset < start + 8 and p.end > start for p in sub.patches):
        sub.doubt("GPS data overlaps the TIFF header (a broken or hostile file)")
    return segments.remap(sub, where)


def xmp_payload(data: bytes, segments: Segments, where: str) -> WalkResult:
    from digisafe.photos.xmp import walk_xmp

    return segments.remap(walk_xmp(data, 0, "XMP"), where)


def dedupe(result: WalkResult) -> WalkResult:
    """Two items sharing the same bytes give the same patches twice: keep one of each."""
    seen, patches = set(), []
    for p in result.patches:
        key = (p.offset, bytes(p.data))
        if key not in seen:
            seen.add(key)
            patches.append(p)
    result.patches = patches
    return result
