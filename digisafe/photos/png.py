"""PNG walker: eXIf (before or after IDAT), XMP in iTXt, and "Raw profile type exif/xmp/iptc/8bim"
text chunks (hex, often zlib-compressed, written by ImageMagick).

eXIf and uncompressed XMP are blanked in place and their chunk CRC recomputed. Compressed chunks
cannot be edited without changing their length, so they are cut out whole: PNG has no offsets
between chunks, so nothing else moves. Image chunks (IDAT, ...) are skipped, never read.
"""

from __future__ import annotations

import binascii
import re
import struct
import zlib

from digisafe.photos.iptc import apply_patches, walk_iptc, walk_irb
from digisafe.photos.tiff import walk_tiff
from digisafe.photos.types import Cut, NotAPhoto, Patch, PhotoError, WalkResult
from digisafe.photos.xmp import walk_xmp

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 3 ms of a photo scan's start-up)
if TYPE_CHECKING:
    from typing import BinaryIO

SIGNATURE = b"\x89PNG\r\n\x1a\n"
TEXT_CHUNKS = {b"tEXt", b"zTXt", b"iTXt"}
MAX_META = 64 << 20
MAX_CHUNKS = 100000
XMP_KEYWORD = b"XML:com.adobe.xmp"


def _inflate(data: bytes, where: str) -> bytes:
    d = zlib.decompressobj()
    try:
        out = d.decompress(data, MAX_META)
    except zlib.error as exc:
        raise PhotoError(f"{where}: bad compressed text ({exc})") from None
    if d.unconsumed_tail:
        raise PhotoError(f"{where}: compressed text larger than {MAX_META} bytes")
    return out


def _text_chunk(kind: bytes, data: bytes, where: str) -> tuple[bytes, bytes, int, bool]:
    """(keyword, text, offset of text in data, compressed) of a tEXt/zTXt/iTXt chunk."""
    keyword, sep, rest = data.partition(b"\0")
    if not sep:
        raise PhotoError(f"{where}: text chunk without keyword")
    at = len(keyword) + 1
    if kind == b"tEXt":
        return keyword, rest, at, False
    if kind == b"zTXt":
        return keyword, _inflate(rest[1:], where), at + 1, True
    if len(rest) < 2:
        raise PhotoError(f"{where}: truncated iTXt")
    compressed = rest[0] == 1
    _lang, _s1, tail = rest[2:].partition(b"\0")
    _tkw, _s2, text = tail.partition(b"\0")
    text_at = len(data) - len(text)
    return keyword, (_inflate(text, where) if compressed else text), text_at, compressed


def _raw_profile(keyword: bytes, text: bytes, where: str) -> WalkResult:
    """ImageMagick's "Raw profile type X": "\\nX\\n   <length>\\n<hex...>"."""
    kind = keyword[len(b"Raw profile type "):].strip().lower()
    # NOTE: the name line may hold several words ("IPTC profile", as exiftool writes it)
    m = re.match(rb"\s*[^\n]*\n\s*(\d+)\s", text) or re.match(rb"\s*\S*\s+(\d+)\s+", text)
    if m is None:
        raise PhotoError(f"{where}: unreadable raw profile")
    payload = binascii.unhexlify(re.sub(rb"\s+", b"", text[m.end():])[: 2 * int(m.group(1))])
    if kind in (b"exif", b"app1"):
        tiff_at = payload.find(b"II*\0") if b"II*\0" in payload[:16] else payload.find(b"MM\0*")
        if tiff_at < 0:
            raise PhotoError(f"{where}: raw EXIF profile without a TIFF header")
        return walk_tiff(payload[tiff_at:], 0, where=where)
    if kind == b"xmp":
        return walk_xmp(payload, 0, where=where)
    if kind == b"iptc":  # (plain IPTC-IIM, or wrapped in Photoshop resources as exiftool writes it)
        return walk_irb(payload, 0, where=where) if payload[:4] == b"8BIM" else walk_iptc(payload, 0, where=where)
    if kind == b"8bim":
        return walk_irb(payload, 0, where=where)
    return WalkResult()


def _chunk(result: WalkResult, kind: bytes, data: bytes, start: int) -> None:
    """Walk one metadata chunk whose header starts at file offset ``start``."""
    where = f"PNG {kind.decode('latin-1')} at {start}"
    data_at = start + 8
    if kind == b"eXIf":
        skip = 6 if data.startswith(b"Exif\0\0") else 0
        found = walk_tiff(data[skip:], data_at + skip, where=f"{where} EXIF")
        _in_place(result, found, kind, data, data_at)
        return
    if not (data.startswith(XMP_KEYWORD + b"\0") or data.startswith(b"Raw profile type ")):
        return  # other text (comments, software): not location
    keyword, text, text_at, compressed = _text_chunk(kind, data, where)
    if keyword == XMP_KEYWORD:
        found = walk_xmp(text, data_at + text_at, where=f"{where} XMP")
        if compressed and found.patches:
            result.items.extend(found.items)
            result.cuts.append(Cut(start, 12 + len(data)))
        else:
            _in_place(result, found, kind, data, data_at)
    elif keyword.startswith(b"Raw profile type "):
        found = _raw_profile(keyword, text, f"{where} {keyword.decode('latin-1')}")
        result.doubts.extend(found.doubts)
        if found.items or found.patches:
            result.items.extend(found.items)
            result.cuts.append(Cut(start, 12 + len(data)))


def _in_place(result: WalkResult, found: WalkResult, kind: bytes, data: bytes, data_at: int) -> None:
    result.merge(found)
    if found.patches:
        new_data = apply_patches(data, data_at, found.patches)
        crc = zlib.crc32(kind + new_data) & 0xFFFFFFFF
        result.patches.append(Patch(data_at + len(data), struct.pack(">I", crc)))


def walk_png(f: BinaryIO, size: int) -> WalkResult:
    f.seek(0)
    if f.read(8) != SIGNATURE:
        raise NotAPhoto("not a PNG")
    result, pos = WalkResult(), 8
    for _ in range(MAX_CHUNKS):
        f.seek(pos)
        head = f.read(8)
        if len(head) < 8:
            result.doubt(f"PNG: file ends without an IEND chunk (truncated at {pos})")
            return result
        length, kind = struct.unpack(">I4s", head)
        end = pos + 12 + length
        if end > size:
            result.doubt(f"PNG: chunk {kind!r} at {pos} runs past the end of the file")
            return result
        if kind in TEXT_CHUNKS or kind == b"eXIf":
            if length > MAX_META:
                result.doubt(f"PNG: {kind!r} chunk at {pos} too large to check ({length} bytes)")
            else:
                try:
                    _chunk(result, kind, f.read(length), pos)
                except (PhotoError, binascii.Error, ValueError) as exc:
                    result.doubt(f"PNG: unreadable {kind.decode('latin-1')} chunk at {pos} ({exc})")
        if kind == b"IEND":
            return result
        pos = end
    result.doubt(f"PNG: more than {MAX_CHUNKS} chunks")
    return result
