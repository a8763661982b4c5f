"""HEIF item tables: ``iinf`` (what each item is) and ``iloc`` (where its bytes are), for
isobmff.py. An item is an ``Exif`` block, a ``mime`` item (XMP), a picture or anything else."""

from __future__ import annotations

import struct

from digisafe.photos.boxes import Box, BoxReader
from digisafe.photos.types import PhotoError

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 3 ms of a photo scan's start-up)
if TYPE_CHECKING:
    from typing import Dict, List, Optional, Tuple

    Extents = List[Tuple[int, int]]

XMP_MIME = ("application/rdf+xml", "application/xmp+xml", "text/xml")
MAX_ITEMS = 10_000


class HeifItem:
    __slots__ = ("id", "type", "content_type", "encoding", "protected", "method", "data_ref", "extents")

    def __init__(self, item_id: int) -> None:
        self.id, self.type, self.content_type, self.encoding = item_id, b"", "", ""
        self.protected, self.method, self.data_ref = False, 0, 0
        self.extents: Extents = []

    @property
    def kind(self) -> str:
        if self.type in (b"Exif", b"jpeg"):
            return self.type.decode()
        if self.content_type.split(";")[0].strip().lower() in XMP_MIME:
            return "XMP"
        return ""


def parse_iinf(reader: BoxReader, iinf: Box) -> Dict[int, HeifItem]:
    raw = reader.read(iinf.body, min(iinf.body_size, 8))
    version = raw[0]
    skip = 4 + (2 if version == 0 else 4)
    items: Dict[int, HeifItem] = {}
    for infe in reader.children(iinf, skip):
        if infe.type != b"infe":
            continue
        if len(items) >= MAX_ITEMS:
            raise PhotoError(f"HEIF: more than {MAX_ITEMS} items")
        item = _parse_infe(reader.payload(infe, 65536))
        if item is not None:
            items[item.id] = item
    return items


def _parse_infe(raw: bytes) -> Optional[HeifItem]:
    version = raw[0]
    if version >= 2:
        fmt = ">HH4s" if version == 2 else ">IH4s"
        item_id, protection, item_type = struct.unpack_from(fmt, raw, 4)
        pos = 4 + struct.calcsize(fmt)
    else:
        item_id, protection = struct.unpack_from(">HH", raw, 4)
        item_type, pos = b"", 8
    item = HeifItem(item_id)
    item.type, item.protected = item_type, protection != 0
    strings = raw[pos:].split(b"\0")
    if version < 2 or item_type == b"mime":  # name, content_type, [content_encoding]
        item.content_type = strings[1].decode("utf-8", "replace") if len(strings) > 1 else ""
        item.encoding = strings[2].decode("utf-8", "replace") if len(strings) > 2 else ""
    return item


def parse_iloc(reader: BoxReader, iloc: Box, items: Dict[int, HeifItem]) -> None:
    raw = reader.payload(iloc, 4 * 1024 * 1024)
    version = raw[0]
    if version > 2:
        raise PhotoError(f"HEIF: iloc version {version} is unknown")
    sizes = (raw[4] >> 4, raw[4] & 15, raw[5] >> 4, raw[5] & 15 if version in (1, 2) else 0)
    if any(s not in (0, 4, 8) for s in sizes):
        raise PhotoError(f"HEIF: iloc field sizes {sizes} are invalid")
    off_size, len_size, base_size, index_size = sizes
    pos = 6
    count, pos = _uint(raw, pos, 2 if version < 2 else 4)
    if count > MAX_ITEMS:
        raise PhotoError(f"HEIF: iloc lists {count} items")
    # (one struct per item head and per extent; a field of size 0 reads as 0)
    head = struct.Struct(">" + ("H" if version < 2 else "I") + ("H" if version in (1, 2) else "") + "H"
                         + _UINT[base_size] + "H")
    extent = struct.Struct(">" + _UINT[index_size] + _UINT[off_size] + _UINT[len_size])
    has_index, has_off, has_len = index_size > 0, off_size > 0, len_size > 0
    end = len(raw)
    for _ in range(count):
        if pos + head.size > end:
            raise PhotoError("HEIF: iloc runs past its box")
        fields = head.unpack_from(raw, pos)
        pos += head.size
        item_id, n_extents = fields[0], fields[-1]
        method = fields[1] & 15 if version in (1, 2) else 0
        data_ref = fields[2] if version in (1, 2) else fields[1]
        base = fields[-2] if base_size else 0
        if pos + extent.size * n_extents > end:
            raise PhotoError("HEIF: iloc runs past its box")
        extents = []
        for values in extent.iter_unpack(raw[pos:pos + extent.size * n_extents]) if extent.size else ((),) * n_extents:
            values = values[has_index:]
            off = values[0] if has_off else 0
            length = values[has_off] if has_len else 0
            extents.append((base + off, length))
        pos += extent.size * n_extents
        item = items.setdefault(item_id, HeifItem(item_id))
        item.method, item.data_ref, item.extents = method, data_ref, extents


_UINT = {0: "", 4: "I", 8: "Q"}


def _uint(raw: bytes, pos: int, size: int) -> Tuple[int, int]:
    if size == 0:
        return 0, pos
    if pos + size > len(raw):
        raise PhotoError("HEIF: iloc runs past its box")
    return int.from_bytes(raw[pos:pos + size], "big"), pos + size
