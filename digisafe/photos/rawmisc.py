"""Less common containers that wrap a TIFF block or a JPEG: Minolta MRW, Sigma X3F, Canon CRW and AVI.

- MRW: "\\0MRM" + the length of the header blocks; each block is a 4-byte name and a big-endian
  length. The "\\0TTW" block is an ordinary TIFF block (EXIF, GPS) walked by tiff.py.
- X3F: "FOVb" header; the last 4 bytes (little-endian) point at the "SECd" directory of
  (offset, length, type) entries. Image sections ("IMA2"/"IMAG") start with a 28-byte "SECi" header;
  format 18 is a JPEG preview, which carries the camera's EXIF.
- AVI: RIFF chunks. Cameras keep EXIF in the stream's "strd" chunk (after a vendor tag such as
  "AVIF"), Adobe keeps XMP in a "_PMX" chunk. The media list ("movi") and index are never read.
Everything is blanked in place (same length), as elsewhere.
"""

from __future__ import annotations

import struct

from digisafe.photos.types import NotAPhoto, PhotoError, WalkResult
from digisafe.photos.view import FileView

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 3 ms of a photo scan's start-up)
if TYPE_CHECKING:
    from typing import BinaryIO

MAX_BLOCKS = 4096
MAX_META = 64 << 20
TIFF_HEADERS = (b"II*\0", b"MM\0*")


def walk_mrw(f: BinaryIO, size: int) -> WalkResult:
    from digisafe.photos.tiff import walk_tiff

    f.seek(0)
    head = f.read(8)
    if len(head) < 8 or head[:4] != b"\0MRM":
        raise NotAPhoto("not a Minolta MRW file")
    end = 8 + struct.unpack(">I", head[4:8])[0]
    if end > size:
        raise PhotoError("MRW: header blocks run past the end of the file")
    result, pos = WalkResult(), 8
    for _ in range(MAX_BLOCKS):
        if pos + 8 > end:
            return result
        f.seek(pos)
        name, length = struct.unpack(">4sI", f.read(8))
        if pos + 8 + length > end:
            raise PhotoError(f"MRW: block {name!r} runs past the header")
        if name == b"\0TTW":
            result.merge(walk_tiff(FileView(f, pos + 8, length), pos + 8, where="MRW TTW"))
        pos += 8 + length
    result.doubt("MRW: too many blocks")
    return result


def walk_x3f(f: BinaryIO, size: int) -> WalkResult:
    from digisafe.photos.jpeg import walk_jpeg_block

    f.seek(0)
    if f.read(4) != b"FOVb" or size < 40:
        raise NotAPhoto("not a Sigma X3F file")
    f.seek(size - 4)
    (directory,) = struct.unpack("<I", f.read(4))
    f.seek(directory)
    head = f.read(12)
    if directory + 12 > size or head[:4] != b"SECd":
        raise PhotoError("X3F: no section directory where the file says")
    (count,) = struct.unpack("<I", head[8:12])
    if count > MAX_BLOCKS or directory + 12 + 12 * count > size:
        raise PhotoError("X3F: section directory out of range")
    table = f.read(12 * count)
    result = WalkResult()
    for i in range(count):
        offset, length, kind = struct.unpack("<II4s", table[12 * i:12 * i + 12])
        if kind not in (b"IMA2", b"IMAG") or length < 32 or offset + length > size:
            continue
        f.seek(offset)
        section = f.read(32)
        jpeg = section[:4] == b"SECi" and struct.unpack("<I", section[12:16])[0] == 18
        if jpeg and section[28:31] == b"\xff\xd8\xff":
            result.merge(walk_jpeg_block(FileView(f, offset + 28, length - 28), offset + 28,
                                         where=f"X3F preview JPEG at {offset + 28}"))
    return result


def walk_crw(f: BinaryIO, size: int) -> WalkResult:
    """Canon CRW (CIFF, 1999-2004 cameras): NOTE: the CIFF heap defines no GPS or place tags, so
    only metadata trailers (Canon DPP's VRD, which may hold XMP) can carry location."""
    from digisafe.photos.afcp import walk_trailers

    f.seek(0)
    head = f.read(14)
    if head[:2] not in (b"II", b"MM") or head[6:14] != b"HEAPCCDR":
        raise NotAPhoto("not a Canon CRW file")
    return walk_trailers(f, size)


def walk_avi(f: BinaryIO, size: int) -> WalkResult:
    f.seek(0)
    head = f.read(12)
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] not in (b"AVI ", b"AVIX"):
        raise NotAPhoto("not an AVI file")
    result = WalkResult()
    _avi_chunks(f, 0, size, result, 0, [0])
    return result


def _avi_chunks(f: BinaryIO, pos: int, end: int, result: WalkResult, depth: int, seen: list[int]) -> None:
    while pos + 8 <= end:
        seen[0] += 1
        if seen[0] > MAX_BLOCKS * 16 or depth > 8:
            result.doubt("AVI: too many chunks or lists nested too deep")
            return
        f.seek(pos)
        fourcc, length = struct.unpack("<4sI", f.read(8))
        body = pos + 8
        kind = f.read(4) if fourcc in (b"RIFF", b"LIST") and length >= 4 else b""
        if body + length > end:
            # NOTE: a file cut inside its media data (or the RIFF around it) is still fully checked
            if not (depth == 0 and fourcc == b"RIFF") and kind not in (b"movi", b"rec "):
                result.doubt(f"AVI: chunk {fourcc!r} at {pos} runs past the end (truncated)")
                return
            length = end - body
        if kind and kind not in (b"movi", b"rec "):  # media data: never read
            _avi_chunks(f, body + 4, body + length, result, depth + 1, seen)
        elif fourcc in (b"strd", b"_PMX") and length:
            _avi_meta(f, fourcc, body, length, result)
        pos = body + length + (length & 1)


def _avi_meta(f: BinaryIO, fourcc: bytes, body: int, length: int, result: WalkResult) -> None:
    if length > MAX_META:
        result.doubt(f"AVI: {fourcc.decode('latin-1')} chunk too large to check ({length} bytes)")
        return
    f.seek(body)
    data = f.read(length)
    where = f"AVI {fourcc.decode('latin-1')} chunk at {body - 8}"
    if fourcc == b"_PMX":
        from digisafe.photos.xmp import walk_xmp

        result.merge(walk_xmp(data, body, where=where))
        return
    starts = [data.find(h, 0, 64) for h in TIFF_HEADERS]
    starts = [s for s in starts if s >= 0]
    if starts:  # (after a vendor tag: "AVIF" Fujifilm/Pentax, "QVMI" Casio ...)
        from digisafe.photos.tiff import walk_tiff

        result.merge(walk_tiff(data[min(starts):], body + min(starts), where=where))
