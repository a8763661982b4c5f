"""ISO base media files: HEIC/HEIF/AVIF/CR3 item-based images, and the dispatch to quicktime.py.

``walk_isobmff`` walks the top-level boxes: ``meta`` (HEIF items), ``moov`` (video/CR3, see
quicktime.py) and the top-level XMP ``uuid`` box. An image may carry both (HEIF sequences, CR3).

HEIF items: ``iinf`` names each item (``Exif``, or ``mime`` with ``application/rdf+xml`` = XMP) and
``iloc`` says where its bytes are: in the file (construction_method 0, usually inside ``mdat``) or in
``idat`` (construction_method 1), in one or more extents. The Exif item is a 4-byte
``tiff_header_offset`` and a TIFF block; its GPS IFD is blanked in place by tiff.py, so no extent,
``iloc`` entry or image byte moves. Anything we cannot place with certainty (external data
references, construction_method 2, protected or compressed metadata items, metadata extents that
overlap image data) is a doubt, so strip fails closed.

CR3: Canon keeps its EXIF in ``moov/uuid(85C0B687-...)`` as CMT1 (IFD0), CMT2 (Exif IFD), CMT3
(maker notes) and CMT4, a TIFF block whose first IFD *is* the GPS IFD.
"""

from __future__ import annotations

import struct
from typing import BinaryIO, Dict, List, Optional, Tuple

from digisafe.photos.boxes import (
    MAX_PAYLOAD,
    XMP_UUID,
    Box,
    BoxReader,
    Segments,
    dedupe,
    exif_payload,
    is_full_meta,
    tiff_block,
    xmp_payload,
)
from digisafe.photos.dashcam import walk_free_box
from digisafe.photos.types import NotAPhoto, PhotoError, WalkResult

FIRST_BOXES = {b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot", b"uuid", b"meta", b"styp"}
CANON_UUID = bytes.fromhex("85C0B687820F11E08111F4CE462B6A48")
XMP_MIME = ("application/rdf+xml", "application/xmp+xml", "text/xml")
MAX_ITEMS = 10_000
Extents = List[Tuple[int, int]]


def walk_isobmff(f: BinaryIO, size: int) -> WalkResult:
    """Find and neutralise location in an ISOBMFF file (HEIF/AVIF/CR3 images, MP4/MOV/3GP videos)."""
    from digisafe.photos.quicktime import MoovWalker

    reader = BoxReader(f, size, "ISOBMFF")
    result = WalkResult()
    try:
        top = list(reader.boxes(0, size, "file", result))
        if not top or top[0].type not in FIRST_BOXES:
            raise NotAPhoto("not an ISO base media file (no ftyp/moov/mdat box first)")
        if top[0].type == b"ftyp":
            result.info.setdefault("brand", reader.read(top[0].body, min(4, top[0].body_size)).decode("latin-1"))
        metas = [b for b in top if b.type == b"meta"]
        if len(metas) > 1:
            result.doubt("more than one top-level meta box")
        if not metas and not any(b.type == b"moov" for b in top):
            result.doubt("no movie header (moov) or image metadata (meta) box: incomplete file, cannot be checked")
        # NOTE: Novatek dashcams keep GPS in free boxes between (not inside) the mdat boxes.
        media = [(b.body, b.end) if b.type == b"mdat" else (b.start, b.end) for b in top
                 if b.type in (b"mdat", b"free", b"skip")]
        movie = MoovWalker(reader, result, on_uuid=canon_uuid, media=media)
        for box in top:
            if box.type == b"meta":
                if not walk_heif_meta(reader, box, result):
                    movie.meta(box, "meta")  # a top-level QuickTime/MP4 meta (keys, ilst)
            elif box.type in (b"moov", b"udta"):
                movie.walk(box, box.name)
            elif box.type == b"uuid" and box.usertype == XMP_UUID:
                data = reader.payload(box)
                result.merge(xmp_payload(data, Segments([(box.body, box.body_size)]), f"uuid XMP at {box.start}"))
            elif box.type in (b"free", b"skip"):
                walk_free_box(reader, box, result)
            elif box.type == b"moof" and result.info.get("timed_metadata"):
                result.doubt("fragmented video with a timed GPS track: samples in fragments are not handled")
    except (struct.error, ValueError, IndexError, OverflowError) as exc:
        raise PhotoError(f"ISOBMFF: malformed ({exc})") from None
    return dedupe(result)


# --- HEIF items -----------------------------------------------------------------------------------
class _Item:
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


def walk_heif_meta(reader: BoxReader, meta: Box, result: WalkResult) -> bool:
    """Walk the items of a HEIF ``meta``; False if it has no items (not a HEIF meta)."""
    children = reader.children(meta, 4 if is_full_meta(reader, meta) else 0)
    by_type: Dict[bytes, Box] = {}
    for child in children:
        if child.type in by_type and child.type in (b"iinf", b"iloc", b"idat"):
            result.doubt(f"HEIF: more than one {child.name} box")
        by_type.setdefault(child.type, child)
    if b"iinf" not in by_type or b"iloc" not in by_type:
        return False
    items = parse_iinf(reader, by_type[b"iinf"])
    parse_iloc(reader, by_type[b"iloc"], items)
    idat = by_type.get(b"idat")
    # NOTE: metadata must not share bytes with image data, nor with the meta box's own tables.
    image_ranges = [(meta.start, idat.body), (idat.end, meta.end)] if idat else [(meta.start, meta.end)]
    image_ranges = [(start, end - start) for start, end in image_ranges]
    for item in items.values():
        if not item.kind and item.method in (0, 1) and item.data_ref == 0:
            image_ranges.extend(_absolute(item, idat, reader, result) or [])
    for item in items.values():
        if item.kind:
            _metadata_item(reader, item, idat, image_ranges, result)
    return True


def _metadata_item(reader: BoxReader, item: _Item, idat: Optional[Box], images: Extents,
                   result: WalkResult) -> None:
    where = f"HEIF {item.kind} item {item.id}"
    if item.kind == "jpeg" and not item.extents:
        return
    if item.protected or item.encoding or item.data_ref or item.method not in (0, 1):
        result.doubt(f"{where}: protected, compressed, external or constructed item (cannot blank in place)")
        return
    parts = _absolute(item, idat, reader, result)
    if parts is None:
        return
    if item.kind == "jpeg" and len(parts) == 1:  # read only its header segments, however large
        from digisafe.photos.jpeg import walk_jpeg_block
        from digisafe.photos.view import FileView

        off, length = parts[0]
        result.merge(walk_jpeg_block(FileView(reader.f, off, length), off, where))
        return
    total = sum(length for _, length in parts)
    if total > MAX_PAYLOAD:
        result.doubt(f"{where}: {total} bytes, too large to inspect")
        return
    ordered = sorted(parts)
    if any(a_off + a_len > b_off for (a_off, a_len), (b_off, _) in zip(ordered, ordered[1:])):
        result.doubt(f"{where}: its extents overlap each other")
        return
    for off, length in parts:
        for img_off, img_len in images:
            if off < img_off + img_len and img_off < off + length:
                result.doubt(f"{where}: its bytes overlap image data or the item tables (cannot blank safely)")
                return
    data = b"".join(reader.read(off, length) for off, length in parts)
    segments = Segments(parts)
    if item.kind == "Exif":
        result.merge(exif_payload(data, segments, where))
    elif item.kind == "XMP":
        result.merge(xmp_payload(data, segments, where))
    else:  # a JPEG-coded image item: its own APP1 EXIF/XMP
        from digisafe.photos.jpeg import walk_jpeg_block

        result.merge(segments.remap(walk_jpeg_block(data, 0, "JPEG"), where))


def _absolute(item: _Item, idat: Optional[Box], reader: BoxReader, result: WalkResult) -> Optional[Extents]:
    """The item's extents as (absolute offset, length), bounds-checked; None (with a doubt) if not."""
    parts: Extents = []
    if item.method == 1:
        if idat is None:
            result.doubt(f"HEIF item {item.id}: stored in idat, but there is no idat box")
            return None
        lo, hi = idat.body, idat.end
    else:
        lo, hi = 0, reader.size
    for off, length in item.extents:
        start = lo + off
        if length == 0:  # NOTE: length 0 means "to the end of the data" (the file, or idat)
            length = hi - start
        if off < 0 or start + length > hi or length < 0:
            result.doubt(f"HEIF item {item.id}: extent {off}+{length} is outside its data")
            return None
        parts.append((start, length))
    return parts


def parse_iinf(reader: BoxReader, iinf: Box) -> Dict[int, _Item]:
    raw = reader.read(iinf.body, min(iinf.body_size, 8))
    version = raw[0]
    skip = 4 + (2 if version == 0 else 4)
    items: Dict[int, _Item] = {}
    for infe in reader.children(iinf, skip):
        if infe.type != b"infe":
            continue
        if len(items) >= MAX_ITEMS:
            raise PhotoError(f"HEIF: more than {MAX_ITEMS} items")
        item = _parse_infe(reader.payload(infe, 65536))
        if item is not None:
            items[item.id] = item
    return items


def _parse_infe(raw: bytes) -> Optional[_Item]:
    version = raw[0]
    if version >= 2:
        fmt = ">HH4s" if version == 2 else ">IH4s"
        item_id, protection, item_type = struct.unpack_from(fmt, raw, 4)
        pos = 4 + struct.calcsize(fmt)
    else:
        item_id, protection = struct.unpack_from(">HH", raw, 4)
        item_type, pos = b"", 8
    item = _Item(item_id)
    item.type, item.protected = item_type, protection != 0
    strings = raw[pos:].split(b"\0")
    if version < 2 or item_type == b"mime":  # name, content_type, [content_encoding]
        item.content_type = strings[1].decode("utf-8", "replace") if len(strings) > 1 else ""
        item.encoding = strings[2].decode("utf-8", "replace") if len(strings) > 2 else ""
    return item


def parse_iloc(reader: BoxReader, iloc: Box, items: Dict[int, _Item]) -> None:
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
        item = items.setdefault(item_id, _Item(item_id))
        item.method, item.data_ref, item.extents = method, data_ref, extents


_UINT = {0: "", 4: "I", 8: "Q"}


def _uint(raw: bytes, pos: int, size: int) -> Tuple[int, int]:
    if size == 0:
        return 0, pos
    if pos + size > len(raw):
        raise PhotoError("HEIF: iloc runs past its box")
    return int.from_bytes(raw[pos:pos + size], "big"), pos + size


# --- CR3 ----------------------------------------------------------------------------------------
def canon_uuid(reader: BoxReader, box: Box, result: WalkResult) -> None:
    """Canon CR3 ``moov/uuid``: CMT1-CMT3 are ordinary TIFF blocks; CMT4's first IFD is the GPS IFD."""
    if box.usertype != CANON_UUID:
        return
    for child in reader.children(box):
        if child.type not in (b"CMT1", b"CMT2", b"CMT3", b"CMT4"):
            continue
        data = reader.payload(child)
        where = f"CR3 {child.name}"
        segments = Segments([(child.body, child.body_size)])
        if child.type == b"CMT4":
            result.merge(segments.remap(_gps_only_tiff(data), where))
        elif child.type != b"CMT3":  # maker notes: Canon keeps no location there
            result.merge(tiff_block(data, 0, segments, where))


def _gps_only_tiff(data: bytes) -> WalkResult:
    """Walk a TIFF block whose IFD0 is a GPS IFD, with tiff.py: give it a one-entry IFD0 that points
    there (appended past the end of a copy, so every original offset is unchanged)."""
    from digisafe.photos.tiff import walk_tiff

    if len(data) < 8 or data[:4] not in (b"II*\x00", b"MM\x00*"):
        raise PhotoError("CR3 CMT4: not a TIFF block")
    end = "<" if data[:2] == b"II" else ">"
    (gps_ifd,) = struct.unpack(end + "I", data[4:8])
    shim_at = len(data) + (len(data) & 1)
    shim = struct.pack(end + "HHHII", 1, 0x8825, 4, 1, gps_ifd) + bytes(4)
    synthetic = data[:4] + struct.pack(end + "I", shim_at) + data[8:] + bytes(shim_at - len(data)) + shim
    sub = walk_tiff(synthetic, 0, "TIFF")
    # The shim's own rewrite (unlinking the GPS IFD from it) lies wholly past the block: drop it; the
    # GPS IFD itself is still zeroed in place. Anything straddling the end of the block is a doubt.
    if any(p.offset < len(data) < p.end for p in sub.patches):
        sub.doubt("GPS IFD runs past its block")
    sub.patches = [p for p in sub.patches if p.end <= len(data)]
    return sub
