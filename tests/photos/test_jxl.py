"""JPEG XL container: Exif and xml boxes blanked in place; compressed metadata is a doubt."""

from __future__ import annotations

import io
import sys

import pytest
from PIL import Image

from digisafe.photos.jxl import walk_jxl
from digisafe.photos.types import NotAPhoto, PhotoError
from tests.photos import isobmff_build as b
from tests.photos.test_isobmff import XMP, gps_exif
from tests.photos.test_video import apply

CODESTREAM = b"\xff\x0a" + bytes(range(1, 200))


def walk(data: bytes):
    return walk_jxl(io.BytesIO(data), len(data))


def exif_box() -> bytes:
    raw = gps_exif(orientation=3)
    assert raw.startswith(b"Exif\0\0")
    return b.box(b"Exif", b.exif_item(raw[6:]))


def test_exif_and_xml_boxes_found_and_blanked():
    data = b.jxl(exif_box(), b.box(b"xml ", XMP.encode()), codestream=CODESTREAM)
    result = walk(data)
    assert not result.doubts
    gps = next(i for i in result.items if i.carrier == "exif-gps")
    assert gps.values["latitude"] == pytest.approx(51.5074, abs=1e-6)
    assert gps.values["longitude"] == pytest.approx(-0.1278, abs=1e-6)
    assert any(i.carrier == "xmp" and i.values.get("City") == "London" for i in result.items)
    cleaned = apply(data, result)
    again = walk(cleaned)
    assert again.items == [] and again.doubts == []
    assert cleaned.endswith(b.box(b"jxlc", CODESTREAM))  # the codestream is byte-identical
    exif = Image.Exif()
    exif.load(cleaned[cleaned.index(b"Exif\0\0MM"):cleaned.index(b"xml ") - 4])
    assert exif[0x0112] == 3 and exif[0x010F] == "Testcam" and not exif.get_ifd(0x8825)


def test_brotli_compressed_metadata_without_the_module_is_a_doubt(monkeypatch):
    monkeypatch.setitem(sys.modules, "brotli", None)  # import brotli -> ImportError
    brob = b.box(b"brob", b"Exif" + bytes(range(40)))
    result = walk(b.jxl(brob, codestream=CODESTREAM))
    assert result.doubts and "Brotli" in result.doubts[0] and result.patches == []


def test_brotli_compressed_exif_is_inspected():
    brotli = pytest.importorskip("brotli")
    exif = b.exif_item(gps_exif()[6:])
    with_gps = walk(b.jxl(b.box(b"brob", b"Exif" + brotli.compress(exif)), codestream=CODESTREAM))
    assert with_gps.items[0].values["latitude"] == pytest.approx(51.5074, abs=1e-6)
    assert with_gps.doubts and with_gps.patches == []  # found, but cannot be blanked: strip fails closed
    plain = Image.Exif()
    plain[0x010F] = "Testcam"
    no_gps = walk(b.jxl(b.box(b"brob", b"Exif" + brotli.compress(b.exif_item(plain.tobytes()[6:]))),
                        codestream=CODESTREAM))
    assert no_gps.items == [] and no_gps.doubts == [] and no_gps.info["make"] == "Testcam"
    with pytest.raises(PhotoError):
        walk(b.jxl(b.box(b"brob", b"xml " + brotli.compress(XMP.encode())[:-3]), codestream=CODESTREAM))
    bomb = brotli.compress(bytes(40 * 1024 * 1024), quality=1)
    with pytest.raises(PhotoError):
        walk(b.jxl(b.box(b"brob", b"xml " + bomb), codestream=CODESTREAM))


def test_jumbf_mentioning_location_is_a_doubt():
    jumb = b.box(b"jumb", b.box(b"jumd", b"c2pa.assertions\0") + b.box(b"json", b'{"exif:GPSLatitude": "51"}'))
    assert walk(b.jxl(jumb, codestream=CODESTREAM)).doubts


def test_bare_codestream_and_junk():
    result = walk(CODESTREAM)
    assert result.items == [] and result.doubts == []
    with pytest.raises(NotAPhoto):
        walk(b"\x00\x00\x00\x0cJXL \r\n\x87X" + bytes(20))
    full = b.jxl(exif_box(), codestream=CODESTREAM)
    for cut in range(40, len(full) - len(CODESTREAM) - 8, 5):  # truncated inside the Exif box
        try:
            result = walk(full[:cut])
        except PhotoError:
            continue
        assert result.doubts, f"truncated at {cut} looked clean"


def test_jpeg2000_exif_uuid_and_xml_box():
    from digisafe.photos.jxl import JP2_SIGNATURE, walk_jp2

    tiff = gps_exif()[6:]
    codestream = b.box(b"jp2c", b"\xff\x4f\xff\x51" + bytes(60))
    data = (JP2_SIGNATURE + b.ftyp(b"jp2 ", b"jp2 ") + b.box(b"jp2h", b.box(b"ihdr", bytes(14)))
            + b.box(b"uuid", b"JpgTiffExif->JP2" + tiff) + b.box(b"xml ", XMP.encode()) + codestream)
    result = walk_jp2(io.BytesIO(data), len(data))
    assert sorted(i.carrier for i in result.items) == ["exif-gps", "xmp"] and not result.doubts
    cleaned = apply(data, result)
    again = walk_jp2(io.BytesIO(cleaned), len(cleaned))
    assert again.items == [] and cleaned.endswith(codestream) and again.info["make"] == "Testcam"


def test_jpeg_2000_is_recognised_by_its_signature():
    from digisafe.photos.formats import sniff

    assert sniff(b"\x00\x00\x00\x0cjP  \r\n\x87\n" + b"\x00" * 20) == "jp2"
