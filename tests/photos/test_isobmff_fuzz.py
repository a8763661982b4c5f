"""Fuzz the ISOBMFF, QuickTime, timed-track, dashcam, JPEG XL and JPEG 2000 walkers with mutated
real files: every input gives a result or a PhotoError, never another exception, a hang or a patch
outside the file; and when a walk has no doubt, its patches clean the copy for good (a re-walk
finds nothing), so strip never writes a copy that then fails verification."""

from __future__ import annotations

import io
import struct

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digisafe.photos.isobmff import walk_isobmff
from digisafe.photos.jxl import JP2_SIGNATURE, walk_jp2, walk_jxl
from digisafe.photos.types import PhotoError, WalkResult
from tests.photos import isobmff_build as b
from tests.photos.test_isobmff import XMP, photo
from tests.photos.test_jxl import CODESTREAM, exif_box
from tests.photos.test_video_dashcam import free_gps, novatek
from tests.photos.test_video_timed import gps_samples

VIDEO = bytes(range(256)) * 4


def _seeds() -> dict:
    keys = b.keys_meta([("com.apple.quicktime.location.ISO6709", "+32.0929+034.8620+028.516/"),
                        ("com.apple.quicktime.make", "Apple")])
    udta = b.xyz("+51.5074-000.1278/") + b.loci("Leeds", 53.8, -1.55, 60.0) + b.box(b"XMP_", XMP.encode())
    tiff = b.gps_tiff(48.8584, 2.2945)
    return {
        "mp4": b.movie(b"mp42", VIDEO, udta=udta, extra_moov=keys, gps_track=(b"gpmd", gps_samples(b"gpmd")[:2])),
        "mov-camm": b.movie(b"qt  ", VIDEO, gps_track=(b"camm", gps_samples(b"camm")), per_chunk=2, co64=True),
        "heic": photo("HEIF", xmp=XMP.encode()),
        "heif-idat": b.heif([(1, b"hvc1", "", bytes(64), 0), (2, b"Exif", "", b.exif_item(tiff), 1)]),
        "heif-split": b.heif([(1, b"hvc1", "", bytes(64), 0), (2, b"Exif", "", b.exif_item(tiff), 0)], split={2: 3}),
        "jxl": b.jxl(exif_box(), b.box(b"xml ", XMP.encode()), codestream=CODESTREAM),
        "novatek": novatek([free_gps(0), free_gps(1)]),
        "jp2": JP2_SIGNATURE + b.ftyp(b"jp2 ") + b.box(b"uuid", b"JpgTiffExif->JP2" + tiff)
        + b.box(b"xml ", XMP.encode()) + b.box(b"jp2c", bytes(40)),
        "jxl-brob": b.jxl(b.box(b"brob", b"Exif" + _brotli(b.exif_item(tiff))), codestream=CODESTREAM),
    }


def _brotli(data: bytes) -> bytes:
    try:
        import brotli
    except ImportError:
        return data  # still a fine seed: an undecodable brob box
    return brotli.compress(data)


SEEDS = _seeds()


def run(data: bytes) -> None:
    if data[4:8] == b"jP  ":
        walker = walk_jp2
    else:
        walker = walk_jxl if data[4:8] == b"JXL " or data[:2] == b"\xff\x0a" else walk_isobmff
    try:
        result = walker(io.BytesIO(data), len(data))
    except PhotoError:
        return
    assert isinstance(result, WalkResult)
    out = bytearray(data)
    for p in result.patches:
        assert 0 <= p.offset and p.end <= len(data), p
        out[p.offset:p.end] = p.data
    assert len(out) == len(data)
    try:
        again = walker(io.BytesIO(bytes(out)), len(out))
    except PhotoError:
        again = None
    if not result.doubts:  # a walk without doubt must clean for good: the copy is verified clean
        assert again is not None and again.items == [] and again.doubts == [], (result, again)


mutation = st.one_of(
    st.tuples(st.just("set"), st.integers(0, 1 << 20), st.binary(min_size=1, max_size=4)),
    st.tuples(st.just("int"), st.integers(0, 1 << 20),
              st.sampled_from([0, 1, 7, 8, 9, 16, 0xFF, 0xFFFF, 0x7FFFFFFF, 0xFFFFFFFF])),
    st.tuples(st.just("cut"), st.integers(0, 1 << 20), st.just(b"")),
    st.tuples(st.just("insert"), st.integers(0, 1 << 20), st.binary(min_size=1, max_size=16)),
)


def mutate(data: bytes, edits) -> bytes:
    out = bytearray(data)
    for kind, pos, value in edits:
        pos %= max(1, len(out))
        if kind == "set":
            out[pos:pos + len(value)] = value
        elif kind == "int":
            out[pos:pos + 4] = struct.pack(">I", value)
        elif kind == "cut":
            del out[pos:]
        else:
            out[pos:pos] = value
    return bytes(out)


@pytest.mark.parametrize("name", sorted(SEEDS))
@settings(max_examples=120, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(edits=st.lists(mutation, min_size=1, max_size=4))
def test_mutated_files_never_crash(name, edits):
    run(mutate(SEEDS[name], edits))


@settings(max_examples=150, deadline=None, derandomize=True)
@given(data=st.binary(max_size=300))
def test_random_bytes_after_a_valid_header(data):
    run(b.ftyp(b"mp42") + data)
    run(b.JXL_SIGNATURE + data)
    run(JP2_SIGNATURE + data)


def test_box_size_fields_at_every_offset():
    """Every 4-byte position set to each suspicious size: exhaustively, on the smaller seeds."""
    for name in ("mp4", "heif-idat", "jxl"):
        data = SEEDS[name]
        for pos in range(0, len(data) - 4, 3):
            for value in (0, 1, 0xFFFFFFFF):
                run(data[:pos] + struct.pack(">I", value) + data[pos + 4:])


def test_deep_nesting_and_many_boxes_are_bounded():
    nested = b.box(b"udta", b.xyz("+1.0+2.0/"))
    for _ in range(200):
        nested = b.box(b"udta", nested)
    deep = b.ftyp(b"mp42") + b.box(b"moov", nested)
    with pytest.raises(PhotoError):
        walk_isobmff(io.BytesIO(deep), len(deep))
    many = b.ftyp(b"mp42") + b.box(b"free") * 150_000
    with pytest.raises(PhotoError):
        walk_isobmff(io.BytesIO(many), len(many))
