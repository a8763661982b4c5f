"""Regressions found by comparing with exiftool (bench/photos_oracle.py) and reported by colleagues.
Each builds a small real file at test time."""

from __future__ import annotations

import io
import struct

from digisafe.photos.formats import walk_file
from digisafe.photos.strip import CLEANED, NO_LOCATION, strip_file
from digisafe.photos.tiff import walk_tiff
from digisafe.photos.types import PhotoError
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


def _irb(rid: int, payload: bytes) -> bytes:
    return b"8BIM" + struct.pack(">H", rid) + b"\0\0" + struct.pack(">I", len(payload)) + payload + \
        b"\0" * (len(payload) & 1)


def _psd(resources: bytes, width: int = 4, height: int = 2) -> bytes:
    header = b"8BPS" + struct.pack(">H6xHIIHH", 1, 3, height, width, 8, 3)
    pixels = bytes((i * 37) % 256 for i in range(width * height * 3))
    return header + struct.pack(">I", 0) + struct.pack(">I", len(resources)) + resources + \
        struct.pack(">I", 0) + struct.pack(">H", 0) + pixels


def test_psd_iptc_xmp_and_exif_gps_found_and_stripped(tmp_path):
    from PIL import Image

    from tests.photos import isobmff_build

    resources = _irb(0x0404, build.iptc_block(b"Leeds")) + _irb(0x0424, build.XMP) + \
        _irb(0x0422, isobmff_build.gps_tiff(51.5, -0.12))
    src = tmp_path / "a.psd"
    src.write_bytes(_psd(resources))
    result = walk_file(io.BytesIO(src.read_bytes()), src.stat().st_size)[1]
    assert {i.carrier for i in result.items} == {"iptc", "xmp", "exif-gps"} and not result.doubts
    outcome = strip_file(src, tmp_path / "out.psd")
    assert outcome.status == CLEANED, outcome.reason
    out = (tmp_path / "out.psd").read_bytes()
    assert len(out) == src.stat().st_size and b"Leeds" not in out and b"GPSLatitude" not in out
    with Image.open(src) as a, Image.open(tmp_path / "out.psd") as b:
        assert a.tobytes() == b.tobytes()


def _walk(path):
    data = path.read_bytes()
    return walk_file(io.BytesIO(data), len(data))[1]


def test_jpeg_inside_an_undefined_tag_is_walked(tmp_path):
    # Panasonic RW2 keeps the camera's EXIF (GPS included) in a JPEG stored as tag 0x002E's value.
    jpeg_path = build.make_jpeg(tmp_path / "inner.jpg", xmp=False, iptc=False)
    jpeg = jpeg_path.read_bytes()
    blob_at = 8 + 2 + 12 + 4
    data = _tiff([_entry(0x002E, 7, len(jpeg), struct.pack("<I", blob_at))], jpeg, blob_at)
    src = tmp_path / "a.rw2"
    src.write_bytes(data)
    [item] = _walk(src).items
    assert item.carrier == "exif-gps" and "tag 0x002E" in item.where
    outcome = strip_file(src, tmp_path / "out.rw2")
    assert outcome.status == CLEANED, outcome.reason
    out = (tmp_path / "out.rw2").read_bytes()
    assert build.jpeg_scan(out[blob_at:]) == build.jpeg_scan(jpeg) and _walk(tmp_path / "out.rw2").items == []


def test_fotostation_trailer_iptc(tmp_path):
    from PIL import Image

    src = build.make_jpeg(tmp_path / "a.jpg", xmp=False, iptc=False, gps=False)
    iptc = build.iptc_block(b"Harrogate")
    record = iptc + struct.pack(">HI", 1, len(iptc) + 10) + b"\xa1\xb2\xc3\xd4"
    src.write_bytes(src.read_bytes() + record)
    [item] = _walk(src).items
    assert item.carrier == "iptc" and item.values["city"] == "Harrogate" and "FotoStation" in item.where
    outcome = strip_file(src, tmp_path / "out.jpg")
    assert outcome.status == CLEANED, outcome.reason
    out = (tmp_path / "out.jpg").read_bytes()
    assert b"Harrogate" not in out and b"Title kept" in out and len(out) == src.stat().st_size
    with Image.open(tmp_path / "out.jpg") as im:
        im.load()


def test_jpeg2000_iptc_uuid_box(tmp_path):
    from tests.photos import isobmff_build as b

    iptc_uuid = bytes.fromhex("33C7A4D2B81D4723A0BAF1A3E097AD38")
    data = b"\x00\x00\x00\x0cjP  \r\n\x87\n" + b.ftyp(b"jp2 ", b"jp2 ") + \
        b.box(b"uuid", iptc_uuid + build.iptc_block(b"Ripon")) + b.box(b"jp2c", b"\xff\x4f\xff\x51" + bytes(40))
    src = tmp_path / "a.jp2"
    src.write_bytes(data)
    [item] = _walk(src).items
    assert item.values["city"] == "Ripon"
    assert strip_file(src, tmp_path / "o.jp2").status == CLEANED
    assert b"Ripon" not in (tmp_path / "o.jp2").read_bytes()


def test_png_raw_profile_iptc_as_exiftool_writes_it(tmp_path):
    # "Raw profile type iptc" with a two-word name line and the IPTC wrapped in Photoshop resources.
    from PIL import Image, PngImagePlugin

    irb = _irb(0x0404, build.iptc_block(b"Selby"))
    info = PngImagePlugin.PngInfo()
    info.add_text("Raw profile type iptc", f"\nIPTC profile\n{len(irb):8d}\n{irb.hex()}\n", zip=True)
    info.add_text("Comment", "kept")
    src = tmp_path / "a.png"
    build.image().save(src, pnginfo=info)
    [item] = _walk(src).items
    assert item.carrier == "iptc" and item.values["city"] == "Selby"
    assert strip_file(src, tmp_path / "o.png").status == CLEANED
    with Image.open(src) as a, Image.open(tmp_path / "o.png") as o:
        assert a.tobytes() == o.tobytes() and o.text.get("Comment") == "kept"
        assert not any("Raw profile" in k for k in o.text)


def test_fast_exifread_cross_check_sees_what_process_file_sees(tmp_path):
    import exifread

    from digisafe.photos.crosscheck import _exifread_gps_tags, exifread_gps

    files = [build.make_jpeg(tmp_path / "a.jpg"), build.make_tiff(tmp_path / "a.tif", gps_in=("ifd1",)),
             build.make_png(tmp_path / "a.png"), build.make_webp(tmp_path / "a.webp"),
             build.make_jpeg(tmp_path / "b.jpg", gps=False)]
    for path in files:
        with open(path, "rb") as f:
            full = sorted(k for k in exifread.process_file(f, details=False) if k.startswith("GPS "))
            f.seek(0)
            fast = sorted(k for k in _exifread_gps_tags(f) if k.startswith("GPS "))
            assert fast == full, path
            if path.suffix != ".webp":  # (exifread misreads Pillow's WebP EXIF either way)
                assert bool(exifread_gps(f)) == (path.name != "b.jpg"), path


def _chunk(fourcc: bytes, data: bytes) -> bytes:
    return fourcc + struct.pack("<I", len(data)) + data + b"\0" * (len(data) & 1)


def test_avi_exif_in_strd_and_xmp_in_pmx(tmp_path):
    from tests.photos import isobmff_build

    strl = _chunk(b"LIST", b"strl" + _chunk(b"strh", bytes(56)) + _chunk(b"strd", b"AVIF" + bytes(4) +
                                                                          isobmff_build.gps_tiff(51.5, -0.1)))
    movi = _chunk(b"LIST", b"movi" + _chunk(b"00dc", b"\xff\xd8\xff" + bytes(100)))
    body = b"AVI " + _chunk(b"LIST", b"hdrl" + _chunk(b"avih", bytes(56)) + strl) + _chunk(b"_PMX", build.XMP) + movi
    src = tmp_path / "a.avi"
    src.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    result = _walk(src)
    assert {i.carrier for i in result.items} == {"exif-gps", "xmp"} and not result.doubts
    assert strip_file(src, tmp_path / "o.avi").status == CLEANED
    out = (tmp_path / "o.avi").read_bytes()
    assert out.endswith(movi) and _walk(tmp_path / "o.avi").items == [] and b"Leeds" not in out
    # cut inside the media list (as in truncated sample files): still fully checked
    src.write_bytes(src.read_bytes()[:-20])
    assert not _walk(src).doubts


def test_minolta_mrw_ttw_block(tmp_path):
    from tests.photos import isobmff_build

    tiff = isobmff_build.gps_tiff(35.0, 139.0)
    blocks = _chunk(b"\0PRD", bytes(24)).replace(struct.pack("<I", 24), struct.pack(">I", 24))
    ttw = b"\0TTW" + struct.pack(">I", len(tiff)) + tiff
    header = blocks + ttw
    src = tmp_path / "a.mrw"
    src.write_bytes(b"\0MRM" + struct.pack(">I", len(header)) + header + bytes(64))
    [item] = _walk(src).items
    assert item.where.startswith("MRW TTW")
    assert strip_file(src, tmp_path / "o.mrw").status == CLEANED and _walk(tmp_path / "o.mrw").items == []


def test_sigma_x3f_preview_jpeg(tmp_path):
    jpeg = build.make_jpeg(tmp_path / "p.jpg", xmp=False, iptc=False).read_bytes()
    section = b"SECi" + struct.pack("<IIIIII", 0x20000, 2, 18, 8, 8, 0) + jpeg
    sec_at = 40
    data = b"FOVb" + bytes(sec_at - 4) + section
    directory_at = len(data)
    data += b"SECd" + struct.pack("<II", 0x20000, 1) + struct.pack("<II4s", sec_at, len(section), b"IMA2")
    data += struct.pack("<I", directory_at)
    src = tmp_path / "a.x3f"
    src.write_bytes(data)
    [item] = _walk(src).items
    assert "X3F preview" in item.where
    assert strip_file(src, tmp_path / "o.x3f").status == CLEANED and _walk(tmp_path / "o.x3f").items == []


def test_known_but_unread_video_is_unsupported_not_clean(tmp_path):
    from digisafe.photos.scan import UNREADABLE, scan

    folder = tmp_path / "videos"
    folder.mkdir()
    (folder / "clip.mkv").write_bytes(b"\x1a\x45\xdf\xa3" + bytes(60))
    (folder / "notes.txt").write_bytes(b"hello")
    records, complete = scan([folder])
    assert complete and [r.status for r in records if r.path.name == "clip.mkv"] == [UNREADABLE]
    assert strip_file(folder / "clip.mkv", tmp_path / "o.mkv").status == "NOT cleaned"


def _new_container_seeds(tmp_path) -> dict[str, bytes]:
    from tests.photos import isobmff_build

    test_psd_iptc_xmp_and_exif_gps_found_and_stripped(tmp_path)
    seeds = {"psd": (tmp_path / "a.psd").read_bytes()}
    for name, make in (("avi", test_avi_exif_in_strd_and_xmp_in_pmx), ("mrw", test_minolta_mrw_ttw_block),
                       ("x3f", test_sigma_x3f_preview_jpeg)):
        folder = tmp_path / name
        folder.mkdir()
        make(folder)
        seeds[name] = (folder / f"a.{name}").read_bytes()
    seeds["rw2"] = _tiff([_entry(0x002E, 7, 400, struct.pack("<I", 26))],
                         build.make_jpeg(tmp_path / "i.jpg", xmp=False, iptc=False).read_bytes(), 26)
    seeds["bigtiff"] = _bigtiff_with_gps()
    seeds["crw"] = b"II\x1a\x00\x00\x00HEAPCCDR\x02\x00\x01\x00" + bytes(40) + _vrd_trailer(build.XMP)
    seeds["jp2"] = b"\x00\x00\x00\x0cjP  \r\n\x87\n" + isobmff_build.box(
        b"uuid", bytes.fromhex("33C7A4D2B81D4723A0BAF1A3E097AD38") + build.iptc_block())
    return seeds


def test_fuzz_new_container_walkers(tmp_path):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    seeds = _new_container_seeds(tmp_path)

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(kind=st.sampled_from(sorted(seeds)),
           edits=st.lists(st.tuples(st.integers(0, 1 << 16), st.integers(0, 255)), max_size=12),
           cut=st.one_of(st.none(), st.integers(1, 4000)))
    def fuzz(kind, edits, cut):
        buf = bytearray(seeds[kind])
        for pos, value in edits:
            buf[pos % len(buf)] = value
        data = bytes(buf[:cut] if cut else buf)
        try:
            result = walk_file(io.BytesIO(data), len(data))[1]
        except PhotoError:
            return
        assert all(0 <= p.offset and p.end <= len(data) for p in result.patches)

    fuzz()


def test_xmp_gps_without_a_position_is_blanked_but_not_location():
    packet = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description rdf:about="" '
              b'exif:GPSAltitude="20/1" exif:GPSTimeStamp="2020-01-01T10:00Z" exif:GPSVersionID="2.2.0.0"/>'
              b'</rdf:RDF></x:xmpmeta>')
    result = walk_xmp(packet)
    assert result.items == [] and len(result.patches) == 3
    with_place = packet.replace(b'exif:GPSVersionID="2.2.0.0"', b'photoshop:City="Hull"')
    [item] = walk_xmp(with_place).items
    assert item.values["City"] == "Hull"


def _vrd_trailer(xmp: bytes) -> bytes:
    blocks = struct.pack(">II", 0xFFFF00F4, 8) + bytes(8) + struct.pack(">II", 0xFFFF00F6, len(xmp)) + xmp
    header = b"CANON OPTIONAL DATA\0" + b"\0\1\0\0" + struct.pack(">I", len(blocks))
    footer = (b"CANON OPTIONAL DATA\0" + struct.pack(">I", len(blocks))).ljust(64, b"\0")
    return header + blocks + footer


def test_canon_vrd_trailer_xmp_in_crw_and_jpeg(tmp_path):
    crw = b"II\x1a\x00\x00\x00HEAPCCDR\x02\x00\x01\x00" + bytes(200) + _vrd_trailer(build.XMP)
    jpeg = build.make_jpeg(tmp_path / "j.jpg", xmp=False, iptc=False, gps=False).read_bytes() + _vrd_trailer(build.XMP)
    for name, data in (("a.crw", crw), ("b.jpg", jpeg)):
        src = tmp_path / name
        src.write_bytes(data)
        [item] = _walk(src).items
        assert item.carrier == "xmp" and "VRD" in item.where
        out = tmp_path / f"o_{name}"
        assert strip_file(src, out).status == CLEANED
        assert b"Leeds" not in out.read_bytes() and len(out.read_bytes()) == len(data)
    plain = tmp_path / "plain.crw"
    plain.write_bytes(crw[:220])
    assert _walk(plain).items == [] and not _walk(plain).doubts


def _bigtiff_with_gps() -> bytes:
    """II BigTIFF: IFD0 {ImageWidth, ImageLength, GPSInfo (IFD8)} -> GPS IFD {N, lat, E, lon}."""
    def entry(tag: int, typ: int, count: int, value: bytes) -> bytes:
        return struct.pack("<HHQ", tag, typ, count) + value.ljust(8, b"\0")

    ifd0_at = 16
    gps_at = ifd0_at + 8 + 3 * 20 + 8
    rat_at = gps_at + 8 + 4 * 20 + 8
    ifd0 = struct.pack("<Q", 3) + entry(256, 3, 1, struct.pack("<H", 4)) + entry(257, 3, 1, struct.pack("<H", 2)) \
        + entry(0x8825, 18, 1, struct.pack("<Q", gps_at)) + struct.pack("<Q", 0)
    gps = struct.pack("<Q", 4) + entry(1, 2, 2, b"N") + entry(2, 5, 3, struct.pack("<Q", rat_at)) \
        + entry(3, 2, 2, b"E") + entry(4, 5, 3, struct.pack("<Q", rat_at + 24)) + struct.pack("<Q", 0)
    rationals = struct.pack("<6I", 48, 1, 51, 1, 30, 1) + struct.pack("<6I", 2, 1, 21, 1, 0, 1)
    data = b"II+\x00\x08\x00\x00\x00" + struct.pack("<Q", ifd0_at) + ifd0 + gps + rationals
    assert len(data) == rat_at + 48
    return data


def test_bigtiff_gps_found_and_stripped(tmp_path):
    src = tmp_path / "a.btf"
    src.write_bytes(_bigtiff_with_gps())
    result = _walk(src)
    [item] = result.items
    assert not result.doubts and round(item.values["latitude"], 3) == 48.858 and item.values["longitude"] > 2.3
    assert strip_file(src, tmp_path / "o.btf").status == CLEANED
    out = (tmp_path / "o.btf").read_bytes()
    assert len(out) == src.stat().st_size and out[:16] == src.read_bytes()[:16]
    assert _walk(tmp_path / "o.btf").items == [] and not _walk(tmp_path / "o.btf").doubts


def test_empty_place_fields_are_blanked_but_not_location():
    from digisafe.photos.iptc import walk_iptc

    packet = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description rdf:about="" '
              b'photoshop:City="" Iptc4xmpCore:Location=""><photoshop:State></photoshop:State>'
              b'</rdf:Description></rdf:RDF></x:xmpmeta>')
    result = walk_xmp(packet)
    assert result.items == [] and len(result.patches) == 3
    iptc = b"\x1c\x02\x00\x00\x02\x00\x04" + b"\x1c\x02\x5a\x00\x00" + b"\x1c\x02\x05\x00\x04Kept"
    found = walk_iptc(iptc)
    assert found.items == [] and found.patches
