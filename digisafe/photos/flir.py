"""FLIR thermal cameras (and FLIR One on a phone): the FFF record directory in JPEG APP1 "FLIR" segments.

Layout (facts as documented by exiftool's FLIR module): each APP1 segment starts ``FLIR\\0``, a format
byte, the chunk number and the number of chunks minus one; the chunks' data, concatenated in chunk
order, is one FFF block: a 64-byte header (``FFF\\0``; the file format version, 100-199, at 0x14 tells
the byte order; the record directory's offset at 0x18 and entry count at 0x1C), then 32-byte
directory entries (record type at 0, offset at 0x0C and length at 0x10, relative to the FFF block).

Record type 0x2B is GPS info, always little-endian: GPSValid (int32) at 0, latitude and longitude
(double, signed decimal degrees) at 0x10 and 0x18, altitude (float) at 0x20, then DOP, speed, track,
image direction and map datum. The whole record is overwritten with zeros (same length): GPSValid 0
means "no position" to every reader. Record type 0x0E holds the camera's visible-light photo; when
it is a JPEG its own EXIF/XMP is walked too.

The FFF block may span several segments: logical offsets are mapped back to file offsets
(boxes.Segments), so a record split by a segment header is patched piece by piece.
"""

from __future__ import annotations

import math
import struct

from digisafe.photos.types import LocationItem, Patch, WalkResult

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 3 ms of a photo scan's start-up)
if TYPE_CHECKING:
    from digisafe.photos.boxes import Segments
    from digisafe.photos.view import Data

SIGNATURE = b"FLIR\0"
REC_GPS, REC_EMBEDDED_IMAGE = 0x2B, 0x0E
MAX_RECORDS = 4096
MAX_GPS_RECORD = 1 << 16
MAX_IMAGE = 16 << 20


class FlirChunks:
    """The FLIR APP1 segments of one JPEG, gathered while its segments are walked."""

    def __init__(self) -> None:
        self.chunks: dict[int, tuple[int, int]] = {}  # chunk number -> (offset in data, length)
        self.in_file_order: list[tuple[int, int]] = []
        self.totals: set[int] = set()
        self.duplicate = False

    def add(self, body: bytes, at: int) -> None:
        """``body`` is the APP1 body (starting ``FLIR\\0``) at offset ``at`` of the walked data."""
        if len(body) < 8:
            self.totals.add(-1)  # (a FLIR segment too short for its header: the record is broken)
            return
        number, total = body[6], body[7] + 1
        self.totals.add(total)
        if number in self.chunks:
            self.duplicate = True
        self.chunks[number] = (at + 8, len(body) - 8)
        self.in_file_order.append((at + 8, len(body) - 8))

    def parts(self) -> list[tuple[int, int]] | None:
        """The chunks in FFF order, or None when they cannot be put together with certainty."""
        if self.duplicate and self.totals == {1} and set(self.chunks) == {0}:
            # NOTE: some software writes zeros for every chunk number and count; readers then join
            # the chunks in file order (exiftool does, with a warning).
            return list(self.in_file_order)
        if self.duplicate or len(self.totals) != 1 or sorted(self.chunks) != list(range(next(iter(self.totals)))):
            return None
        return [self.chunks[i] for i in sorted(self.chunks)]


class _Block:
    """Logical reads from the concatenated FFF block."""

    def __init__(self, data: Data, parts: list[tuple[int, int]]) -> None:
        self.data, self.parts = data, parts
        self.size = sum(n for _o, n in parts)

    def read(self, start: int, n: int) -> bytes | None:
        if start < 0 or n < 0 or start + n > self.size:
            return None
        out, logical = bytearray(), 0
        for offset, length in self.parts:
            lo, hi = max(start, logical), min(start + n, logical + length)
            if lo < hi:
                out += bytes(self.data[offset + lo - logical:offset + hi - logical])
            logical += length
        return bytes(out)


def walk_flir(data: Data, base: int, found: FlirChunks, where: str) -> WalkResult:
    """Find and blank the GPS record of the FFF block held in ``found``'s chunks of ``data``."""
    from digisafe.photos.boxes import Segments  # (only for FLIR files: every JPEG imports this module)

    result = WalkResult()
    where = f"{where} APP1 FLIR"
    parts = found.parts()
    if parts is None:
        result.doubt(f"{where}: FLIR segments missing, repeated or inconsistent (the record cannot be read "
                     "whole)")
        return result
    block = _Block(data, parts)
    segments = Segments([(base + offset, length) for offset, length in parts])
    header = block.read(0, 0x40)
    if header is None or header[:4] not in (b"FFF\0", b"AFF\0"):
        result.doubt(f"{where}: FLIR data without an FFF header")
        return result
    order = next((o for o in (">", "<") if 100 <= struct.unpack(o + "I", header[0x14:0x18])[0] < 200), "")
    if not order:
        result.doubt(f"{where}: unknown FLIR FFF version")
        return result
    dir_at, count = struct.unpack(order + "II", header[0x18:0x20])
    directory = block.read(dir_at, 0x20 * count) if count <= MAX_RECORDS else None
    if directory is None:
        result.doubt(f"{where}: FLIR record directory out of range")
        return result
    for i in range(count):
        kind, = struct.unpack(order + "H", directory[0x20 * i:0x20 * i + 2])
        rec_at, rec_len = struct.unpack(order + "II", directory[0x20 * i + 0x0C:0x20 * i + 0x14])
        if kind == REC_GPS:
            _gps(block, segments, rec_at, rec_len, f"{where} > GPS record", result)
        elif kind == REC_EMBEDDED_IMAGE:
            _embedded_image(block, segments, rec_at, rec_len, f"{where} > embedded image", result)
    return result


def _gps(block: _Block, segments: Segments, at: int, length: int, where: str, result: WalkResult) -> None:
    record = block.read(at, length) if length <= MAX_GPS_RECORD else None
    if record is None:
        result.doubt(f"{where}: out of range")
        return
    if not any(record):
        return
    if len(record) >= 0x24:
        valid, = struct.unpack("<I", record[:4])
        lat, lon = struct.unpack("<dd", record[0x10:0x20])
        alt, = struct.unpack("<f", record[0x20:0x24])
        if valid and all(math.isfinite(v) and abs(v) <= 360 for v in (lat, lon)) and (lat or lon):
            values: dict[str, object] = {"latitude": round(lat, 7), "longitude": round(lon, 7)}
            if math.isfinite(alt):
                values["altitude"] = round(alt, 2)
            result.items.append(LocationItem("flir", where, values))
    # (a record without a valid position is emptied all the same: GPS time, speed, datum)
    result.patches.extend(segments.to_file(Patch(at, bytes(len(record)), "FLIR GPS record zeroed")))


def _embedded_image(block: _Block, segments: Segments, at: int, length: int, where: str,
                    result: WalkResult) -> None:
    head = block.read(at + 0x20, 3)
    if head != b"\xff\xd8\xff" or length <= 0x20:
        return  # (usually PNG or raw pixels: no metadata there)
    if length > MAX_IMAGE:
        result.doubt(f"{where}: too large to check ({length} bytes)")
        return
    raw = block.read(at + 0x20, length - 0x20)
    if raw is None:
        result.doubt(f"{where}: out of range")
        return
    from digisafe.photos.jpeg import walk_jpeg_block
    from digisafe.photos.types import PhotoError

    try:
        sub = walk_jpeg_block(raw, at + 0x20, where="JPEG")
    except PhotoError as exc:
        result.doubt(f"{where}: unreadable JPEG ({exc})")
        return
    result.merge(segments.remap(sub, where))
