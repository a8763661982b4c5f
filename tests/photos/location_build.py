"""Build files for the location carriers of issue 13 from the format facts: FLIR APP1 (FFF records),
JPEG XR, JPEG 2000 with JPX ``xml `` boxes, XMP with Darwin Core and CreatorContactInfo, Panasonic
and Casio maker notes, M2TS with a non-zero timecode. Used by the tests and by bench/photos_oracle.py."""

from __future__ import annotations

import io
import struct
from pathlib import Path

LAT, LON, ALT = 53.8008, -1.5491, 61.5  # Leeds


def plain_jpeg(size: tuple[int, int] = (32, 24)) -> bytes:
    from PIL import Image

    im = Image.new("RGB", size)
    im.putdata([((x * 7) % 256, (y * 5) % 256, (x * y) % 256) for y in range(size[1]) for x in range(size[0])])
    out = io.BytesIO()
    im.save(out, "JPEG", quality=90)
    return out.getvalue()


def app(marker: int, body: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body


def insert_segments(jpeg: bytes, *segments: bytes) -> bytes:
    assert jpeg[:2] == b"\xff\xd8"
    return jpeg[:2] + b"".join(segments) + jpeg[2:]


# --- FLIR -----------------------------------------------------------------------------------------
def flir_gps_record(lat: float = LAT, lon: float = LON, alt: float = ALT, valid: int = 1) -> bytes:
    rec = bytearray(0x68)
    struct.pack_into("<I4s2s2s", rec, 0, valid, b"\x02\x02\x00\x00", b"N" if lat >= 0 else b"S",
                     b"E" if lon >= 0 else b"W")
    struct.pack_into("<ddf", rec, 0x10, lat, lon, alt)
    struct.pack_into("<f", rec, 0x40, 1.5)  # DOP
    rec[0x58:0x58 + 5] = b"WGS84"
    return bytes(rec)


def fff_block(records: list[tuple[int, bytes]], order: str = ">") -> bytes:
    """An FFF block: 64-byte header, record directory (32 bytes an entry), then the records."""
    count = len(records)
    dir_at = 0x40
    data_at = dir_at + 0x20 * count
    header = bytearray(0x40)
    header[:4] = b"FFF\0"
    struct.pack_into(order + "III", header, 0x14, 100, dir_at, count)
    directory, payload = bytearray(), bytearray()
    for kind, rec in records:
        directory += struct.pack(order + "HHIIII", kind, 1, 0x64, 1, data_at + len(payload), len(rec)) + bytes(12)
        payload += rec
    return bytes(header + directory + payload)


def camera_info_record() -> bytes:
    rec = bytearray(0x200)
    struct.pack_into("<H", rec, 0, 2)  # byte-order check value exiftool reads
    struct.pack_into("<f", rec, 0x20, 0.95)  # emissivity
    return bytes(rec)


def flir_jpeg(path: Path, *, gps: bool = True, chunk: int = 200, valid: int = 1, embedded: bytes = b"") -> Path:
    """A JPEG with a FLIR APP1 FFF block split into chunks of ``chunk`` bytes (so records cross segments)."""
    records = [(0x20, camera_info_record())]
    if gps:
        records.append((0x2B, flir_gps_record(valid=valid)))
    if embedded:
        records.append((0x0E, struct.pack("<HHH", 2, 32, 24) + bytes(26) + embedded))
    block = fff_block(records)
    pieces = [block[i:i + chunk] for i in range(0, len(block), chunk)]
    segments = [app(0xE1, b"FLIR\0\x01" + bytes([n, len(pieces) - 1]) + p) for n, p in enumerate(pieces)]
    path.write_bytes(insert_segments(plain_jpeg(), *segments))
    return path


# --- XMP ------------------------------------------------------------------------------------------
def xmp_packet(body: str, ns: str = "") -> bytes:
    return ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            f'<rdf:Description rdf:about="" {ns}>{body}</rdf:Description></rdf:RDF></x:xmpmeta>'
            '<?xpacket end="w"?>').encode()


DWC_BODY = ('<dwc:dctermsLocation rdf:parseType="Resource">'
            '<dwc:country>United Kingdom</dwc:country><dwc:county>West Yorkshire</dwc:county>'
            '<dwc:decimalLatitude>53.8008</dwc:decimalLatitude><dwc:decimalLongitude>-1.5491</dwc:decimalLongitude>'
            '<dwc:locality>Hyde Park</dwc:locality><dwc:municipality>Leeds</dwc:municipality>'
            '<dwc:stateProvince>England</dwc:stateProvince>'
            '<dwc:verbatimCoordinates>53 48 03N 1 32 57W</dwc:verbatimCoordinates>'
            '</dwc:dctermsLocation><dc:title>Kept title</dc:title>')
DWC_NS = 'xmlns:dwc="http://rs.tdwg.org/dwc/index.htm" xmlns:dc="http://purl.org/dc/elements/1.1/"'
# The Darwin Core terms namespace, flat (as biodiversity tools write it), attribute form.
DWC_TERMS = ('<rdf:Description rdf:about="" xmlns:dwc="http://rs.tdwg.org/dwc/terms/" '
             'dwc:verbatimCoordinates="53 48 03N 1 32 57W" dwc:locality="Hyde Park" dwc:county="West Yorkshire" '
             'dwc:scientificName="Kept name"/>')
CREATOR_BODY = ('<Iptc4xmpCore:CreatorContactInfo rdf:parseType="Resource">'
                '<Iptc4xmpCore:CiAdrExtadr>1 Park Row</Iptc4xmpCore:CiAdrExtadr>'
                '<Iptc4xmpCore:CiAdrCity>Leeds</Iptc4xmpCore:CiAdrCity>'
                '<Iptc4xmpCore:CiAdrRegion>West Yorkshire</Iptc4xmpCore:CiAdrRegion>'
                '<Iptc4xmpCore:CiAdrPcode>LS1 5AB</Iptc4xmpCore:CiAdrPcode>'
                '<Iptc4xmpCore:CiAdrCtry>United Kingdom</Iptc4xmpCore:CiAdrCtry>'
                '<Iptc4xmpCore:CiEmailWork>kept@example.org</Iptc4xmpCore:CiEmailWork>'
                '</Iptc4xmpCore:CreatorContactInfo>')
CREATOR_NS = 'xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"'


def xmp_jpeg(path: Path, packet: bytes) -> Path:
    path.write_bytes(insert_segments(plain_jpeg(), app(0xE1, b"http://ns.adobe.com/xap/1.0/\0" + packet)))
    return path


# --- JPEG XR --------------------------------------------------------------------------------------
def _ifd(entries: list[tuple[int, int, int, bytes]], at: int, next_ifd: int = 0) -> tuple[bytes, bytes]:
    """(table, out-of-line data) for a little-endian IFD at ``at``; data follows the table."""
    data_at = at + 2 + 12 * len(entries) + 4
    table, extra = struct.pack("<H", len(entries)), bytearray()
    for tag, typ, count, value in sorted(entries):
        if len(value) <= 4:
            table += struct.pack("<HHI", tag, typ, count) + value.ljust(4, b"\0")
        else:
            table += struct.pack("<HHII", tag, typ, count, data_at + len(extra))
            extra += value + (b"\0" if len(value) & 1 else b"")
    return table + struct.pack("<I", next_ifd), bytes(extra)


def _rationals(*values: float) -> bytes:
    return b"".join(struct.pack("<II", round(v * 10000), 10000) for v in values)


def _dms(value: float) -> tuple[float, float, float]:
    value = abs(value)
    d = int(value)
    m = int((value - d) * 60)
    return float(d), float(m), round((value - d - m / 60) * 3600, 4)


def jxr(path: Path, *, gps: bool = True, xmp: bytes = b"") -> Path:
    """A JPEG XR file: "II" BC 01, IFD0 with the JPEG XR tags, a GPS IFD, XMP (tag 0x02BC). The image
    payload is a stand-in (the walker never reads it; exiftool does not decode it either)."""
    image = b"WMPHOTO\0" + bytes(24)
    gps_entries = [(0, 1, 4, b"\x02\x02\x00\x00"), (1, 2, 2, b"N\0"), (2, 5, 3, _rationals(*_dms(LAT))),
                   (3, 2, 2, b"W\0"), (4, 5, 3, _rationals(*_dms(LON)))]
    ifd0 = [(0xBC01, 1, 16, bytes.fromhex("24C3DD6F034EFE4BB1853D77768DC90C")),  # PixelFormat: 24bpp BGR
            (0xBC80, 4, 1, struct.pack("<I", 32)), (0xBC81, 4, 1, struct.pack("<I", 24)),
            (0xBCC0, 4, 1, b"\0\0\0\0"), (0xBCC1, 4, 1, struct.pack("<I", len(image))),
            (0x010F, 2, 9, b"TestMake\0")]
    if xmp:
        ifd0.append((0x02BC, 1, len(xmp), xmp))
    if gps:
        ifd0.append((0x8825, 4, 1, b"\0\0\0\0"))
    table, extra = _ifd(ifd0, 8)
    gps_at = 8 + len(table) + len(extra)
    gps_table, gps_extra = _ifd(gps_entries, gps_at)
    image_at = gps_at + (len(gps_table) + len(gps_extra) if gps else 0)
    table = bytearray(table)
    for i in range(len(ifd0)):
        tag = struct.unpack("<H", table[2 + 12 * i:4 + 12 * i])[0]
        if tag == 0x8825:
            struct.pack_into("<I", table, 2 + 12 * i + 8, gps_at)
        if tag == 0xBCC0:
            struct.pack_into("<I", table, 2 + 12 * i + 8, image_at)
    body = b"II\xbc\x01" + struct.pack("<I", 8) + bytes(table) + extra
    if gps:
        body += gps_table + gps_extra
    path.write_bytes(body + image)
    return path


# --- JPEG 2000 ------------------------------------------------------------------------------------
JPX_ADDRESS = (b'<?xml version="1.0" encoding="UTF-8"?><CONTENT_DESCRIPTION xmlns="http://www.jpeg.org/jpx/1.0/xml">'
               b'<CAPTION>Kept caption</CAPTION><LOCATION><ADDRESS TYPE="Home">'
               b'<ADDR_COMP TYPE="Street">1 Park Row</ADDR_COMP><ADDR_COMP TYPE="City">Leeds</ADDR_COMP>'
               b'<ZIPCODE>LS1 5AB</ZIPCODE><COUNTRY>GB</COUNTRY></ADDRESS></LOCATION>'
               b'<THING ID="1"><NAME>Kept thing</NAME></THING></CONTENT_DESCRIPTION>')


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def jp2(path: Path, *, xml: bytes = JPX_ADDRESS, in_asoc: bool = False) -> Path:
    """A JPEG 2000 file (codestream from Pillow/OpenJPEG) with an ``xml `` box (optionally inside a
    JPX ``asoc`` box, after a ``lbl `` label)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 30, 30)).save(out, "JPEG2000")
    data = out.getvalue()
    extra = box(b"xml ", xml)
    if in_asoc:
        extra = box(b"asoc", box(b"lbl ", b"Address") + extra)
    path.write_bytes(data + extra)
    return path


# --- maker notes ----------------------------------------------------------------------------------
def _text(text: bytes, size: int) -> bytes:
    return text.ljust(size, b"\0")


def panasonic_entries(city: bytes = b"Leeds", landmark: bytes = b"Town Hall") -> list[tuple[int, int, int, bytes]]:
    """Panasonic maker-note place fields: Location (0x67), Country (0x69), State (0x6B, unset "---"),
    City (0x6D), Landmark (0x6F), City2 (0x80); 0x01 (ImageQuality) is kept."""
    return [(0x01, 7, 4, b"0121"), (0x67, 7, 64, _text(b"Park Row", 64)),
            (0x69, 7, 72, _text(b"United Kingdom", 72)), (0x6B, 7, 72, _text(b"---", 72)),
            (0x6D, 7, 72, _text(city, 72)), (0x6F, 7, 128, _text(landmark, 128)), (0x80, 7, 72, _text(city, 72))]


def makernote_jpeg(path: Path, header: bytes = b"Panasonic\0\0\0", entries: list | None = None,
                   make: bytes = b"Panasonic\0") -> Path:
    """A JPEG whose EXIF maker note is ``header`` + a little-endian IFD (offsets from the TIFF header,
    as Panasonic and Casio type 2 write them)."""
    entries = panasonic_entries() if entries is None else entries
    exif_at = 8 + 2 + 12 * 2 + 4
    make_at = exif_at + 2 + 12 + 4
    mn_at = make_at + len(make)
    mn_table, mn_extra = _ifd(entries, mn_at + len(header)) if entries else (b"", b"")
    makernote = header + mn_table + mn_extra
    tiff = b"II*\0" + struct.pack("<I", 8) + struct.pack("<H", 2) + \
        struct.pack("<HHII", 0x010F, 2, len(make), make_at) + struct.pack("<HHII", 0x8769, 4, 1, exif_at) + bytes(4)
    tiff += struct.pack("<H", 1) + struct.pack("<HHII", 0x927C, 7, len(makernote), mn_at) + bytes(4)
    assert len(tiff) == make_at
    tiff += make + makernote
    path.write_bytes(insert_segments(plain_jpeg(), app(0xE1, b"Exif\0\0" + tiff)))
    return path


def casio_jpeg(path: Path, city: bytes = b"Leeds") -> Path:
    """Casio type 2 maker note ("QVC\0" + 2 bytes + IFD) with HometownCity (0x3006)."""
    entries = [(0x0002, 3, 2, struct.pack("<HH", 640, 480)), (0x3006, 2, 20, _text(city, 20))]
    return makernote_jpeg(path, b"QVC\0\0\0", entries, b"CASIO COMPUTER CO.,LTD.\0")


def nikon_jpeg(path: Path, country: bytes = b"GBR", location: bytes = b"Leeds Town Hall") -> Path:
    """Nikon type 3 maker note ("Nikon\0" 02 10 00 00 + its own big-endian TIFF header; offsets from
    that header) with LocationInfo (0x0039): version, encoding (1: UTF-8), CountryCode, POILevel,
    Location (70 bytes)."""
    info = b"0100" + b"\x01" + country.ljust(3, b"\0") + b"\x00" + location.ljust(70, b"\0")
    ifd = struct.pack(">H", 2) + struct.pack(">HHI4s", 0x0001, 7, 4, b"0211") + \
        struct.pack(">HHII", 0x0039, 7, len(info), 8 + 2 + 24 + 4) + bytes(4)
    makernote = b"Nikon\0\x02\x10\0\0" + b"MM\0*" + struct.pack(">I", 8) + ifd + info
    return makernote_jpeg(path, header=makernote, entries=[], make=b"NIKON CORPORATION\0")


def empty_gps_jpeg(path: Path) -> Path:
    """A JPEG whose GPS IFD holds only GPSVersionID (no position: "no location", but strip empties it)."""
    from PIL import Image

    ex = Image.Exif()
    ex[0x010F] = "TestMake"
    ex.get_ifd(0x8825)[0] = b"\x02\x02\x00\x00"
    im = Image.new("RGB", (32, 24), (10, 20, 30))
    out = io.BytesIO()
    im.save(out, "JPEG", exif=ex)
    path.write_bytes(out.getvalue())
    return path


# --- M2TS -----------------------------------------------------------------------------------------
def m2ts(path: Path, timecode: int = 0x3A2B1C0D, packets: int = 4) -> Path:
    """An AVCHD-style M2TS stream: 192-byte packets, a 4-byte timecode then a 188-byte TS packet."""
    out = bytearray()
    for i in range(packets):
        ts = bytes([0x47, 0x40 if i == 0 else 0x00, 0x00, 0x10]) + bytes(184)
        out += struct.pack(">I", timecode + i * 1000) + ts
    path.write_bytes(bytes(out))
    return path
