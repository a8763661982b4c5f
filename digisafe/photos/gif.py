"""GIF walker: the XMP application extension ("XMP DataXMP").

NOTE: XMP in GIF is stored raw (not in sub-blocks) followed by a 258-byte "magic trailer" that
makes any sub-block reader land on a zero terminator; blanking characters in place keeps both the
length and the trailer, so decoders still skip it correctly.
"""

from __future__ import annotations

from digisafe.photos.types import NotAPhoto, PhotoError, WalkResult
from digisafe.photos.xmp import walk_xmp

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 3 ms of a photo scan's start-up)
if TYPE_CHECKING:
    from typing import BinaryIO

MAX_BLOCKS = 1_000_000
XMP_APP = b"XMP DataXMP"
MAX_XMP = 16 << 20


def _skip_sub_blocks(f: BinaryIO, limit: int) -> None:
    for _ in range(limit):
        n = f.read(1)
        if not n:
            raise PhotoError("GIF: truncated data sub-blocks")
        if n[0] == 0:
            return
        f.seek(n[0], 1)
    raise PhotoError("GIF: too many data sub-blocks")


def _xmp(f: BinaryIO, result: WalkResult, start: int) -> None:
    f.seek(start)
    window = f.read(MAX_XMP)
    end = window.find(b"\x01\xff\xfe\xfd")  # start of the magic trailer
    if end < 0:
        result.doubt("GIF: XMP extension without its trailer")
        return
    result.merge(walk_xmp(window[:end], start, where="GIF XMP extension"))
    f.seek(start)


def walk_gif(f: BinaryIO, size: int) -> WalkResult:
    f.seek(0)
    head = f.read(13)
    if len(head) < 13 or head[:6] not in (b"GIF87a", b"GIF89a"):
        raise NotAPhoto("not a GIF")
    result = WalkResult()
    if head[10] & 0x80:
        f.seek(3 * (2 << (head[10] & 7)), 1)
    for _ in range(MAX_BLOCKS):
        kind = f.read(1)
        if not kind or kind == b"\x3b":
            if not kind:
                result.doubt("GIF: file ends without a trailer (truncated)")
            return result
        if kind == b"\x21":
            label = f.read(1)
            if label == b"\xff":
                block = f.read(12)
                if block[:1] == b"\x0b" and block[1:12] == XMP_APP:
                    _xmp(f, result, f.tell())
                else:
                    f.seek(-len(block), 1)
            _skip_sub_blocks(f, size)
        elif kind == b"\x2c":
            desc = f.read(9)
            if len(desc) < 9:
                raise PhotoError("GIF: truncated image descriptor")
            if desc[8] & 0x80:
                f.seek(3 * (2 << (desc[8] & 7)), 1)
            f.read(1)  # LZW minimum code size
            _skip_sub_blocks(f, size)
        else:
            raise PhotoError(f"GIF: unknown block 0x{kind[0]:02x} at {f.tell() - 1}")
        if f.tell() > size:
            result.doubt("GIF: truncated")
            return result
    result.doubt("GIF: too many blocks")
    return result
