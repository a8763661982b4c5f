"""IPTC trailers appended after a JPEG or TIFF image: AFCP and FotoStation.

NOTE: AFCP ("AXS File Concatenation Protocol"): the file ends with 12 bytes "AXS!" (big-endian) or
"AXS*" (little-endian) + the absolute offset of the AFCP header; the header repeats the signature,
then a directory of (tag, size, offset) entries. Its "IPTC" entry is plain IPTC-IIM.

NOTE: FotoStation (FotoWare): records chained backwards from the end of the file, each followed by a
10-byte footer: big-endian int16 type (1 = IPTC), int32 record size (footer included), signature
A1 B2 C3 D4. IPTC is blanked in place like any other.
"""

from __future__ import annotations

import struct
from typing import BinaryIO

from digisafe.photos.iptc import walk_iptc
from digisafe.photos.types import PhotoError, WalkResult

MAX_ENTRIES = 256
MAX_IPTC = 16 << 20
FOTOSTATION = b"\xa1\xb2\xc3\xd4"


def walk_trailers(f: BinaryIO, size: int) -> WalkResult:
    """Every known IPTC trailer at the end of the file."""
    return walk_afcp(f, size).merge(walk_fotostation(f, size))


def walk_fotostation(f: BinaryIO, size: int) -> WalkResult:
    result, end = WalkResult(), size
    for _ in range(MAX_ENTRIES):
        if end < 10:
            break
        f.seek(end - 10)
        footer = f.read(10)
        if footer[6:] != FOTOSTATION:
            break
        kind, length = struct.unpack(">HI", footer[:6])
        if length < 10 or length > end:
            result.doubt("FotoStation trailer: record out of range")
            break
        start = end - length
        if kind == 1:
            f.seek(start)
            try:
                result.merge(walk_iptc(f.read(length - 10), start, where="FotoStation trailer > IPTC"))
            except PhotoError as exc:
                result.doubt(f"FotoStation trailer: unreadable IPTC ({exc})")
        end = start
    return result


def walk_afcp(f: BinaryIO, size: int) -> WalkResult:
    result = WalkResult()
    if size < 24:
        return result
    f.seek(size - 12)
    tail = f.read(12)
    if tail[:3] != b"AXS" or tail[3:4] not in (b"!", b"*"):
        return result
    order = ">" if tail[3:4] == b"!" else "<"
    (start,) = struct.unpack(order + "I", tail[4:8])
    f.seek(start)
    head = f.read(12)
    if start + 12 > size or head[:4] != tail[:4]:
        result.doubt("AFCP trailer: its directory is not where the trailer says (IPTC may be hidden there)")
        return result
    (count,) = struct.unpack(order + "H", head[6:8])
    if count > MAX_ENTRIES:
        result.doubt("AFCP trailer: too many entries")
        return result
    table = f.read(12 * count)
    for i in range(len(table) // 12):
        tag, length, offset = struct.unpack(order + "4sII", table[12 * i:12 * i + 12])
        if tag != b"IPTC":
            continue
        if offset + length > size or length > MAX_IPTC:
            result.doubt("AFCP trailer: IPTC entry out of range")
            continue
        f.seek(offset)
        try:
            result.merge(walk_iptc(f.read(length), offset, where="AFCP trailer > IPTC"))
        except PhotoError as exc:
            result.doubt(f"AFCP trailer: unreadable IPTC ({exc})")
    return result
