"""Hypothesis mutates the files of the new location carriers (FLIR APP1, JPEG XR, JPX xml boxes,
Panasonic/Casio maker notes, Darwin Core XMP): a result or a PhotoError, never a crash, and every
patch inside the file."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digisafe.photos.formats import walk_file
from digisafe.photos.types import PhotoError
from digisafe.photos.xmlplace import walk_xml_place
from tests.photos import location_build as build


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):
    d = tmp_path_factory.mktemp("seeds")
    out = {
        "flir": build.flir_jpeg(d / "f.jpg", chunk=300).read_bytes(),
        "jxr": build.jxr(d / "a.jxr", xmp=build.xmp_packet(build.DWC_BODY, build.DWC_NS)).read_bytes(),
        "panasonic": build.makernote_jpeg(d / "p.jpg").read_bytes(),
        "casio": build.casio_jpeg(d / "c.jpg").read_bytes(),
    }
    try:
        out["jp2"] = build.jp2(d / "a.jp2", in_asoc=True).read_bytes()
    except (OSError, KeyError):  # Pillow without OpenJPEG
        pass
    return out


def _mutate(seed: bytes, edits: list[tuple[int, int]], cut: int | None) -> bytes:
    buf = bytearray(seed)
    for pos, value in edits:
        buf[pos % len(buf)] = value
    return bytes(buf[:cut] if cut else buf)


EDITS = st.lists(st.tuples(st.integers(0, 1 << 14), st.integers(0, 255)), max_size=12)
FUZZ = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def test_seeds_carry_location(seeds):
    for kind, data in seeds.items():
        _kind, result = walk_file(io.BytesIO(data), len(data))
        assert result.items and not result.doubts, kind


@pytest.mark.parametrize("kind", ["flir", "jxr", "panasonic", "casio", "jp2"])
@FUZZ
@given(edits=EDITS, cut=st.one_of(st.none(), st.integers(1, 3000)))
def test_fuzz_new_carriers(seeds, kind, edits, cut):
    if kind not in seeds:
        pytest.skip("Pillow without OpenJPEG")
    data = _mutate(seeds[kind], edits, cut)
    try:
        result = walk_file(io.BytesIO(data), len(data))[1]
    except PhotoError:
        return
    for p in result.patches:
        assert 0 <= p.offset and p.end <= len(data)


@FUZZ
@given(edits=EDITS, cut=st.one_of(st.none(), st.integers(1, 600)))
def test_fuzz_xml_place(edits, cut):
    data = _mutate(build.JPX_ADDRESS, edits, cut)
    try:
        result = walk_xml_place(data, 50)
    except PhotoError:
        return
    for p in result.patches:
        assert 50 <= p.offset and p.end <= 50 + len(data)
