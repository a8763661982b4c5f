"""WebP (RIFF) walker: the EXIF chunk (with or without an "Exif\\0\\0" prefix) and the "XMP " chunk.

Both are blanked in place, so chunk sizes, the RIFF size and the VP8X flags stay exactly as they
were; the image chunks (VP8, VP8L, ALPH, ANMF) are skipped, never read.
"""

from __future__ import annotations

import struct

from digisafe.photos.tiff import walk_tiff
from digisafe.photos.types import NotAPhoto, WalkResult
from digisafe.photos.xmp import walk_xmp

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 3 ms of a photo scan's start-up)
if TYPE_CHECKING:
    from typing import BinaryIO

MAX_META = 64 << 20
MAX_CHUNKS = 100000


def walk_webp(f: BinaryIO, size: int) -> WalkResult:
    f.seek(0)
    head = f.read(12)
    if len(head) < 12 or head[:4] != b"RIFF" or head[8:12] != b"WEBP":
        raise NotAPhoto("not a WebP file")
    riff_end = 8 + struct.unpack("<I", head[4:8])[0]
    result = WalkResult()
    if riff_end == size + 1 and riff_end & 1:
        riff_end = size  # NOTE: some writers omit the final padding byte; readers accept that
    if riff_end > size:
        result.doubt(f"WebP: RIFF size says {riff_end} bytes but the file has {size} (truncated)")
        riff_end = size
    pos = 12
    for _ in range(MAX_CHUNKS):
        if pos + 8 > riff_end:
            return result
        f.seek(pos)
        fourcc, length = struct.unpack("<4sI", f.read(8))
        data_at = pos + 8
        if data_at + length > riff_end:
            result.doubt(f"WebP: chunk {fourcc!r} at {pos} runs past the end")
            return result
        if fourcc in (b"EXIF", b"XMP "):
            if length > MAX_META:
                result.doubt(f"WebP: {fourcc!r} chunk too large to check ({length} bytes)")
            else:
                _meta(result, fourcc, f.read(length), data_at)
        pos = data_at + length + (length & 1)
    result.doubt(f"WebP: more than {MAX_CHUNKS} chunks")
    return result


def _meta(result: WalkResult, fourcc: bytes, data: bytes, data_at: int) -> None:
    where = f"WebP {fourcc.decode('latin-1').strip()} chunk"
    if fourcc == b"XMP ":
        result.merge(walk_xmp(data, data_at, where=where))
        return
    # NOTE: some writers put the JPEG-style "Exif\0\0" prefix before the TIFF header (exifread then
    # misreads the chunk); find the byte-order mark instead of assuming offset 0.
    skip = 6 if data.startswith(b"Exif\0\0") else 0
    result.merge(walk_tiff(data[skip:], data_at + skip, where=where))
