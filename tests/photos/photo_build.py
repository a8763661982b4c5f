"""Build real photo files with location at test time (Pillow for JPEG/PNG/WebP, a tiny TIFF writer
for TIFF, whose Pillow writer drops the GPS IFD)."""

from __future__ import annotations

import hashlib
import struct
from pathlib import Path

LAT, LON = 53.8008, -1.5491  # Leeds
XMP = (
    '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description rdf:about="" xmlns:exif="http://ns.adobe.com/exif/1.0/" '
    'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" '
    'exif:GPSLatitude="53,48.048N" exif:GPSLongitude="1,32.946W" photoshop:Headline="Holiday">'
    '<photoshop:City>Leeds</photoshop:City>'
    '<Iptc4xmpExt:LocationShown><rdf:Bag><rdf:li rdf:parseType="Resource">'
    '<Iptc4xmpExt:Sublocation>Park Row</Iptc4xmpExt:Sublocation></rdf:li></rdf:Bag></Iptc4xmpExt:LocationShown>'
    '<dc:title><rdf:Alt><rdf:li xml:lang="x-default">Kept title</rdf:li></rdf:Alt></dc:title>'
    '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
).encode("utf-8")


def dms(value: float) -> tuple[float, float, float]:
    value = abs(value)
    d = int(value)
    m = int((value - d) * 60)
    return (float(d), float(m), round((value - d - m / 60) * 3600, 4))


def exif(orientation: int = 6, gps: bool = True, gps_in_ifd1: bool = False):
    from PIL import Image

    ex = Image.Exif()
    ex[0x0112] = orientation
    ex[0x010F] = "TestMake"
    ex[0x0110] = "TestMake Phone 1"
    if gps:
        g = ex.get_ifd(0x8825)
        g[0] = b"\x02\x02\x00\x00"
        g[1], g[2] = ("N" if LAT >= 0 else "S"), dms(LAT)
        g[3], g[4] = ("E" if LON >= 0 else "W"), dms(LON)
        g[6] = 120.5
    return ex


def image(size: tuple[int, int] = (96, 64)):
    from PIL import Image

    im = Image.new("RGB", size)
    im.putdata([((x * 7) % 256, (y * 5) % 256, (x * y) % 256) for y in range(size[1]) for x in range(size[0])])
    return im


def iptc_block(city: bytes = b"Leeds") -> bytes:
    def ds(num: int, value: bytes) -> bytes:
        return b"\x1c\x02" + bytes([num]) + struct.pack(">H", len(value)) + value

    return ds(0, b"\x00\x04") + ds(5, b"Title kept") + ds(90, city) + ds(101, b"United Kingdom") + ds(120, b"Caption")


def photoshop_app13(iptc: bytes) -> bytes:
    def resource(rid: int, data: bytes) -> bytes:
        pad = b"\0" * (len(data) & 1)
        return b"8BIM" + struct.pack(">H", rid) + b"\0\0" + struct.pack(">I", len(data)) + data + pad

    irb = resource(0x0404, iptc) + resource(0x0425, hashlib.md5(iptc).digest())  # noqa: S324
    body = b"Photoshop 3.0\0" + irb
    return b"\xff\xed" + struct.pack(">H", len(body) + 2) + body


def insert_after_soi(jpeg: bytes, segment: bytes) -> bytes:
    assert jpeg[:2] == b"\xff\xd8"
    return jpeg[:2] + segment + jpeg[2:]


def make_jpeg(path: Path, *, xmp: bool = True, iptc: bool = True, orientation: int = 6, gps: bool = True) -> Path:
    import io

    buf = io.BytesIO()
    kwargs = {"exif": exif(orientation, gps), "quality": 90}
    if xmp:
        kwargs["xmp"] = XMP
    image().save(buf, "JPEG", **kwargs)
    data = buf.getvalue()
    if iptc:
        data = insert_after_soi(data, photoshop_app13(iptc_block()))
    path.write_bytes(data)
    return path


def make_png(path: Path) -> Path:
    image().save(path, "PNG", exif=exif())
    return path


def make_webp(path: Path, exif_prefix: bool = False) -> Path:
    raw = exif().tobytes()
    if not exif_prefix and raw.startswith(b"Exif\0\0"):
        raw = raw[6:]
    image().save(path, "WEBP", exif=raw, xmp=XMP, lossless=True)
    return path


def jpeg_scan(data: bytes) -> bytes:
    """The compressed image data: from the first SOS marker to the end (EOI included)."""
    pos = 2
    while data[pos] == 0xFF and data[pos + 1] != 0xDA:
        pos += 2 + struct.unpack(">H", data[pos + 2:pos + 4])[0]
    return data[pos:]


def make_tiff(path: Path, *, order: str = "<", gps_in: tuple[str, ...] = ("ifd0",), loop: bool = False) -> Path:
    """A real (uncompressed RGB) TIFF: IFD0 -> IFD1, GPS IFD pointers from the listed IFDs."""
    width, height = 8, 4
    pixels = bytes(range(width * height * 3))
    e = order

    def entry(tag: int, typ: int, count: int, value: bytes) -> bytes:
        return struct.pack(e + "HHI", tag, typ, count) + value.ljust(4, b"\0")

    def ifd(entries: list[bytes], next_off: int) -> bytes:
        return struct.pack(e + "H", len(entries)) + b"".join(entries) + struct.pack(e + "I", next_off)

    header = (b"II" if e == "<" else b"MM") + struct.pack(e + "HI", 42, 8)
    # layout: header(8) IFD0 @8 (12 entries max) ; IFD1 ; GPS IFD ; rationals ; pixels
    ifd0_off = 8
    ifd0_size = 2 + 12 * 12 + 4
    ifd1_off = ifd0_off + ifd0_size
    ifd1_size = 2 + 12 * 3 + 4
    gps_off = ifd1_off + ifd1_size
    gps_size = 2 + 12 * 5 + 4
    rat_off = gps_off + gps_size
    rationals = b"".join(struct.pack(e + "II", int(v * 10000), 10000) for v in dms(LAT) + dms(LON))
    pix_off = rat_off + len(rationals)
    short = lambda v: struct.pack(e + "H", v)  # noqa: E731
    long_ = lambda v: struct.pack(e + "I", v)  # noqa: E731
    base = [entry(256, 3, 1, short(width)), entry(257, 3, 1, short(height)), entry(258, 3, 1, short(8)),
            entry(259, 3, 1, short(1)), entry(262, 3, 1, short(2)), entry(273, 4, 1, long_(pix_off)),
            entry(274, 3, 1, short(6)), entry(277, 3, 1, short(3)), entry(278, 3, 1, short(height)),
            entry(279, 4, 1, long_(len(pixels)))]
    if "ifd0" in gps_in:
        base.append(entry(0x8825, 4, 1, long_(gps_off)))
    ifd0 = ifd(base, ifd1_off).ljust(ifd0_size, b"\0")
    one = [entry(256, 3, 1, short(1)), entry(257, 3, 1, short(1))]
    if "ifd1" in gps_in:
        one.append(entry(0x8825, 4, 1, long_(gps_off)))
    ifd1 = ifd(one, ifd0_off if loop else 0).ljust(ifd1_size, b"\0")
    gps = ifd([entry(0, 1, 4, b"\x02\x02\x00\x00"), entry(1, 2, 2, b"N\0"), entry(2, 5, 3, long_(rat_off)),
               entry(3, 2, 2, b"W\0"), entry(4, 5, 3, long_(rat_off + 24))], 0)
    path.write_bytes(header + ifd0 + ifd1 + gps + rationals + pixels)
    return path
