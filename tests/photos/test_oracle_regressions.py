"""Regressions found by comparing with exiftool (bench/photos_oracle.py) and reported by colleagues.
Each builds a small real file at test time."""

from __future__ import annotations

import io
import struct

from digisafe.photos.formats import walk_file
from digisafe.photos.strip import CLEANED, NO_LOCATION, strip_file
from digisafe.photos.tiff import walk_tiff
from digisafe.photos.xmp import walk_xmp
from tests.photos import photo_build as build


def _entry(tag: int, typ: int, count: int, value: bytes) -> bytes:
    return struct.pack("<HHI", tag, typ, count) + value.ljust(4, b"\0")


def _tiff(ifd0: list[bytes], tail: bytes, tail_at: int | None = None) -> bytes:
    """Little-endian TIFF: header, IFD0 at 8 (the given entries), then ``tail``."""
    table = struct.pack("<H", len(ifd0)) + b"".join(ifd0) + bytes(4)
    data = b"II*\x00" + struct.pack("<I", 8) + table
    assert tail_at is None or tail_at == len(data)
    return data + tail


def _gps_ifd(entries: list[bytes]) -> bytes:
    return struct.pack("<H", len(entries)) + b"".join(entries) + bytes(4)


def test_gps_ifd_without_a_position_is_not_location_but_is_blanked(tmp_path):
    # Like Motorola phones: GPSVersionID + GPSMapDatum only; exiftool shows no position.
    gps_at = 8 + 2 + 12 + 4
    gps = _gps_ifd([_entry(0, 1, 4, b"\x02\x02\0\0"), _entry(18, 2, 4, b"WGS\0")])
    data = _tiff([_entry(0x8825, 4, 1, struct.pack("<I", gps_at))], gps, gps_at)
    result = walk_tiff(data)
    assert result.items == [] and result.doubts == [] and result.patches


def test_zero_denominator_coordinates_are_not_a_position():
    # Like InfiRay/phone placeholders: GPSLatitude 0/0 0/0 0/0 must not read as 0 degrees.
    gps_at = 8 + 2 + 12 + 4
    rat_at = gps_at + 2 + 2 * 12 + 4
    gps = _gps_ifd([_entry(2, 5, 3, struct.pack("<I", rat_at)), _entry(4, 5, 3, struct.pack("<I", rat_at + 24))])
    data = _tiff([_entry(0x8825, 4, 1, struct.pack("<I", gps_at))], gps + bytes(48), gps_at)
    assert walk_tiff(data).items == []
    # ... while a real 0/1 (null island) is still a position, as exiftool shows it
    zero = struct.pack("<6I", 0, 1, 0, 1, 0, 1)
    data = _tiff([_entry(0x8825, 4, 1, struct.pack("<I", gps_at))], gps + zero + zero, gps_at)
    [item] = walk_tiff(data).items
    assert item.values["latitude"] == 0.0


def test_empty_gps_jpeg_is_no_location_and_output_has_no_gps(tmp_path):
    from PIL import Image

    ex = Image.Exif()
    ex[0x0112] = 3
    ex.get_ifd(0x8825)[0] = b"\x02\x02\x00\x00"
    ex.get_ifd(0x8825)[18] = "WGS-84"
    src = tmp_path / "empty_gps.jpg"
    build.image().save(src, exif=ex)
    outcome = strip_file(src, tmp_path / "out.jpg")
    assert outcome.status == NO_LOCATION, outcome.reason
    with Image.open(tmp_path / "out.jpg") as im:
        assert im.getexif().get(0x0112) == 3


def test_tiff_xmp_block_overlapping_the_ifd_table_is_a_doubt():
    # Hostile: the XMP tag's value starts inside IFD0's own table (its entries 2-3 are XMP text);
    # blanking the GPS attribute there would rewrite IFD0, so the walk must fail closed.
    packet = b'<x:xmpmeta exif:GPSLatitude="1,2N"/>'
    xmp_at = 8 + 2 + 12
    table = struct.pack("<H", 3) + _entry(0x02BC, 1, len(packet), struct.pack("<I", xmp_at))
    data = b"II*\x00" + struct.pack("<I", 8) + table + packet
    assert len(data) > 8 + 2 + 3 * 12 + 4
    result = walk_tiff(data)
    assert result.items, "the XMP block is walked"
    assert any("overlaps" in d for d in result.doubts)


def test_tiff_overlapping_ifd_tables_with_gps_is_a_doubt():
    # Hostile: the Exif IFD table lies inside IFD0's table; rewriting IFD0 (to unlink GPS) would
    # change the Exif IFD too.
    gps_at = 100
    exif_at = 8 + 2 + 12 - 2  # its count is the last two (zero) bytes of IFD0's first entry
    ifd0 = [_entry(0x8825, 4, 1, struct.pack("<I", gps_at)), _entry(0x8769, 4, 1, struct.pack("<I", exif_at))]
    data = _tiff(ifd0, b"")
    rat_at = gps_at + 2 + 12 + 4
    gps = _gps_ifd([_entry(2, 5, 3, struct.pack("<I", rat_at))]) + struct.pack("<6I", 1, 1, 2, 1, 3, 1)
    data = data.ljust(gps_at, b"\0") + gps
    result = walk_tiff(data)
    assert result.items
    assert any("overlaps" in d for d in result.doubts)


def test_well_formed_tiff_has_no_overlap_doubt(tmp_path):
    data = build.make_tiff(tmp_path / "a.tif", gps_in=("ifd0", "ifd1")).read_bytes()
    result = walk_file(io.BytesIO(data), len(data))[1]
    assert result.items and result.doubts == []


def test_xmp_attribute_directly_after_a_quote_is_found_on_the_first_walk():
    packet = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description rdf:about=""'
              b'exif:GPSLatitude="53,48.048N"'
              b"exif:GPSLongitude='1,32.946W' dc:format=\"image/jpeg\"/></rdf:RDF></x:xmpmeta>")
    first = walk_xmp(packet)
    assert first.items and first.items[0].values["latitude"] > 53
    assert first.items[0].values["longitude"] < -1
    cleaned = bytearray(packet)
    for p in first.patches:
        cleaned[p.offset:p.end] = p.data
    assert b"GPS" not in cleaned and b'dc:format="image/jpeg"' in cleaned and len(cleaned) == len(packet)
    assert walk_xmp(bytes(cleaned)).items == []


def test_xmp_attribute_after_a_quote_strips_cleanly(tmp_path):
    from PIL import Image

    xmp = build.XMP.replace(b'rdf:about="" ', b'rdf:about=""')
    xmp = xmp.replace(b' exif:GPSLatitude', b'exif:GPSLatitude').replace(b'N" exif:', b'N"exif:')
    src = tmp_path / "tight.jpg"
    build.image().save(src, exif=build.exif(), xmp=xmp)
    assert Image.open(src).info.get("xmp") == xmp
    outcome = strip_file(src, tmp_path / "out.jpg")
    assert outcome.status == CLEANED, outcome.reason
    assert b"GPSLatitude" not in (tmp_path / "out.jpg").read_bytes()


def test_tiff_cut_off_after_its_header_is_unreadable_not_clean(tmp_path):
    from digisafe.photos.scan import UNREADABLE, scan_file

    src = tmp_path / "cut.tif"
    src.write_bytes(b"II*\x00" + struct.pack("<I", 5000) + bytes(20))
    record = scan_file(src, named=True)
    assert record.status == UNREADABLE and "first IFD" in record.error
    assert strip_file(src, tmp_path / "out.tif").status != CLEANED
    assert not (tmp_path / "out.tif").exists()
