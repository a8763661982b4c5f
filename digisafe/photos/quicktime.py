"""QuickTime / MP4 / 3GP / M4V location: the ``moov`` tree.

Carriers found and neutralised, each without changing any length (so no ``stco``/``co64`` chunk
offset and no other atom moves):

- ``udta/©xyz`` (ISO 6709 string, Android and older Apple): retyped to ``free``, payload zeroed;
- ``udta/loci`` (3GPP location, with a place name): retyped to ``free``, payload zeroed;
- ``meta`` with ``keys`` + ``ilst`` (Apple ``com.apple.quicktime.location.ISO6709`` and the other
  ``...location.*`` keys): the ``ilst`` entry is retyped to ``free`` and zeroed; the key name stays
  (it points at nothing);
- XMP in ``udta/XMP_``, the XMP ``uuid`` box or a ``meta/xml `` box: only the location properties
  are blanked (xmp.py); a maker's other XML that names a GPS field is a doubt;
- a maker's own ``udta`` atom holding ISO 6709 text (retyped to ``free``) or embedding EXIF / a JPEG
  thumbnail with a GPS IFD (that IFD emptied in place);
- ``cmov`` (compressed movie header): a doubt, we cannot look inside;
- timed GPS tracks (GoPro ``gpmd``, ``camm``, DJI ``djmd``, Apple ``mebx``, dashcam subtitles):
  see timed.py; dashcam ``gps `` index atoms: see dashcam.py.

Everything else (sample data, dates, make and model) is left byte for byte as it was.
"""

from __future__ import annotations

import re
import struct

from digisafe.photos.boxes import MAX_DEPTH, XMP_UUID, Box, BoxReader, Segments, is_full_meta, xmp_payload
from digisafe.photos.types import LocationItem, PhotoError, WalkResult

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 3 ms of a photo scan's start-up)
if TYPE_CHECKING:
    from typing import Callable, List, Optional, Tuple

    UuidHook = Callable[[BoxReader, Box, WalkResult], None]

CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"udta", b"edts", b"tapt"}
XYZ = b"\xa9xyz"
# QuickTime "international text" atoms in udta: shown as camera/date, never changed.
UDTA_INFO = {b"\xa9mak": "make", b"\xa9mod": "model", b"\xa9day": "date_taken"}
KEY_INFO = {"com.apple.quicktime.make": "make", "com.apple.quicktime.model": "model",
            "com.apple.quicktime.creationdate": "date_taken"}
ISO6709 = re.compile(r"([+-]\d+(?:\.\d*)?)([+-]\d+(?:\.\d*)?)([+-]\d+(?:\.\d*)?)?")
# An ISO 6709 point inside an atom we do not know (vendor udta atoms): treated as location too.
COORDINATES = re.compile(rb"[+-]\d{2}(?:\d{2}){0,2}\.\d{2,}[+-]\d{3}(?:\d{2}){0,2}\.\d{2,}")
# Atoms that only point at location data we cannot reach or read: a doubt, strip fails closed.
OPAQUE = {b"cmov": "compressed movie header"}
MAX_BLANK = 1024 * 1024
XML_LOCATION = re.compile(rb"(?i)<[^>]*(?:gps|latitude|longitude)")
MAX_EMBEDDED = 8  # TIFF/JPEG candidates tried per vendor atom
PLACE_KEYS = {"name", "body", "note", "address", "locality", "city", "country"}


def is_location_key(key: str) -> bool:
    low = key.lower()
    return "location" in low or "gps" in low or low.endswith("iso6709")


def parse_iso6709(text: str) -> dict[str, object]:
    """"+51.5074-000.1278/" or "+32.0929+034.8620+028.516/" or DDMMSS forms -> decimal degrees."""
    m = ISO6709.match(text.strip())
    if not m:
        return {"text": text[:80]} if text.strip() else {}
    values: dict[str, object] = {}
    for name, raw, width in (("latitude", m.group(1), 2), ("longitude", m.group(2), 3)):
        values[name] = round(_sexagesimal(raw, width), 7)
    if m.group(3):
        values["altitude"] = round(float(m.group(3)), 2)
    return values


def _sexagesimal(raw: str, width: int) -> float:
    sign = -1.0 if raw[0] == "-" else 1.0
    whole, _, frac = raw[1:].partition(".")
    frac = "0." + (frac or "0")
    if len(whole) <= width:  # DD.dddd
        return sign * (int(whole or "0") + float(frac))
    if len(whole) <= width + 2:  # DDMM.mmm
        return sign * (int(whole[:-2]) + (int(whole[-2:]) + float(frac)) / 60)
    return sign * (int(whole[:-4]) + int(whole[-4:-2]) / 60 + (int(whole[-2:]) + float(frac)) / 3600)


def _text(raw: bytes) -> str:
    if raw[:2] in (b"\xfe\xff", b"\xff\xfe"):
        return raw.decode("utf-16", "replace").split("\0", 1)[0]
    return raw.split(b"\0", 1)[0].decode("utf-8", "replace")


def _key_values(key: str, value: str) -> dict[str, object]:
    """Place names are shown to the user; other location keys (date, accuracy, role) only by name."""
    short = key.rsplit(".", 1)[-1]
    if short.lower() in PLACE_KEYS and value.strip():
        return {short: value[:200]}
    return {"tags": [short]}


def _embedded_blocks(data: bytes) -> List[int]:
    found: List[int] = []
    for magic in (b"II*\x00", b"MM\x00*", b"\xff\xd8\xff"):
        pos = data.find(magic)
        while pos >= 0 and len(found) < MAX_EMBEDDED:
            found.append(pos)
            pos = data.find(magic, pos + 1)
    return sorted(found)


def _try_walk(data: bytes, pos: int, where: str) -> Optional[WalkResult]:
    """Walk what looks like a TIFF block or a JPEG at ``pos``; None if it is not one after all."""
    from digisafe.photos.jpeg import walk_jpeg_block
    from digisafe.photos.tiff import walk_tiff

    try:
        if data[pos:pos + 3] == b"\xff\xd8\xff":
            return walk_jpeg_block(data[pos:], pos, "JPEG")
        return walk_tiff(data[pos:], pos, "EXIF")
    except (PhotoError, ValueError, IndexError, struct.error):
        return None  # NOTE: the magic bytes were a coincidence inside vendor data


class MoovWalker:
    def __init__(self, reader: BoxReader, result: WalkResult, on_uuid: Optional[UuidHook] = None,
                 media: Optional[List[Tuple[int, int]]] = None) -> None:
        self.reader, self.result, self.on_uuid = reader, result, on_uuid
        self.media = media  # (start, end) of top-level mdat payloads and free boxes: where samples may be

    def walk(self, box: Box, path: str, depth: int = 0) -> None:
        if depth > MAX_DEPTH:
            raise PhotoError(f"{path}: atoms nested too deeply")
        for child in self.reader.children(box):
            where = f"{path}/{child.name}"
            if child.type in CONTAINERS:
                if child.type == b"trak":
                    from digisafe.photos.timed import walk_track

                    walk_track(self.reader, child, where, self.result, self.media)
                self.walk(child, where, depth + 1)
            elif child.type == b"meta":
                self.meta(child, where)
            elif child.type == XYZ:
                self.xyz(child, where)
            elif child.type == b"loci":
                self.loci(child, where)
            elif child.type == b"XMP_" or (child.type == b"uuid" and child.usertype == XMP_UUID):
                self.xmp(child, where)
            elif child.type == b"uuid" and self.on_uuid is not None:
                self.on_uuid(self.reader, child, self.result)
            elif child.type == b"gps ":
                from digisafe.photos.dashcam import walk_gps_index

                walk_gps_index(self.reader, child, where, self.result, self.media)
            elif child.type in OPAQUE:
                self.result.doubt(f"{where}: {OPAQUE[child.type]}: location there cannot be checked")
            elif child.type in UDTA_INFO and path.endswith("udta"):
                self.udta_info(child)
            elif path.endswith("udta") and child.body_size <= MAX_BLANK:
                self.vendor_atom(child, where)

    # --- carriers ------------------------------------------------------------------------------
    def xyz(self, box: Box, where: str) -> None:
        raw = self.reader.payload(box, 4096)
        if raw[4:8] == b"data":  # iTunes style: a "data" atom inside
            text = _text(raw[16:])
        elif len(raw) >= 4:
            (length,) = struct.unpack(">H", raw[:2])
            text = raw[4:4 + length].decode("utf-8", "replace")
        else:
            text = ""
        values = parse_iso6709(text)
        self.found(box, where, values if values and "text" not in values else {"tags": ["©xyz"]})

    def loci(self, box: Box, where: str) -> None:
        raw = self.reader.payload(box, 65536)
        values: dict[str, object] = {}
        if len(raw) > 6:
            name_end = raw.find(b"\0\0", 6) + 1 if raw[6:8] in (b"\xfe\xff", b"\xff\xfe") else raw.find(b"\0", 6)
            name = _text(raw[6:name_end + 1]) if name_end > 0 else ""
            fixed = raw[name_end + 2:name_end + 14] if name_end > 0 else b""
            if len(fixed) == 12:
                lon, lat, alt = (v / 65536.0 for v in struct.unpack(">iii", fixed))
                values.update(latitude=round(lat, 7), longitude=round(lon, 7), altitude=round(alt, 2))
            if name:
                values["place"] = name[:200]
        self.found(box, where, values or {"tags": ["loci"]})

    def xmp(self, box: Box, where: str) -> None:
        data = self.reader.payload(box)
        self.result.merge(xmp_payload(data, Segments([(box.body, box.body_size)]), where))

    def vendor_atom(self, box: Box, where: str) -> None:
        """A maker's own udta atom (Nikon NCDT, Canon CNTH, Ricoh RMKN, Panasonic PANA, ...): look for
        ISO 6709 text, and for embedded EXIF (TIFF blocks, JPEG thumbnails) with a GPS IFD."""
        data = self.reader.payload(box)
        m = COORDINATES.search(data)
        if m:
            self.found(box, where, parse_iso6709(m.group(0).decode("ascii")))
            return
        segments, blanked = Segments([(box.body, box.body_size)]), set()
        for pos in _embedded_blocks(data):
            sub = _try_walk(data, pos, f"{where} @{pos}")
            if sub is None or not sub.items:
                continue
            mapped = segments.remap(sub, where)
            offsets = {p.offset for p in mapped.patches}
            if not offsets <= blanked:  # the TIFF inside a JPEG thumbnail we already walked: once
                blanked |= offsets
                self.result.merge(mapped)

    def xml(self, box: Box, where: str) -> None:
        """An ISO ``meta``'s ``xml `` box: XMP, or a maker's own XML (Sony's real-time metadata)."""
        if box.body_size > MAX_BLANK:
            self.result.doubt(f"{where}: XML metadata too large to inspect")
            return
        data = self.reader.payload(box)
        skip = 4 if data[:4] == bytes(4) else 0  # NOTE: ISO's XMLBox is a FullBox (version/flags first)
        if b"xmpmeta" in data or b"rdf:RDF" in data:
            segments = Segments([(box.body + skip, box.body_size - skip)])
            self.result.merge(xmp_payload(data[skip:], segments, where))
        elif XML_LOCATION.search(data):
            self.result.doubt(f"{where}: XML metadata mentions a location in a form we do not edit")

    def found(self, box: Box, where: str, values: dict[str, object]) -> None:
        self.result.items.append(LocationItem("quicktime", where, values))
        if box.size > MAX_BLANK:
            self.result.doubt(f"{where}: a {box.size}-byte location atom is too large to blank")
            return
        self.result.patches.extend(box.blank())

    def udta_info(self, box: Box) -> None:
        raw = self.reader.payload(box, 4096)
        if len(raw) >= 4:
            (length,) = struct.unpack(">H", raw[:2])
            text = raw[4:4 + length].decode("utf-8", "replace").strip("\0 ")
            if text:
                self.result.info.setdefault(UDTA_INFO[box.type], text)

    # --- meta / keys / ilst ----------------------------------------------------------------------
    def meta(self, box: Box, where: str) -> None:
        skip = 4 if is_full_meta(self.reader, box) else 0
        children = self.reader.children(box, skip)
        keys: dict[int, str] = {}
        for child in children:
            if child.type == b"keys":
                keys = self.keys(child, where)
        for child in children:
            cwhere = f"{where}/{child.name}"
            if child.type == b"ilst":
                self.ilst(child, cwhere, keys)
            elif child.type == b"XMP_" or (child.type == b"uuid" and child.usertype == XMP_UUID):
                self.xmp(child, cwhere)
            elif child.type == XYZ:
                self.xyz(child, cwhere)
            elif child.type == b"xml ":
                self.xml(child, cwhere)

    def keys(self, box: Box, where: str) -> dict[int, str]:
        raw = self.reader.payload(box, 1 << 20)
        if len(raw) < 8:
            raise PhotoError(f"{where}/keys: too short")
        (count,) = struct.unpack(">I", raw[4:8])
        keys, pos = {}, 8
        for index in range(1, count + 1):
            if pos + 8 > len(raw):
                raise PhotoError(f"{where}/keys: entry {index} runs past the atom")
            (size,) = struct.unpack(">I", raw[pos:pos + 4])
            if size < 8 or pos + size > len(raw):
                raise PhotoError(f"{where}/keys: entry {index} has a bad size {size}")
            keys[index] = raw[pos + 8:pos + size].decode("utf-8", "replace")
            pos += size
        return keys

    def ilst(self, box: Box, where: str, keys: dict[int, str]) -> None:
        for entry in self.reader.children(box):
            (index,) = struct.unpack(">I", entry.type)
            key = keys.get(index, entry.name)
            if entry.type == XYZ or is_location_key(key):
                value = self.data_value(entry)
                values = parse_iso6709(value) if key.lower().endswith("iso6709") or entry.type == XYZ else {}
                if not values or "text" in values:
                    values = _key_values(key, value)
                self.found(entry, f"{where}/{key}", values)
            elif key in KEY_INFO:
                value = self.data_value(entry)
                if value:
                    self.result.info.setdefault(KEY_INFO[key], value[:100])

    def data_value(self, entry: Box) -> str:
        for data in self.reader.children(entry):
            if data.type == b"data":
                raw = self.reader.payload(data, 65536)
                return raw[8:].decode("utf-8", "replace").strip("\0")
        return ""


def walk_moov(reader: BoxReader, moov: Box, result: WalkResult, on_uuid: Optional[UuidHook] = None) -> None:
    MoovWalker(reader, result, on_uuid).walk(moov, "moov")
