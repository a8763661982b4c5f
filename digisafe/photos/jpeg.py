"""JPEG walker: APP1 EXIF (any number), APP1 XMP and extended XMP, APP13 Photoshop/IPTC, and every
JPEG embedded after the first scan (MPF secondary images, vendor trailers, previews).

Only segment headers are parsed; the compressed image data is never interpreted. To find embedded
JPEGs the rest of the file is searched for SOI+marker (``FF D8 FF``), which cannot occur inside
entropy-coded data (there an ``FF`` is always followed by ``00`` or a restart marker). A JPEG up to
``IN_MEMORY`` bytes is read whole in one read and walked in memory (the search reads every byte
anyway); a bigger one is read through a FileView and searched in chunks, so memory does not grow with
file size.
"""

from __future__ import annotations

import io
import re
import struct

from digisafe.photos.tiff import walk_tiff
from digisafe.photos.types import NotAPhoto, PhotoError, WalkResult
from digisafe.photos.view import FileView

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 3 ms of a photo scan's start-up)
if TYPE_CHECKING:
    from typing import BinaryIO, Iterable, Iterator

    from digisafe.photos.flir import FlirChunks
    from digisafe.photos.jpeg_extended import ExtendedXmp
    from digisafe.photos.jpeg_seen import SeenJpeg
    from digisafe.photos.view import Data

# NOTE: flir, iptc, jpeg_extended and jpeg_seen are imported where a JPEG needs them (a FLIR segment,
# Photoshop/IPTC, extended XMP, photos strip's record): each import is start-up time of every scan.
FLIR_SIGNATURE = b"FLIR\0"  # (flir.SIGNATURE)
# (a regex finds it about twice as fast as bytes.find in JPEG data, full of FF 00 pairs; it takes
# two bytes so that overlapping FF D8 FF D8 FF is found at both places)
SOI_SEARCH = re.compile(b"\xff\xd8(?=\xff)")

XMP_ID = b"http://ns.adobe.com/xap/1.0/\0"
EXT_XMP_ID = b"http://ns.adobe.com/xmp/extension/\0"
PHOTOSHOP_ID = b"Photoshop 3.0\0"
NO_LENGTH = {0x01, 0xD8} | set(range(0xD0, 0xD8))
MAX_SEGMENTS = 10000
MAX_JUNK = 1 << 20
MAX_EMBEDDED = 256
CHUNK = 4 << 20
IN_MEMORY = CHUNK  # a JPEG up to this size is read whole and walked in memory


def _segments(data: Data, base: int, where: str, mpf: list[int] | None = None) -> tuple[WalkResult, int]:
    """Walk the header segments; return the result and the offset (in ``data``) of the first scan.
    MPF secondary-image offsets (absolute) are appended to ``mpf`` when given."""
    if bytes(data[0:2]) != b"\xff\xd8":
        raise NotAPhoto(f"{where}: no JPEG start marker")
    result, pos, count = WalkResult(), 2, 0
    main_xmp: tuple[int, bytes] | None = None
    extended: dict[bytes, ExtendedXmp] = {}
    flir: FlirChunks | None = None
    size = len(data)
    while count < MAX_SEGMENTS:
        count += 1
        head = bytes(data[pos:pos + 4])
        if len(head) < 2:
            result.doubt(f"{where}: file ends before the image data (truncated)")
            return result, size
        if head[0] != 0xFF:
            pos = _skip_junk(data, pos, where)
            continue
        marker = head[1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in NO_LENGTH:
            pos += 2
            continue
        if marker in (0xD9, 0xDA):  # EOI, SOS: metadata ends here
            break
        if len(head) < 4:
            result.doubt(f"{where}: truncated segment header")
            return result, size
        length = struct.unpack(">H", head[2:4])[0]
        if length < 2 or pos + 2 + length > size:
            result.doubt(f"{where}: segment 0x{marker:02X} at {base + pos} runs past the end of the file")
            return result, size
        body_at = pos + 4
        if marker == 0xE2 and mpf is not None:
            body = bytes(data[body_at:pos + 2 + length])
            if body.startswith(b"MPF\0"):
                mpf.extend(_mpf_offsets(body[4:], base + body_at + 4))
        if marker == 0xEB:  # APP11: JUMBF (C2PA) boxes with JSON assertions
            body = bytes(data[body_at:pos + 2 + length])
            if body.startswith(b"JP"):
                from digisafe.photos.jsonloc import walk_json_location

                result.merge(walk_json_location(body, base + body_at, f"{where} APP11 C2PA"))
        if marker in (0xE1, 0xED):
            body = bytes(data[body_at:pos + 2 + length])
            if marker == 0xE1 and body.startswith(FLIR_SIGNATURE):
                if flir is None:
                    from digisafe.photos.flir import FlirChunks

                    flir = FlirChunks()
                flir.add(body, body_at)
            main = _app(result, marker, body, base + body_at, f"{where} APP{marker - 0xE0}", extended)
            if main is not None and main_xmp is None:
                main_xmp = main
        pos += 2 + length
    else:
        result.doubt(f"{where}: more than {MAX_SEGMENTS} segments")
    if extended:
        from digisafe.photos.jpeg_extended import extended_xmp

        for guid, ext in extended.items():
            extended_xmp(result, guid, ext, main_xmp, where)
    if flir is not None and flir.totals:
        from digisafe.photos.flir import walk_flir

        result.merge(walk_flir(data, base, flir, where))
    return result, pos


def _skip_junk(data: Data, pos: int, where: str) -> int:
    # NOTE: real cameras leave junk bytes between segments ("Skipped unknown N bytes"); skip to the
    # next 0xFF as readers do.
    window = bytes(data[pos:pos + MAX_JUNK])
    nxt = window.find(b"\xff")
    if nxt < 0:
        raise PhotoError(f"{where}: junk instead of a JPEG segment at {pos}")
    return pos + nxt


def _app(result: WalkResult, marker: int, body: bytes, at: int, where: str,
         extended: dict[bytes, ExtendedXmp]) -> tuple[int, bytes] | None:
    """Walk one APP1/APP13 body (file offset ``at``); return (offset, packet) for the main XMP."""
    if marker == 0xED:
        if body.startswith(PHOTOSHOP_ID):
            from digisafe.photos.iptc import walk_irb

            n = len(PHOTOSHOP_ID)
            try:
                result.merge(walk_irb(body[n:], at + n, where=f"{where} Photoshop"))
            except PhotoError as exc:
                result.doubt(f"{where}: unreadable Photoshop/IPTC block ({exc})")
        return None
    if body[:4] == b"Exif" and body[4:5] == b"\0":
        try:
            result.merge(walk_tiff(body[6:], at + 6, where=f"{where} EXIF"))
        except PhotoError as exc:
            if _mentions_gps(body):
                result.doubt(f"{where}: unreadable EXIF block ({exc})")
        return None
    if body.startswith(XMP_ID):
        from digisafe.photos.xmp import walk_xmp  # (not every JPEG has XMP: its patterns cost start-up time)

        n = len(XMP_ID)
        result.merge(walk_xmp(body[n:], at + n, where=f"{where} XMP"))
        return at + n, body[n:]
    if body.startswith(EXT_XMP_ID) and len(body) >= len(EXT_XMP_ID) + 40:
        n = len(EXT_XMP_ID)
        guid = body[n:n + 32]
        full_len, offset = struct.unpack(">II", body[n + 32:n + 40])
        ext = extended.get(guid)
        if ext is None:
            from digisafe.photos.jpeg_extended import ExtendedXmp

            ext = extended[guid] = ExtendedXmp()
        ext.full_len = full_len
        ext.chunks.append((offset, at + n + 40, body[n + 40:], at + n))
    return None


def _mentions_gps(body: bytes) -> bool:
    return b"\x88\x25" in body or b"\x25\x88" in body


def walk_jpeg_block(data: Data, base: int = 0, where: str = "JPEG") -> WalkResult:
    """Walk the header segments of a JPEG held in ``data`` (file offset ``base``)."""
    try:
        return _segments(data, base, where)[0]
    except (struct.error, IndexError, ValueError) as exc:
        raise PhotoError(f"{where}: malformed JPEG ({exc})") from None


def _mpf_offsets(tiff: bytes, at: int) -> list[int]:
    """Absolute offsets of the images an MPF index (APP2 "MPF") lists after the first one."""
    if len(tiff) < 8 or tiff[:2] not in (b"II", b"MM"):
        return []
    end = "<" if tiff[:2] == b"II" else ">"
    ifd = struct.unpack(end + "I", tiff[4:8])[0]
    if ifd + 2 > len(tiff):
        return []
    count = struct.unpack(end + "H", tiff[ifd:ifd + 2])[0]
    for i in range(min(count, 64)):
        entry = tiff[ifd + 2 + 12 * i:ifd + 14 + 12 * i]
        if len(entry) < 12:
            break
        tag, _typ, n, value = struct.unpack(end + "HHII", entry)
        if tag == 0xB002:  # MPEntry: 16 bytes per image (attribute, size, offset, 2 dependencies)
            table = tiff[value:value + n] if n > 4 else entry[8:12]
            return [at + struct.unpack(end + "I", table[k + 8:k + 12])[0]
                    for k in range(16, len(table) - 15, 16)]
    return []


def walk_jpeg(f: BinaryIO, size: int, quick: bool = False, seen: SeenJpeg | None = None) -> WalkResult:
    """``quick`` (the audit's read-only overview): follow the MPF index instead of searching the
    whole file for embedded JPEGs. ``photos strip`` and ``photos scan`` always search it all.

    ``seen`` (photos strip): an empty record is filled when the JPEG is walked in memory (its bytes
    and where embedded JPEGs may start, see jpeg_seen); a copy's record (``SeenJpeg.for_copy``)
    walks a copy written from those bytes without searching all of it again."""
    data: Data = FileView(f, 0, size)
    verifying = seen is not None and seen.patches is not None
    if not quick and not verifying and size <= IN_MEMORY:
        # The search for embedded JPEGs reads every byte anyway: one read, then walk in memory
        # (a FileView makes a seek and a read per segment, IFD and value).
        f.seek(0)
        whole = f.read(size)
        if len(whole) == size:
            data, f = whole, io.BytesIO(whole)
            if seen is not None:
                seen.data = whole
    mpf: list[int] = []
    try:
        result, scan_at = _segments(data, 0, "JPEG", mpf)
    except (struct.error, IndexError, ValueError) as exc:
        raise PhotoError(f"JPEG: malformed ({exc})") from None
    if quick:
        for at in mpf[:MAX_EMBEDDED]:
            if 0 < at < size:
                try:
                    result.merge(_segments(_sub(data, at), at, f"JPEG MPF image at {at}")[0])
                except (PhotoError, struct.error, IndexError, ValueError):
                    pass
        return result
    _embedded(data, scan_at, result, _positions(data, scan_at, seen))
    from digisafe.photos.afcp import walk_trailers

    return result.merge(walk_trailers(f, size))


def _sub(data: Data, at: int) -> Data:
    """``data`` from ``at`` on, without copying it."""
    if isinstance(data, FileView):
        return data.view(at, len(data) - at)
    return memoryview(data)[at:]


def _positions(data: Data, start: int, seen: SeenJpeg | None) -> Iterable[int]:
    """Where embedded JPEGs may start: searched, or (a copy strip wrote) taken from ``seen``. When
    ``seen`` holds the walked bytes, the positions found are kept in it."""
    if seen is not None and seen.patches is not None:
        return seen.positions_in(data, start)
    if seen is None or seen.data is None:
        return _soi_positions(data, start)
    from digisafe.photos.jpeg_seen import MAX_POSITIONS

    kept: list[int] = []
    for at in _soi_positions(data, start):
        if len(kept) >= MAX_POSITIONS:
            return _soi_positions(data, start)  # (hostile: not kept, searched again where needed)
        kept.append(at)
    seen.start, seen.positions = start, kept
    return kept


def _soi_positions(data: Data, start: int) -> Iterator[int]:
    """Every ``FF D8 FF`` at or after ``start``, in order (overlapping ones too)."""
    if not isinstance(data, FileView):
        for hit in SOI_SEARCH.finditer(data, start):  # type: ignore[arg-type]
            yield hit.start()
        return
    size, pos = len(data), start
    while pos < size:  # (searched in chunks, so memory does not grow with the file)
        block = data[pos:min(size, pos + CHUNK + 2)]
        for hit in SOI_SEARCH.finditer(block):  # type: ignore[arg-type]
            yield pos + hit.start()
        pos += CHUNK


def _embedded(data: Data, start: int, result: WalkResult, positions: Iterable[int]) -> None:
    """Walk the headers of the JPEGs after the first scan (MPF images, trailers) at ``positions``."""
    walked, skip_until = 0, start
    for at in positions:
        if at < skip_until:
            continue
        walked += 1
        if walked > MAX_EMBEDDED:
            result.doubt(f"JPEG: more than {MAX_EMBEDDED} embedded images")
            return
        try:
            found, header_end = _segments(_sub(data, at), at, f"JPEG at {at}")
            skip_until = at + header_end
            if found.items or found.patches:
                result.merge(found)  # doubts of a chance FF D8 FF that holds nothing: ignored
        except (PhotoError, struct.error, IndexError, ValueError):
            pass  # FF D8 FF in a trailer that is not a JPEG after all
