"""Dashcam GPS outside the sample tables: Novatek ``freeGPS`` blocks and GPS hidden in ``free`` boxes.

- Novatek-based dashcams put a ``gps `` atom in ``moov``: version/flags, a count, then (offset,
  size) pairs, each pointing at a block that starts ``size "free" "GPS "`` (a ``free`` box, inside
  or beside ``mdat``). We zero each block after its ``GPS `` signature: it is a ``free`` box, so no
  player reads it, and nothing moves. An entry that does not point at such a block is a doubt.
- BlackVue and others put GPS (NMEA sentences, or a ``gps `` child box) inside a top-level ``free``
  or ``skip`` box. The content of a ``free`` box is ignorable by definition, so we zero all of it.

GPS blocks interleaved in ``mdat`` without any index cannot be found without reading the whole
video; they are not handled (see docs/photos-video.md).
"""

from __future__ import annotations

import re
import struct

from digisafe.photos.boxes import MAX_PAYLOAD, Box, BoxReader
from digisafe.photos.types import LocationItem, Patch, WalkResult

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 3 ms of a photo scan's start-up)
if TYPE_CHECKING:
    from typing import List, Optional, Tuple

MAX_BLOCKS = 100_000
NMEA = re.compile(rb"\$G[PNL](?:RMC|GGA|GLL)")
PEEK = 64 * 1024


def walk_gps_index(reader: BoxReader, box: Box, where: str, result: WalkResult,
                   media: Optional[List[Tuple[int, int]]]) -> None:
    if box.body_size > MAX_PAYLOAD:
        result.doubt(f"{where}: dashcam GPS atom too large to inspect")
        return
    raw = reader.payload(box)
    if len(raw) < 8:
        result.doubt(f"{where}: dashcam GPS index too short to read")
        return
    if NMEA.search(raw):  # not an index: the GPS sentences themselves (BlackVue style)
        result.items.append(LocationItem("quicktime", f"{where}: dashcam GPS sentences", {}))
        result.patches.extend(box.blank())
        return
    (count,) = struct.unpack(">I", raw[4:8])
    if count > MAX_BLOCKS or 8 + 8 * count > len(raw):
        result.doubt(f"{where}: dashcam GPS atom of an unknown layout; not blanked")
        return
    dirty, held = 0, 0
    for i in range(count):
        offset, size = struct.unpack(">II", raw[8 + 8 * i:16 + 8 * i])
        if offset == 0 and size == 0:
            continue
        head = reader.read(offset, 12) if 12 <= size and offset + size <= reader.size else b""
        if head[4:12] != b"freeGPS ":
            result.doubt(f"{where}: GPS block {i + 1} at {offset} is not a freeGPS block; not blanked")
            return
        if media is not None and not any(lo <= offset and offset + size <= hi for lo, hi in media):
            result.doubt(f"{where}: GPS block {i + 1} lies outside the media data")
            return
        body = reader.read(offset + 12, size - 12) if size - 12 <= MAX_PAYLOAD else None
        if body is None:
            result.doubt(f"{where}: GPS block {i + 1} too large to blank")
            return
        if any(body):
            dirty += 1
            held += len(body)
            if held > MAX_PAYLOAD * 3:
                result.doubt(f"{where}: too much dashcam GPS data to blank in one pass")
                return
            result.patches.append(Patch(offset + 12, bytes(len(body))))
    if dirty:
        result.items.append(LocationItem("quicktime", f"{where}: dashcam GPS blocks", {"blocks": dirty}))


def walk_free_box(reader: BoxReader, box: Box, result: WalkResult) -> None:
    """A top-level ``free``/``skip`` box that hides GPS: zero its whole payload."""
    if box.body_size <= 0:
        return
    peek = reader.read(box.body, min(box.body_size, PEEK))
    if not (peek[:4] == b"GPS " or peek[4:8] == b"gps " or NMEA.search(peek)):
        return
    where = f"{box.name} box at {box.start}"
    if box.body_size > MAX_PAYLOAD:
        result.items.append(LocationItem("quicktime", f"{where}: hidden GPS data", {}))
        result.doubt(f"{where}: hidden GPS data too large to blank")
        return
    # NOTE: keep a Novatek block's "GPS " signature, as walk_gps_index does: the index still
    # points here, and a re-walk must recognise the (now blank) block.
    keep = 4 if peek[:4] == b"GPS " else 0
    rest = reader.read(box.body + keep, box.body_size - keep)
    if not any(rest):
        return
    result.items.append(LocationItem("quicktime", f"{where}: hidden GPS data", {"bytes": box.body_size}))
    result.patches.append(Patch(box.body + keep, bytes(len(rest))))
