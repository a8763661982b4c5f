"""JPEG XL location: the ISO BMFF-style container of ISO/IEC 18181-2.

A bare JPEG XL codestream (``FF 0A``) has no place for EXIF or XMP, so it carries no location. The
container (``JXL `` signature box, ``ftyp``, ``jxlc``/``jxlp`` codestream) can add:

- ``Exif``: a 4-byte tiff_header_offset then a TIFF block: its GPS IFD is blanked in place (tiff.py);
- ``xml ``: an XMP packet: its location properties are blanked with spaces (xmp.py); other XML:
  its place and address elements are (xmlplace.py);
- ``brob``: a Brotli-compressed box whose first 4 payload bytes name the box it holds (``Exif``,
  ``xml ``, ``jumb``). With the optional ``brotli`` module we look inside: no location there, no
  problem; location there cannot be blanked in the same length, so it is reported and is a doubt
  (strip fails closed and says why). Without the module every compressed metadata box is a doubt;
- ``jumb`` (JUMBF, e.g. C2PA content credentials, which can record a location and are signed):
  reported as a doubt when it mentions GPS or a location, never edited.

The orientation of a JPEG XL image is in the codestream header, not in EXIF, so it is never touched.

JPEG 2000 (JP2/JPX, ``walk_jp2``) uses the same box layout: EXIF sits in a ``uuid`` box named
"JpgTiffExif->JP2" (a bare TIFF block), XMP in the XMP ``uuid`` box or an ``xml `` box.
"""

from __future__ import annotations

import re
import struct

from digisafe.photos.boxes import (
    MAX_PAYLOAD,
    TIFF_MAGICS,
    XMP_UUID,
    BoxReader,
    Segments,
    dedupe,
    exif_payload,
    tiff_block,
    xmp_payload,
)
from digisafe.photos.formats import JP2_SIGNATURE
from digisafe.photos.formats import JXL_CONTAINER as SIGNATURE
from digisafe.photos.types import NotAPhoto, PhotoError, WalkResult

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 3 ms of a photo scan's start-up)
if TYPE_CHECKING:
    from typing import BinaryIO

JP2_EXIF_UUID = b"JpgTiffExif->JP2"
JP2_IPTC_UUID = bytes.fromhex("33C7A4D2B81D4723A0BAF1A3E097AD38")  # IPTC-IIM, as exiftool writes it
GEOJP2_UUID = bytes.fromhex("B14BF8BD083D4B43A5AE8CD7D5A6CE03")  # GeoTIFF map georeferencing (a known gap)
CODESTREAM = b"\xff\x0a"
METADATA_IN_BROB = {b"Exif": "EXIF", b"xml ": "XMP", b"jumb": "JUMBF"}
JUMBF_LOCATION = re.compile(rb"(?i)gps|latitude|longitude|c2pa\.location|stds\.exif")


def walk_jxl(f: BinaryIO, size: int) -> WalkResult:
    """Find and neutralise location in a JPEG XL file (container or bare codestream)."""
    f.seek(0)
    head = f.read(12)
    result = WalkResult()
    if head[:2] == CODESTREAM:
        result.info["container"] = "bare codestream (no metadata boxes)"
        return result
    if head != SIGNATURE:
        raise NotAPhoto("not a JPEG XL file")
    reader = BoxReader(f, size, "JXL")
    try:
        for box in reader.boxes(12, size, "file", result):
            where = f"JXL {box.name} box at {box.start}"
            if box.type == b"Exif":
                data = reader.payload(box)
                result.merge(exif_payload(data, Segments([(box.body, box.body_size)]), where))
            elif box.type == b"xml ":
                result.merge(_xml_box(reader.payload(box), Segments([(box.body, box.body_size)]), where))
            elif box.type == b"brob":
                _brob(reader, box, where, result)
            elif box.type == b"jumb":
                _jumbf(reader.payload(box) if box.body_size <= MAX_PAYLOAD else None, where, result)
    except (struct.error, ValueError, IndexError) as exc:
        raise PhotoError(f"JXL: malformed ({exc})") from None
    return dedupe(result)


def walk_jp2(f: BinaryIO, size: int) -> WalkResult:
    """Find and neutralise location in a JPEG 2000 file (JP2/JPX)."""
    f.seek(0)
    if f.read(12) != JP2_SIGNATURE:
        raise NotAPhoto("not a JPEG 2000 file")
    reader = BoxReader(f, size, "JP2")
    result = WalkResult()
    try:
        _jp2_boxes(reader, list(reader.boxes(12, size, "file", result)), result, 0)
    except (struct.error, ValueError, IndexError) as exc:
        raise PhotoError(f"JP2: malformed ({exc})") from None
    return dedupe(result)


def _jp2_boxes(reader: BoxReader, boxes: list, result: WalkResult, depth: int) -> None:
    """Walk JP2/JPX boxes; JPX association boxes (``asoc``, which pair a label or a region with an
    ``xml `` box) are entered."""
    if depth > 8:
        result.doubt("JP2: association boxes nested more than 8 deep")
        return
    for box in boxes:
        where = f"JP2 {box.name} box at {box.start}"
        segments = Segments([(box.body, box.body_size)])
        if box.type == b"asoc":
            _jp2_boxes(reader, reader.children(box), result, depth + 1)
        elif box.type == b"uuid" and box.usertype == JP2_EXIF_UUID:
            data = reader.payload(box)
            start = 6 if data[:6] == b"Exif\0\0" else 0
            if data[start:start + 4] not in TIFF_MAGICS:
                result.doubt(f"{where}: EXIF box without a TIFF header")
                continue
            result.merge(tiff_block(data, start, segments, where))
        elif box.type == b"uuid" and box.usertype == XMP_UUID:
            result.merge(xmp_payload(reader.payload(box), segments, where))
        elif box.type == b"uuid" and box.usertype == JP2_IPTC_UUID:
            from digisafe.photos.iptc import walk_iptc

            result.merge(segments.remap(walk_iptc(reader.payload(box), 0, "IPTC"), where))
        elif box.type == b"xml " or (box.type == b"uuid" and _looks_xml(reader, box)):
            result.merge(_xml_box(reader.payload(box), segments, where))


def _xml_box(data: bytes, segments: Segments, where: str) -> WalkResult:
    """An ``xml `` box: XMP, or other XML (JPX metadata schema ...): place and address elements."""
    if b"xmpmeta" in data or b"rdf:" in data or b"<?xpacket" in data:
        return xmp_payload(data, segments, where)
    from digisafe.photos.xmlplace import walk_xml_place

    return segments.remap(walk_xml_place(data, 0, "XML"), where)


def _looks_xml(reader: BoxReader, box) -> bool:
    """A ``uuid`` box of another vendor whose payload is XML or XMP text."""
    if box.usertype in (GEOJP2_UUID, JP2_EXIF_UUID, XMP_UUID, JP2_IPTC_UUID) or box.body_size < 8:
        return False
    head = reader.read(box.body, min(64, box.body_size)).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith((b"<?xml", b"<?xpacket", b"<x:xmpmeta"))


def _jumbf(data: bytes | None, where: str, result: WalkResult) -> None:
    if data is None:
        result.doubt(f"{where}: JUMBF box too large to inspect")
    elif JUMBF_LOCATION.search(data):
        result.doubt(f"{where}: JUMBF/C2PA metadata mentions a location; it is signed and is not edited")


def _brob(reader: BoxReader, box, where: str, result: WalkResult) -> None:
    inner = reader.read(box.body, 4) if box.body_size >= 4 else b""
    if inner not in METADATA_IN_BROB:
        return
    label = METADATA_IN_BROB[inner]
    plain = inflate(reader.payload(box)[4:], where)
    if plain is None:
        result.doubt(f"{where}: Brotli-compressed {label} cannot be inspected here (install the 'brotli' "
                     "module) and cannot be blanked in the same length")
        return
    if inner == b"jumb":
        _jumbf(plain, where, result)
        return
    whole = Segments([(0, len(plain))])
    sub = exif_payload(plain, whole, where) if inner == b"Exif" else xmp_payload(plain, whole, where)
    if sub.items or sub.doubts:
        result.items.extend(sub.items)  # shown by scan; the patches (inside compressed data) are useless
        result.doubt(f"{where}: Brotli-compressed {label} holds location that cannot be blanked in the same "
                     "length (re-save the image without metadata instead)")
    for key, value in sub.info.items():
        result.info.setdefault(key, value)


def inflate(raw: bytes, where: str) -> bytes | None:
    """Brotli-decompress ``raw`` with the optional ``brotli`` module, at most MAX_PAYLOAD bytes out;
    None when the module (or its output limit) is not available."""
    try:
        import brotli
    except ImportError:
        return None
    decompressor = brotli.Decompressor()
    try:
        out = decompressor.process(raw, output_buffer_limit=MAX_PAYLOAD + 1)
    except TypeError:  # brotli < 1.1 cannot limit its output: do not risk a decompression bomb
        return None
    except brotli.error as exc:
        raise PhotoError(f"{where}: broken Brotli data ({exc})") from None
    if len(out) > MAX_PAYLOAD:
        raise PhotoError(f"{where}: compressed metadata expands past {MAX_PAYLOAD} bytes")
    if not decompressor.is_finished():
        raise PhotoError(f"{where}: compressed metadata is truncated")
    return out
