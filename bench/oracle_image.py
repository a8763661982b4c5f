"""Image-data comparison for bench/photos_oracle.py: is a stripped file's picture byte-identical?"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any


def jpeg_scan_data(data: bytes) -> bytes | None:
    """The primary JPEG image's bytes from its first SOS to the next EOI (None if not found)."""
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            pos += 1  # junk between segments
            continue
        marker = data[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        if marker == 0xDA:
            end = data.find(b"\xff\xd9", pos)
            return data[pos:end if end > 0 else len(data)]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        pos += 2 + int.from_bytes(data[pos + 2:pos + 4], "big")
    return None


def pixels(path: Path) -> str | None:
    try:
        from PIL import Image

        try:
            import pillow_heif

            pillow_heif.register_heif_opener()
        except ImportError:
            pass
        with Image.open(path) as image:
            image.load()
            return hashlib.sha256(image.tobytes()).hexdigest()
    except Exception:  # noqa: BLE001 - Pillow cannot decode this format: use another check
        return None


def changed_ranges(a: bytes, b: bytes) -> list[tuple[int, int]]:
    ranges, start = [], None
    step = 4096
    for block in range(0, len(a), step):
        if a[block:block + step] == b[block:block + step]:
            continue
        for i in range(block, min(block + step, len(a))):
            if a[i] != b[i]:
                if start is None or i > ranges[-1][1]:
                    ranges.append((i, i + 1))
                else:
                    ranges[-1] = (ranges[-1][0], i + 1)
                start = i
    return ranges


def data_ranges(check: dict[str, Any]) -> list[tuple[int, int]]:
    """Image/media data ranges exiftool reports (offset, length pairs)."""
    out = []
    pairs = [("StripOffsets", "StripByteCounts"), ("TileOffsets", "TileByteCounts"),
             ("MediaDataOffset", "MediaDataSize"), ("JpgFromRawStart", "JpgFromRawLength"),
             ("ImageOffset", "ImageByteCount")]  # (JPEG XR)
    for key, value in check.items():
        for off_tag, len_tag in pairs:
            if key.endswith(":" + off_tag):
                group = key.split(":")[0]
                lengths = check.get(f"{group}:{len_tag}")
                offs = [int(x) for x in str(value).split()] if str(value).replace(" ", "").isdigit() else []
                lens = [int(x) for x in str(lengths).split()] if str(lengths).replace(" ", "").isdigit() else []
                out.extend(zip(offs, (o + n for o, n in zip(offs, lens))))
    return out


def container_ranges(data: bytes) -> list[tuple[int, int]]:
    """Image data ranges of containers Pillow cannot decode here: JPEG XL codestream boxes, Fujifilm
    RAF raw data and its preview JPEG's scan data."""
    import struct

    if data[:12] == b"\x00\x00\x00\x0cJXL \r\n\x87\n":
        out, pos = [], 0
        while pos + 8 <= len(data):
            size, kind = struct.unpack(">I4s", data[pos:pos + 8])
            size = len(data) - pos if size == 0 else size
            if size == 1:
                size = struct.unpack(">Q", data[pos + 8:pos + 16])[0]
            if size < 8:
                break
            if kind in (b"jxlc", b"jxlp", b"jbrd"):
                out.append((pos, pos + size))
            pos += size
        return out
    if data[:16] == b"FUJIFILMCCD-RAW ":
        jpeg_at, jpeg_len, _x, _y, raw_at, raw_len = struct.unpack(">IIIIII", data[84:108])
        out = [(raw_at, raw_at + raw_len)]
        scan = jpeg_scan_data(data[jpeg_at:jpeg_at + jpeg_len])
        if scan:
            start = data.find(scan, jpeg_at)
            out.append((start, start + len(scan)))
        return out
    return []


def image_same(src: Path, dst: Path, check: dict[str, Any]) -> str:
    """'' when the image data is provably unchanged, else what differs or could not be checked."""
    a, b = src.read_bytes(), dst.read_bytes()
    if a == b:
        return ""
    if a[:3] == b"\xff\xd8\xff":
        return "" if jpeg_scan_data(a) == jpeg_scan_data(b) else "JPEG scan data differs"
    before = pixels(src)
    if before is not None:
        return "" if before == pixels(dst) else "decoded pixels differ"
    media = data_ranges(check) or container_ranges(a)
    if not media:
        return "image data not checked (no decoder, no data ranges)"
    for start, end in changed_ranges(a, b):
        if any(s < end and start < e for s, e in media):
            return f"bytes {start}..{end} inside the image/media data changed"
    return ""
