"""JPEG XL container: Exif and xml boxes blanked in place; compressed metadata is a doubt."""

from __future__ import annotations

import io

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


def test_brotli_compressed_metadata_is_a_doubt():
    brob = b.box(b"brob", b"Exif" + bytes(range(40)))
    result = walk(b.jxl(brob, codestream=CODESTREAM))
    assert result.doubts and "Brotli" in result.doubts[0] and result.patches == []


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
