"""Regressions found by comparing with exiftool (bench/photos_oracle.py): raw-photo trailers,
BigTIFF, and XMP fields without a position. Each builds a small real file at test time."""

from __future__ import annotations

import io
import struct

from digisafe.photos.formats import walk_file
from digisafe.photos.strip import CLEANED, strip_file
from digisafe.photos.types import PhotoError
from digisafe.photos.xmp import walk_xmp
from tests.photos import photo_build as build
from tests.photos.test_oracle_regressions import _entry, _tiff
from tests.photos.test_oracle_regressions_containers import (
    _walk,
)
from tests.photos.test_oracle_regressions_containers import (
    test_avi_exif_in_strd_and_xmp_in_pmx as _make_avi_exif_in_strd_and_xmp_in_pmx,
)
from tests.photos.test_oracle_regressions_containers import (
    test_minolta_mrw_ttw_block as _make_minolta_mrw_ttw_block,
)
from tests.photos.test_oracle_regressions_containers import (
    test_psd_iptc_xmp_and_exif_gps_found_and_stripped as _make_psd_iptc_xmp_and_exif_gps_found_and_stripped,
)
from tests.photos.test_oracle_regressions_containers import (
    test_sigma_x3f_preview_jpeg as _make_sigma_x3f_preview_jpeg,
)


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
    ifd0 = (
        struct.pack("<Q", 3)
        + entry(256, 3, 1, struct.pack("<H", 4))
        + entry(257, 3, 1, struct.pack("<H", 2))
        + entry(0x8825, 18, 1, struct.pack("<Q", gps_at))
        + struct.pack("<Q", 0)
    )
    gps = (
        struct.pack("<Q", 4)
        + entry(1, 2, 2, b"N")
        + entry(2, 5, 3, struct.pack("<Q", rat_at))
        + entry(3, 2, 2, b"E")
        + entry(4, 5, 3, struct.pack("<Q", rat_at + 24))
        + struct.pack("<Q", 0)
    )
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

    packet = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description rdf:about="" '
        b'photoshop:City="" Iptc4xmpCore:Location=""><photoshop:State></photoshop:State>'
        b"</rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    result = walk_xmp(packet)
    assert result.items == [] and len(result.patches) == 3
    iptc = b"\x1c\x02\x00\x00\x02\x00\x04" + b"\x1c\x02\x5a\x00\x00" + b"\x1c\x02\x05\x00\x04Kept"
    found = walk_iptc(iptc)
    assert found.items == [] and found.patches


def _new_container_seeds(tmp_path) -> dict[str, bytes]:
    from tests.photos import isobmff_build

    _make_psd_iptc_xmp_and_exif_gps_found_and_stripped(tmp_path)
    seeds = {"psd": (tmp_path / "a.psd").read_bytes()}
    for name, make in (
        ("avi", _make_avi_exif_in_strd_and_xmp_in_pmx),
        ("mrw", _make_minolta_mrw_ttw_block),
        ("x3f", _make_sigma_x3f_preview_jpeg),
    ):
        folder = tmp_path / name
        folder.mkdir()
        make(folder)
        seeds[name] = (folder / f"a.{name}").read_bytes()
    seeds["rw2"] = _tiff(
        [_entry(0x002E, 7, 400, struct.pack("<I", 26))],
        build.make_jpeg(tmp_path / "i.jpg", xmp=False, iptc=False).read_bytes(),
        26,
    )
    seeds["bigtiff"] = _bigtiff_with_gps()
    seeds["crw"] = b"II\x1a\x00\x00\x00HEAPCCDR\x02\x00\x01\x00" + bytes(40) + _vrd_trailer(build.XMP)
    seeds["jp2"] = b"\x00\x00\x00\x0cjP  \r\n\x87\n" + isobmff_build.box(
        b"uuid", bytes.fromhex("33C7A4D2B81D4723A0BAF1A3E097AD38") + build.iptc_block()
    )
    return seeds


def test_fuzz_new_container_walkers(tmp_path):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    seeds = _new_container_seeds(tmp_path)

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        kind=st.sampled_from(sorted(seeds)),
        edits=st.lists(st.tuples(st.integers(0, 1 << 16), st.integers(0, 255)), max_size=12),
        cut=st.one_of(st.none(), st.integers(1, 4000)),
    )
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
