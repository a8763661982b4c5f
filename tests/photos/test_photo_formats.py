"""Real files with location, made at test time: found, removed, nothing else changed."""

from __future__ import annotations

import hashlib
from pathlib import Path

import exifread
import pytest
from PIL import Image

from digisafe.photos.formats import walk_path
from digisafe.photos.strip import CLEANED, NO_LOCATION, NOT_CLEANED, strip_file
from tests.photos import photo_build as build


def _gps_tags(path: Path) -> list[str]:
    with open(path, "rb") as f:
        return [k for k in exifread.process_file(f, details=False) if k.startswith("GPS ") and "Version" not in k]


def _diff_ranges(a: bytes, b: bytes) -> list[int]:
    return [i for i, (x, y) in enumerate(zip(a, b)) if x != y]


def _assert_confined(before: bytes, after: bytes, patches) -> None:
    """Every changed byte lies inside a declared patch (same length overall)."""
    assert len(before) == len(after)
    allowed = set()
    for p in patches:
        allowed.update(range(p.offset, p.end))
    assert set(_diff_ranges(before, after)) <= allowed


@pytest.mark.parametrize("maker", ["jpeg", "png", "webp", "webp_prefixed", "tiff", "tiff_be", "tiff_ifd1"])
def test_location_found_then_stripped_losslessly(tmp_path, maker):
    src = {
        "jpeg": lambda p: build.make_jpeg(p.with_suffix(".jpg")),
        "png": lambda p: build.make_png(p.with_suffix(".png")),
        "webp": lambda p: build.make_webp(p.with_suffix(".webp")),
        "webp_prefixed": lambda p: build.make_webp(p.with_suffix(".webp"), exif_prefix=True),
        "tiff": lambda p: build.make_tiff(p.with_suffix(".tif")),
        "tiff_be": lambda p: build.make_tiff(p.with_suffix(".tif"), order=">"),
        "tiff_ifd1": lambda p: build.make_tiff(p.with_suffix(".tif"), gps_in=("ifd0", "ifd1")),
    }[maker](tmp_path / "in")
    before = src.read_bytes()
    mtime = src.stat().st_mtime_ns
    kind, found = walk_path(src)
    coords = [i.values for i in found.items if i.carrier == "exif-gps"]
    assert coords and abs(coords[0]["latitude"] - build.LAT) < 1e-3 and abs(coords[0]["longitude"] - build.LON) < 1e-3
    assert not found.doubts
    out = tmp_path / "out" / src.name
    outcome = strip_file(src, out, hashes=True)
    assert outcome.status == CLEANED, outcome.reason
    after = out.read_bytes()
    _assert_confined(before, after, found.patches)
    assert src.read_bytes() == before and src.stat().st_mtime_ns == mtime  # original untouched
    assert outcome.sha256_before == hashlib.sha256(before).hexdigest()
    assert outcome.sha256_after == hashlib.sha256(after).hexdigest()
    assert walk_path(out)[1].items == []
    assert _gps_tags(out) == []
    with Image.open(out) as im:
        assert im.getexif().get(0x0112) == 6  # orientation kept
        assert 0x8825 not in im.getexif()  # no GPS IFD left at all, as after exiftool -gps:all=
        im.load()
    with Image.open(src) as a, Image.open(out) as b:
        assert a.tobytes() == b.tobytes()


def test_jpeg_scan_data_identical_and_all_carriers_removed(tmp_path):
    src = build.make_jpeg(tmp_path / "a.jpg")
    found = walk_path(src)[1]
    assert {i.carrier for i in found.items} == {"exif-gps", "xmp", "iptc"}
    values = {k: v for i in found.items for k, v in i.values.items()}
    assert values["City"] == "Leeds" and values["city"] == "Leeds" and values["country"] == "United Kingdom"
    out = tmp_path / "b.jpg"
    assert strip_file(src, out).status == CLEANED
    before, after = src.read_bytes(), out.read_bytes()
    assert build.jpeg_scan(before) == build.jpeg_scan(after)
    assert b"Leeds" not in after and b"GPSLatitude" not in after and b"United Kingdom" not in after
    assert b"Kept title" in after and b"Holiday" in after and b"Title kept" in after and b"Caption" in after
    assert b"Park Row" not in after


def test_iptc_digest_refreshed(tmp_path):
    src = build.make_jpeg(tmp_path / "a.jpg", xmp=False)
    out = tmp_path / "b.jpg"
    assert strip_file(src, out).status == CLEANED
    data = out.read_bytes()
    start = data.index(b"8BIM\x04\x04") + 12
    size = int.from_bytes(data[start - 4:start], "big")
    iptc = data[start:start + size]
    digest_at = data.index(b"8BIM\x04\x25") + 12
    assert data[digest_at:digest_at + 16] == hashlib.md5(iptc).digest()  # noqa: S324
    assert b"\x1c\x02\x5a" not in iptc and b"Title kept" in iptc


def test_photo_without_location_is_copied_unchanged(tmp_path):
    src = build.make_jpeg(tmp_path / "a.jpg", gps=False, xmp=False, iptc=False)
    out = tmp_path / "o" / "a.jpg"
    outcome = strip_file(src, out)
    assert outcome.status == NO_LOCATION
    assert out.read_bytes() == src.read_bytes()


def test_dry_run_writes_nothing(tmp_path):
    src = build.make_jpeg(tmp_path / "a.jpg")
    outcome = strip_file(src, tmp_path / "o" / "a.jpg", dry_run=True)
    assert outcome.status == "would clean" and not (tmp_path / "o").exists()


def test_png_raw_profile_chunk_is_cut_and_crcs_valid(tmp_path):
    import binascii
    import struct
    import zlib

    from PIL import PngImagePlugin

    tiff = build.exif().tobytes()
    hexed = binascii.hexlify(tiff).decode()
    text = f"\nexif\n{len(tiff):8d}\n" + "\n".join(hexed[i:i + 72] for i in range(0, len(hexed), 72)) + "\n"
    info = PngImagePlugin.PngInfo()
    info.add_text("Raw profile type exif", text, zip=True)
    info.add_text("Comment", "kept")
    src = tmp_path / "raw.png"
    build.image().save(src, "PNG", pnginfo=info)
    found = walk_path(src)[1]
    assert found.items and found.cuts
    out = tmp_path / "clean.png"
    assert strip_file(src, out).status == CLEANED
    data = out.read_bytes()
    pos = 8
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        stored = struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])[0]
        assert zlib.crc32(data[pos + 4:pos + 8 + n]) & 0xFFFFFFFF == stored, kind
        pos += 12 + n
    with Image.open(out) as im:
        assert im.text.get("Comment") == "kept" and "Raw profile type exif" not in im.text
        with Image.open(src) as orig:
            assert im.tobytes() == orig.tobytes()


def test_gif_xmp_is_blanked(tmp_path):
    import io

    buf = io.BytesIO()
    build.image((16, 16)).convert("P").save(buf, "GIF")
    gif = buf.getvalue()
    magic = bytes([1]) + bytes(range(255, 0, -1)) + b"\0\0"  # the 258-byte XMP "magic trailer"
    ext = b"\x21\xff\x0bXMP DataXMP" + build.XMP + magic
    src = tmp_path / "a.gif"
    src.write_bytes(gif[:-1] + ext + gif[-1:])
    assert walk_path(src)[1].items
    out = tmp_path / "b.gif"
    assert strip_file(src, out).status == CLEANED
    assert b"Leeds" not in out.read_bytes()
    with Image.open(out) as im:
        im.load()


def test_doubt_means_not_cleaned_and_nothing_written(tmp_path):
    src = build.make_jpeg(tmp_path / "a.jpg")
    data = src.read_bytes()
    cut = data.index(b"\xff\xed")  # truncate in the middle of the APP13 segment
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(data[:cut + 10])
    outcome = strip_file(bad, tmp_path / "o" / "bad.jpg")
    assert outcome.status == NOT_CLEANED and outcome.reason
    assert not (tmp_path / "o" / "bad.jpg").exists()
    assert not list((tmp_path / "o").glob("*")) if (tmp_path / "o").exists() else True


def test_png_compressed_xmp_is_cut_and_plain_xmp_blanked(tmp_path):
    from PIL import PngImagePlugin

    for compressed in (True, False):
        info = PngImagePlugin.PngInfo()
        info.add_itxt("XML:com.adobe.xmp", build.XMP.decode("utf-8"), zip=compressed)
        src = tmp_path / f"x{compressed}.png"
        build.image().save(src, "PNG", pnginfo=info)
        found = walk_path(src)[1]
        assert found.items and bool(found.cuts) == compressed
        out = tmp_path / f"o{compressed}.png"
        assert strip_file(src, out).status == CLEANED
        assert walk_path(out)[1].items == []
        with Image.open(out) as im, Image.open(src) as orig:
            assert im.tobytes() == orig.tobytes()


def test_xmp_sidecar_file(tmp_path):
    src = tmp_path / "IMG_0001.xmp"
    src.write_bytes(build.XMP)
    kind, found = walk_path(src)
    assert kind == "xmp" and found.items
    out = tmp_path / "o" / "IMG_0001.xmp"
    assert strip_file(src, out).status == CLEANED
    assert b"Leeds" not in out.read_bytes() and b"Kept title" in out.read_bytes()
