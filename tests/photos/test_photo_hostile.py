"""Hostile and broken files: a per-file result or a clean PhotoError, never a crash or a hang.
Hypothesis mutates real files for every walker; crashing inputs found are kept as regressions."""

from __future__ import annotations

import io
import struct

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digisafe.photos.formats import walk_file, walk_path
from digisafe.photos.iptc import walk_iptc, walk_irb
from digisafe.photos.jsonloc import walk_json_location
from digisafe.photos.strip import NO_LOCATION, NOT_CLEANED, strip_file
from digisafe.photos.tiff import walk_tiff
from digisafe.photos.types import PhotoError, WalkResult
from digisafe.photos.xmp import walk_xmp
from tests.photos import photo_build as build


def walk_bytes(data: bytes) -> WalkResult | None:
    try:
        return walk_file(io.BytesIO(data), len(data))[1]
    except PhotoError:
        return None


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    d = tmp_path_factory.mktemp("seeds")
    return {
        "jpeg": build.make_jpeg(d / "a.jpg").read_bytes(),
        "png": build.make_png(d / "a.png").read_bytes(),
        "webp": build.make_webp(d / "a.webp").read_bytes(),
        "tiff": build.make_tiff(d / "a.tif", gps_in=("ifd0", "ifd1")).read_bytes(),
        "gif": _gif_with_xmp(),
        "png_text": _png_with_text(d / "t.png"),
    }


def _gif_with_xmp() -> bytes:
    buf = io.BytesIO()
    build.image((8, 8)).convert("P").save(buf, "GIF")
    gif = buf.getvalue()
    magic = bytes([1]) + bytes(range(255, 0, -1)) + b"\0\0"
    return gif[:-1] + b"\x21\xff\x0bXMP DataXMP" + build.XMP + magic + gif[-1:]


def _png_with_text(path) -> bytes:
    import binascii

    from PIL import PngImagePlugin

    tiff = build.exif().tobytes()
    hexed = binascii.hexlify(tiff).decode()
    info = PngImagePlugin.PngInfo()
    info.add_text("Raw profile type exif", f"\nexif\n{len(tiff):8d}\n{hexed}\n", zip=True)
    info.add_itxt("XML:com.adobe.xmp", build.XMP.decode("utf-8"))
    build.image((8, 8)).save(path, "PNG", pnginfo=info)
    return path.read_bytes()


def test_ifd_loop_terminates_and_still_strips(tmp_path):
    src = build.make_tiff(tmp_path / "loop.tif", loop=True, gps_in=("ifd1",))
    result = walk_path(src)[1]
    assert len([i for i in result.items if i.carrier == "exif-gps"]) == 1
    assert strip_file(src, tmp_path / "o.tif").status == "cleaned"


def test_gps_pointer_out_of_range_is_unlinked_not_a_doubt(tmp_path):
    # Nothing sits at the GPS pointer (no reader, exiftool included, sees a location there): the
    # pointer is removed from IFD0 and the file is cleanly copied, not refused.
    data = bytearray(build.make_tiff(tmp_path / "a.tif").read_bytes())
    at = data.index(struct.pack("<HHI", 0x8825, 4, 1))
    data[at + 8:at + 12] = struct.pack("<I", 10**9)
    result = walk_bytes(bytes(data))
    assert result is not None and not result.doubts and not result.items
    bad = tmp_path / "bad.tif"
    bad.write_bytes(bytes(data))
    outcome = strip_file(bad, tmp_path / "o.tif")
    assert outcome.status == NO_LOCATION, outcome.reason
    assert struct.pack("<HHI", 0x8825, 4, 1) not in (tmp_path / "o.tif").read_bytes()


def test_truncated_thumbnail_ifd_keeps_the_entries_that_fit(tmp_path):
    # IFD1 (here holding the GPS pointer) is cut by the end of the block: the entries that fit are
    # read, so its GPS IFD is still found and blanked, and the file is not refused.
    def entry(tag: int, typ: int, count: int, value: int) -> bytes:
        return struct.pack("<HHII", tag, typ, count, value)

    ifd1_at, gps_at, rat_at = 68, 26, 44
    data = b"II*\x00" + struct.pack("<I", 8)
    data += struct.pack("<H", 1) + entry(0x0100, 4, 1, 8) + struct.pack("<I", ifd1_at)
    data += struct.pack("<H", 1) + entry(2, 5, 3, rat_at) + bytes(4)
    data += struct.pack("<6I", 53, 1, 48, 1, 0, 1)
    assert len(data) == ifd1_at
    data += struct.pack("<H", 5) + entry(0x0100, 4, 1, 8) + entry(0x8825, 4, 1, gps_at)  # 3 entries missing
    result = walk_bytes(data)
    assert result is not None and not result.doubts and result.items


def test_huge_entry_count_is_a_doubt(tmp_path):
    data = bytearray(build.make_tiff(tmp_path / "a.tif").read_bytes())
    data[8:10] = struct.pack("<H", 0xFFFF)
    result = walk_bytes(bytes(data))
    assert result is not None and result.doubts


def test_huge_value_counts_do_not_allocate(tmp_path):
    data = bytearray(build.make_tiff(tmp_path / "a.tif").read_bytes())
    gps_at = data.index(struct.pack("<HHI", 2, 5, 3))
    data[gps_at + 4:gps_at + 8] = struct.pack("<I", 0x7FFFFFFF)
    result = walk_bytes(bytes(data))
    assert result is None or result.doubts or result.items


def test_junk_between_jpeg_segments_is_skipped(tmp_path):
    data = build.make_jpeg(tmp_path / "a.jpg").read_bytes()
    app1 = data.index(b"\xff\xe1")
    junked = data[:app1] + b"\x00\x13\x37junk" + data[app1:]
    result = walk_bytes(junked)
    assert result is not None and any(i.carrier == "exif-gps" for i in result.items)


@pytest.mark.parametrize("cut", [3, 20, 200, 600])
def test_truncated_jpeg_is_not_cleaned(tmp_path, cut):
    data = build.make_jpeg(tmp_path / "a.jpg").read_bytes()[:cut]
    bad = tmp_path / "t.jpg"
    bad.write_bytes(data)
    outcome = strip_file(bad, tmp_path / "o" / "t.jpg")
    assert outcome.status == NOT_CLEANED and outcome.reason
    assert not (tmp_path / "o" / "t.jpg").exists()


@pytest.mark.parametrize("data", [b"", b"hello world", b"\x89PNG\r\n\x1a\n", b"RIFF\xff\xff\xff\xffWEBP",
                                  b"GIF89a", b"II*\x00\x08\x00\x00\x00", b"MM\x00*\xff\xff\xff\xff"])
def test_tiny_and_non_images(data):
    result = walk_bytes(data)
    assert result is None or (not result.items and not result.patches)  # nothing invented, nothing to write


# Regressions found by the fuzzers below (kept forever).
REGRESSIONS = [
    b"\xff\xd8\xff\xe1\x00\x08Exif\x00\x00",
    b"II*\x00\x08\x00\x00\x00\x01\x00%\x88\x04\x00\x01\x00\x00\x00\x08\x00\x00\x00\x00\x00\x00\x00",
]


@pytest.mark.parametrize("data", REGRESSIONS)
def test_regressions(data):
    walk_bytes(data)


def test_regression_truncated_gps_ifd_next_pointer(tmp_path):
    # found by hypothesis: a TIFF cut inside the GPS IFD's next-IFD pointer gave a patch past the end
    data = build.make_tiff(tmp_path / "a.tif", gps_in=("ifd0", "ifd1")).read_bytes()[:262]
    result = walk_bytes(data)
    assert result is not None
    assert all(p.end <= len(data) for p in result.patches)


def _mutate(seed: bytes, edits: list[tuple[int, int]], cut: int | None) -> bytes:
    buf = bytearray(seed)
    for pos, value in edits:
        buf[pos % len(buf)] = value
    return bytes(buf[:cut] if cut else buf)


EDITS = st.lists(st.tuples(st.integers(0, 1 << 16), st.integers(0, 255)), max_size=12)
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.mark.parametrize("kind", ["jpeg", "png", "webp", "tiff", "gif", "png_text"])
@FUZZ
@given(edits=EDITS, cut=st.one_of(st.none(), st.integers(1, 4000)))
def test_fuzz_container_walkers(seeds, kind, edits, cut):
    data = _mutate(seeds[kind], edits, cut)
    result = walk_bytes(data)
    if result is not None:
        for p in result.patches:
            assert 0 <= p.offset and p.end <= len(data)


@FUZZ
@given(edits=EDITS, cut=st.one_of(st.none(), st.integers(1, 400)))
def test_fuzz_payload_walkers(seeds, edits, cut):
    tiff = build.exif().tobytes()[6:]
    for walker, seed in ((walk_tiff, tiff), (walk_xmp, build.XMP), (walk_iptc, build.iptc_block()),
                         (walk_irb, build.photoshop_app13(build.iptc_block())[18:]),
                         (lambda d, b: walk_json_location(d, b, "C2PA"), b'{"a": 1, "location": "Leeds, UK"}')):
        data = _mutate(seed, edits, cut)
        try:
            result = walker(data, 100)
        except PhotoError:
            continue
        for p in result.patches:
            assert 100 <= p.offset and p.end <= 100 + len(data)


@settings(max_examples=80, deadline=None)
@given(st.binary(max_size=600))
def test_fuzz_random_bytes_behind_magic(tail):
    for magic in (b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"\x89PNG\r\n\x1a\n", b"RIFF\x00\x01\x00\x00WEBP",
                  b"GIF89a"):
        walk_bytes(magic + tail)


def test_fuzz_seeds_carry_location(seeds):
    for kind, data in seeds.items():
        result = walk_bytes(data)
        assert result is not None and result.items and not result.doubts, kind


def test_gps_ifd_pointing_into_the_header_is_a_doubt(tmp_path):
    data = bytearray(build.make_tiff(tmp_path / "a.tif").read_bytes())
    at = data.index(struct.pack("<HHI", 0x8825, 4, 1))
    data[at + 8:at + 12] = struct.pack("<I", 4)  # GPS IFD "at" the header's IFD0 pointer
    result = walk_bytes(bytes(data))
    assert result is None or result.doubts


def test_deeply_nested_sub_ifds_do_not_recurse_forever():
    # IFD k at 8 + 18 * k holds one SubIFDs entry pointing at IFD k + 1 (1000 deep)
    parts = [b"II*\x00" + struct.pack("<I", 8)]
    for k in range(1000):
        parts.append(struct.pack("<H", 1) + struct.pack("<HHII", 0x014A, 4, 1, 8 + 18 * (k + 1)) + bytes(4))
    result = walk_bytes(b"".join(parts))
    assert result is not None and result.doubts
