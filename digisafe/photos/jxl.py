"""JPEG XL location: the ISO BMFF-style container of ISO/IEC 18181-2.

A bare JPEG XL codestream (``FF 0A``) has no place for EXIF or XMP, so it carries no location. The
container (``JXL `` signature box, ``ftyp``, ``jxlc``/``jxlp`` codestream) can add:

- ``Exif``: a 4-byte tiff_header_offset then a TIFF block: its GPS IFD is blanked in place (tiff.py);
- ``xml ``: an XMP packet: its location properties are blanked with spaces (xmp.py);
- ``brob``: a Brotli-compressed box whose first 4 payload bytes name the box it holds (``Exif``,
  ``xml ``, ``jumb``). We cannot look inside without a Brotli decoder, and could not rewrite it in
  the same length anyway, so a compressed metadata box is a doubt: strip fails closed and says why;
- ``jumb`` (JUMBF, e.g. C2PA content credentials, which can record a location and are signed):
  reported as a doubt when it mentions GPS or a location, never edited.

The orientation of a JPEG XL image is in the codestream header, not in EXIF, so it is never touched.
"""

from __future__ import annotations

import re
import struct
from typing import BinaryIO

from digisafe.photos.boxes import MAX_PAYLOAD, BoxReader, Segments, dedupe, exif_payload, xmp_payload
from digisafe.photos.types import NotAPhoto, PhotoError, WalkResult

SIGNATURE = b"\x00\x00\x00\x0cJXL \r\n\x87\n"
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
                data = reader.payload(box)
                result.merge(xmp_payload(data, Segments([(box.body, box.body_size)]), where))
            elif box.type == b"brob":
                inner = reader.read(box.body, 4) if box.body_size >= 4 else b""
                if inner in METADATA_IN_BROB:
                    result.doubt(f"{where}: Brotli-compressed {METADATA_IN_BROB[inner]} cannot be inspected or "
                                 "blanked in the same length (re-save the image without metadata instead)")
            elif box.type == b"jumb":
                _jumbf(reader, box, where, result)
    except (struct.error, ValueError, IndexError) as exc:
        raise PhotoError(f"JXL: malformed ({exc})") from None
    return dedupe(result)


def _jumbf(reader: BoxReader, box, where: str, result: WalkResult) -> None:
    if box.body_size > MAX_PAYLOAD:
        result.doubt(f"{where}: JUMBF box too large to inspect")
        return
    if JUMBF_LOCATION.search(reader.payload(box)):
        result.doubt(f"{where}: JUMBF/C2PA metadata mentions a location; it is signed and is not edited")
