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
from digisafe.photos.heif_items import HeifItem, parse_iinf, parse_iloc
from digisafe.photos.types import NotAPhoto, PhotoError, WalkResult

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 3 ms of a photo scan's start-up)
if TYPE_CHECKING:
    from typing import BinaryIO, Dict, Optional

    from digisafe.photos.heif_items import Extents
    from digisafe.photos.quicktime import MoovWalker

FIRST_BOXES = {b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot", b"uuid", b"meta", b"styp"}
CANON_UUID = bytes.fromhex("85C0B687820F11E08111F4CE462B6A48")



def walk_isobmff(f: BinaryIO, size: int) -> WalkResult:
    """Find and neutralise location in an ISOBMFF file (HEIF/AVIF/CR3 images, MP4/MOV/3GP videos)."""
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
        movie: MoovWalker | None = None  # (made for the first moov, udta or QuickTime meta: a HEIC has none)
        for box in top:
            if box.type == b"meta":
                if not walk_heif_meta(reader, box, result):
                    movie = movie or _movie_walker(reader, result, top)
                    movie.meta(box, "meta")  # a top-level QuickTime/MP4 meta (keys, ilst)
            elif box.type in (b"moov", b"udta"):
                movie = movie or _movie_walker(reader, result, top)
                movie.walk(box, box.name)
            elif box.type == b"uuid" and box.usertype == XMP_UUID:
                data = reader.payload(box)
                result.merge(xmp_payload(data, Segments([(box.body, box.body_size)]), f"uuid XMP at {box.start}"))
            elif box.type in (b"free", b"skip"):
                from digisafe.photos.dashcam import walk_free_box

                walk_free_box(reader, box, result)
            elif box.type == b"moof" and result.info.get("timed_metadata"):
                result.doubt("fragmented video with a timed GPS track: samples in fragments are not handled")
    except (struct.error, ValueError, IndexError, OverflowError) as exc:
        raise PhotoError(f"ISOBMFF: malformed ({exc})") from None
    return dedupe(result)


def _movie_walker(reader: BoxReader, result: WalkResult, top: list[Box]) -> MoovWalker:
    from digisafe.photos.quicktime import MoovWalker

    # NOTE: Novatek dashcams keep GPS in free boxes between (not inside) the mdat boxes.
    media = [(b.body, b.end) if b.type == b"mdat" else (b.start, b.end) for b in top
             if b.type in (b"mdat", b"free", b"skip")]
    return MoovWalker(reader, result, on_uuid=canon_uuid, media=media)


# --- HEIF items -----------------------------------------------------------------------------------
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


def _metadata_item(reader: BoxReader, item: HeifItem, idat: Optional[Box], images: Extents,
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


def _absolute(item: HeifItem, idat: Optional[Box], reader: BoxReader, result: WalkResult) -> Optional[Extents]:
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
