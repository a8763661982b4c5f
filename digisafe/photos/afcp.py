"""Metadata trailers appended after a JPEG, TIFF or CRW image: AFCP, FotoStation, Canon VRD.

NOTE: AFCP ("AXS File Concatenation Protocol"): the file ends with 12 bytes "AXS!" (big-endian) or
"AXS*" (little-endian) + the absolute offset of the AFCP header; the header repeats the signature,
then a directory of (tag, size, offset) entries. Its "IPTC" entry is plain IPTC-IIM.

NOTE: FotoStation (FotoWare): records chained backwards from the end of the file, each followed by a
10-byte footer: big-endian int16 type (1 = IPTC), int32 record size (footer included), signature
A1 B2 C3 D4. IPTC is blanked in place like any other.
"""

from __future__ import annotations

import struct

from digisafe.photos.iptc import walk_iptc
from digisafe.photos.types import PhotoError, WalkResult

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 3 ms of a photo scan's start-up)
if TYPE_CHECKING:
    from typing import BinaryIO

MAX_ENTRIES = 256
MAX_IPTC = 16 << 20
FOTOSTATION = b"\xa1\xb2\xc3\xd4"


VRD_SIGNATURE = b"CANON OPTIONAL DATA\0"
VRD_XMP = 0xFFFF00F6
MAX_VRD = 16 << 20


def walk_trailers(f: BinaryIO, size: int) -> WalkResult:
    """Every known metadata trailer at the end of the file."""
    return walk_afcp(f, size).merge(walk_fotostation(f, size)).merge(walk_canon_vrd(f, size))


def walk_canon_vrd(f: BinaryIO, size: int) -> WalkResult:
    """Canon DPP "VRD" trailer (CRW, CR2, JPEG): NOTE: a header (signature, 4 bytes, big-endian
    length of the blocks), blocks of (type, length, data), then a 64-byte footer that starts with the
    signature again. Block 0xFFFF00F6 is an XMP packet."""
    from digisafe.photos.xmp import walk_xmp

    result = WalkResult()
    if size < 64 + 28:
        return result
    f.seek(size - 64)
    if f.read(20) != VRD_SIGNATURE:
        return result
    window = min(size - 64, MAX_VRD)
    f.seek(size - 64 - window)
    header = f.read(window).rfind(VRD_SIGNATURE)
    if header < 0:
        result.doubt("Canon VRD trailer: its header is missing")
        return result
    start = size - 64 - window + header
    f.seek(start + 24)
    (length,) = struct.unpack(">I", f.read(4))
    pos, end = start + 28, start + 28 + length
    if end > size - 64:
        result.doubt("Canon VRD trailer: blocks run past the trailer")
        return result
    for _ in range(MAX_ENTRIES):
        if pos + 8 > end:
            break
        f.seek(pos)
        kind, block = struct.unpack(">II", f.read(8))
        if pos + 8 + block > end:
            result.doubt("Canon VRD trailer: block out of range")
            break
        if kind == VRD_XMP:
            result.merge(walk_xmp(f.read(block), pos + 8, where="Canon VRD trailer > XMP"))
        pos += 8 + block
    return result


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
