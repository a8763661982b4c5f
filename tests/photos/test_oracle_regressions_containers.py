"""Regressions found by comparing with exiftool (bench/photos_oracle.py): containers and formats
beyond plain TIFF/XMP (PSD, embedded JPEGs, trailers, JPEG 2000, PNG, AVI, MRW, X3F, CRW, BigTIFF).
Each builds a small real file at test time."""

from __future__ import annotations

import io
import struct

from digisafe.photos.formats import walk_file
from digisafe.photos.strip import CLEANED, strip_file
from digisafe.photos.xmp import walk_xmp
from tests.photos import photo_build as build
from tests.photos.test_oracle_regressions import _entry, _tiff


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


def test_xmp_gps_without_a_position_is_blanked_but_not_location():
    packet = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description rdf:about="" '
              b'exif:GPSAltitude="20/1" exif:GPSTimeStamp="2020-01-01T10:00Z" exif:GPSVersionID="2.2.0.0"/>'
              b'</rdf:RDF></x:xmpmeta>')
    result = walk_xmp(packet)
    assert result.items == [] and len(result.patches) == 3
    with_place = packet.replace(b'exif:GPSVersionID="2.2.0.0"', b'photoshop:City="Hull"')
    [item] = walk_xmp(with_place).items
    assert item.values["City"] == "Hull"
