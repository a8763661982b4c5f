"""QuickTime/MP4/3GP location: found with the right coordinates, neutralised in place, samples intact."""

from __future__ import annotations

import hashlib
import io
import struct

import pytest

from digisafe.photos.isobmff import walk_isobmff
from digisafe.photos.quicktime import parse_iso6709
from digisafe.photos.types import NotAPhoto, PhotoError
from tests.photos import isobmff_build as b

VIDEO = bytes(range(256)) * 40  # stands in for the compressed video samples


def walk(data: bytes):
    return walk_isobmff(io.BytesIO(data), len(data))


def apply(data: bytes, result) -> bytes:
    out = bytearray(data)
    for p in result.patches:
        assert 0 <= p.offset and p.end <= len(out)
        out[p.offset:p.end] = p.data
    assert len(out) == len(data)
    return bytes(out)


def mdat_hash(data: bytes) -> str:
    at = data.index(b"mdat") - 4
    (size,) = struct.unpack(">I", data[at:at + 4])
    if size == 0:
        size = len(data) - at
    elif size == 1:
        (size,) = struct.unpack(">Q", data[at + 8:at + 16])
    return hashlib.sha256(data[at:at + size]).hexdigest()


def strip_and_check(data: bytes):
    """Walk, patch, re-walk: returns (first result, cleaned bytes) after the common assertions."""
    first = walk(data)
    assert first.items and not first.doubts
    cleaned = apply(data, first)
    again = walk(cleaned)
    assert again.items == [] and again.patches == [] and again.doubts == []
    assert mdat_hash(cleaned) == mdat_hash(data)
    return first, cleaned


def test_mp4_xyz_found_and_retyped_to_free():
    data = b.movie(b"mp42", VIDEO, udta=b.udta_text(b"\xa9mak", "Samsung") + b.xyz("+51.5074-000.1278/"))
    result, cleaned = strip_and_check(data)
    [item] = result.items
    assert item.carrier == "quicktime" and item.where == "moov/udta/©xyz"
    assert item.values == {"latitude": 51.5074, "longitude": -0.1278}
    assert result.info["make"] == "Samsung" and walk(cleaned).info["make"] == "Samsung"
    assert b"+51.5074" not in cleaned and b"free" in cleaned
    # Only the ©xyz atom's bytes (minus its size field) changed.
    at = data.index(b"\xa9xyz") - 4
    changed = [i for i in range(len(data)) if data[i] != cleaned[i]]
    assert changed and min(changed) >= at + 4 and max(changed) < at + 4 + 4 + 4 + len("+51.5074-000.1278/") + 4


def test_mov_iso6709_key_with_altitude_and_other_keys_kept():
    meta = b.keys_meta([("com.apple.quicktime.make", "Apple"),
                        ("com.apple.quicktime.location.ISO6709", "+32.0929+034.8620+028.516/"),
                        ("com.apple.quicktime.location.name", "Home"),
                        ("com.apple.quicktime.creationdate", "2019-07-24T11:25:40+0300")])
    data = b.movie(b"qt  ", VIDEO, extra_moov=meta)
    result, cleaned = strip_and_check(data)
    values = {i.where.rsplit("/", 1)[-1]: dict(i.values) for i in result.items}
    assert values["com.apple.quicktime.location.ISO6709"] == {"latitude": 32.0929, "longitude": 34.862,
                                                               "altitude": 28.52}
    assert values["com.apple.quicktime.location.name"] == {"name": "Home"}
    assert b"+32.0929" not in cleaned and b"Home" not in cleaned
    info = walk(cleaned).info
    assert info["make"] == "Apple" and info["date_taken"].startswith("2019-07-24")


def test_iso_full_meta_in_udta_and_3gp_loci():
    udta = b.loci("Leeds", 53.8008, -1.5491, 60.0) + b.keys_meta(
        [("com.apple.quicktime.location.ISO6709", "+53.8008-001.5491/")], iso_full=True)
    data = b.movie(b"3gp6", VIDEO, udta=udta)
    result, cleaned = strip_and_check(data)
    loc = next(i for i in result.items if i.where.endswith("loci"))
    assert loc.values["place"] == "Leeds"
    assert loc.values["latitude"] == pytest.approx(53.8008, abs=1e-4)
    assert loc.values["longitude"] == pytest.approx(-1.5491, abs=1e-4)
    assert len(result.items) == 2 and b"Leeds" not in cleaned


def test_xmp_uuid_blanks_only_location_properties():
    packet = b.xmp_packet('exif:GPSLatitude="51,30.444N" exif:GPSLongitude="0,7.668W" '
                          'xmp:CreateDate="2024-01-02T03:04:05"')
    data = b.movie(b"mp42", VIDEO, udta=b.box(b"XMP_", packet), top_extra=b.xmp_uuid(packet))
    result, cleaned = strip_and_check(data)
    assert len(result.items) == 2
    for item in result.items:
        assert item.carrier == "xmp"
        assert item.values["latitude"] == pytest.approx(51.5074, abs=1e-4)
        assert item.values["longitude"] == pytest.approx(-0.1278, abs=1e-4)
    assert b"GPSLatitude" not in cleaned and cleaned.count(b"2024-01-02T03:04:05") == 2


def test_largesize_mdat_moov_first_and_size_zero_last_box():
    large = b.movie(b"mp42", VIDEO, udta=b.xyz("+10.0000+020.0000/"), large_mdat=True)
    assert struct.unpack(">I", large[large.index(b"mdat") - 4:large.index(b"mdat")])[0] == 1
    result, _ = strip_and_check(large)
    assert result.items[0].values == {"latitude": 10.0, "longitude": 20.0}
    # moov first, then an mdat whose size is 0 ("to the end of the file"), as streaming writers do.
    data = b.movie(b"mp42", VIDEO, udta=b.xyz("+10.0000+020.0000/"), moov_first=True)
    at = data.rindex(b"mdat") - 4
    strip_and_check(data[:at] + bytes(4) + data[at + 4:])


@pytest.mark.parametrize("text, expected", [
    ("+51.5074-000.1278/", {"latitude": 51.5074, "longitude": -0.1278}),
    ("-33.8688+151.2093+012.5/", {"latitude": -33.8688, "longitude": 151.2093, "altitude": 12.5}),
    ("+4030-07400/", {"latitude": 40.5, "longitude": -74.0}),
    ("+403000.0-0740000.0/", {"latitude": 40.5, "longitude": -74.0}),
    ("+51.5074-000.1278+011.000CRSWGS_84/", {"latitude": 51.5074, "longitude": -0.1278, "altitude": 11.0}),
])
def test_iso6709_forms(text, expected):
    assert parse_iso6709(text) == expected


def test_no_location_means_no_patches_and_not_a_video_is_refused():
    data = b.movie(b"mp42", VIDEO, udta=b.udta_text(b"\xa9mak", "Canon"))
    result = walk(data)
    assert result.items == [] and result.patches == [] and result.doubts == []
    with pytest.raises(NotAPhoto):
        walk(b"GIF89a" + bytes(40))


def test_truncated_moov_is_an_error_or_a_doubt_never_clean():
    data = b.movie(b"mp42", VIDEO, udta=b.xyz("+51.5074-000.1278/"))
    for cut in range(len(data) - 1, len(data) - 400, -7):
        try:
            result = walk(data[:cut])
        except PhotoError:
            continue
        assert result.doubts, f"truncated at {cut} looked clean"


def test_box_size_smaller_than_header_is_an_error():
    data = b.movie(b"mp42", VIDEO, udta=b.xyz("+51.5074-000.1278/"))
    at = data.index(b"\xa9xyz") - 4
    with pytest.raises(PhotoError):
        walk(data[:at] + struct.pack(">I", 3) + data[at + 4:])


def test_vendor_udta_atom_holding_coordinates_is_blanked():
    data = b.movie(b"mp42", VIDEO, udta=b.box(b"Xgps", b"\0\0v1:+48.8584+002.2945/ acc=5"))
    result, cleaned = strip_and_check(data)
    assert result.items[0].values["latitude"] == 48.8584 and result.items[0].values["longitude"] == 2.2945
    assert b"48.8584" not in cleaned


def test_compressed_movie_header_is_a_doubt():
    data = b.movie(b"qt  ", VIDEO, extra_moov=b.box(b"cmov", bytes(16)))
    assert walk(data).doubts


def test_top_level_meta_with_keys_and_fragmented_gps_track():
    for iso_full in (True, False):
        meta = b.keys_meta([("com.apple.quicktime.location.ISO6709", "+01.0000+002.0000/")], iso_full=iso_full)
        strip_and_check(b.movie(b"mp42", VIDEO, top_extra=meta))
    from tests.photos.test_video_timed import gps_samples

    fragmented = b.movie(b"mp42", VIDEO, gps_track=(b"gpmd", gps_samples(b"gpmd"))) + b.box(b"moof", bytes(8))
    assert any("fragment" in d for d in walk(fragmented).doubts)


def test_quicktime_meta_whose_first_child_is_not_hdlr():
    meta = b.keys_meta([("com.apple.quicktime.location.ISO6709", "+01.5000+002.5000/")])
    body = meta[8:]
    hdlr_len = struct.unpack(">I", body[:4])[0]
    reordered = b.box(b"meta", body[hdlr_len:] + body[:hdlr_len])  # keys, ilst, then hdlr
    result, _ = strip_and_check(b.movie(b"qt  ", VIDEO, extra_moov=reordered))
    assert result.items[0].values == {"latitude": 1.5, "longitude": 2.5}


def test_video_without_a_movie_header_cannot_be_checked():
    data = b.ftyp(b"mp42") + b.box(b"mdat", VIDEO)
    assert any("moov" in d for d in walk(data).doubts)


def test_vendor_atoms_with_embedded_exif_or_jpeg_thumbnail():
    from PIL import Image

    from tests.photos.test_isobmff import gps_exif

    thumb = io.BytesIO()
    Image.new("RGB", (8, 8)).save(thumb, format="JPEG", exif=gps_exif())
    udta = b.box(b"RMKN", b"\0\0" + b.gps_tiff(35.0, 139.0)) + b.box(b"CNTH", b.box(b"CNDA", thumb.getvalue()))
    udta += b.box(b"XNOI", b"II*\x00 not really a TIFF" + bytes(40))  # a coincidence: ignored
    data = b.movie(b"qt  ", VIDEO, udta=udta)
    result, cleaned = strip_and_check(data)
    assert len(result.items) == 2 and {i.carrier for i in result.items} == {"exif-gps"}
    assert result.items[0].values["latitude"] == pytest.approx(35.0, abs=1e-3)
    start = cleaned.index(b"\xff\xd8\xff")
    assert Image.open(io.BytesIO(cleaned[start:start + len(thumb.getvalue())])).getexif()[0x0112] == 6


def test_xml_box_in_iso_meta():
    from tests.photos.test_isobmff import XMP

    hdlr = b.full(b"hdlr", b"\0" * 4 + b"mp7t" + b"\0" * 13)
    xmp_meta = b.full(b"meta", hdlr + b.full(b"xml ", XMP.encode()))
    result, cleaned = strip_and_check(b.movie(b"mp42", VIDEO, top_extra=xmp_meta))
    assert result.items[0].values["City"] == "London" and b"London" not in cleaned
    sony = b.full(b"meta", hdlr + b.full(b"xml ", b'<NonRealTimeMeta><Item name="GpsLatitude" value="51.5"/>'))
    assert walk(b.movie(b"mp42", VIDEO, top_extra=sony)).doubts
    plain = b.full(b"meta", hdlr + b.full(b"xml ", b'<NonRealTimeMeta><Duration value="300"/>'))
    assert walk(b.movie(b"mp42", VIDEO, top_extra=plain)).doubts == []
