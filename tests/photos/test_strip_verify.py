"""strip's verify of a JPEG copy written from the bytes the walk read (jpeg_seen): it does not search
the whole copy for embedded JPEGs again, so it must still find every one a full search finds, and
still refuse a copy that holds location."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from digisafe.photos import jpeg, strip
from digisafe.photos.formats import walk_path
from digisafe.photos.jpeg_seen import SeenJpeg
from digisafe.photos.strip import CLEANED, NOT_CLEANED, strip_file
from digisafe.photos.types import Patch
from digisafe.photos.view import FileView
from tests.photos import photo_build as build
from tests.photos.strip_hooks import change_after_first_walk

SOI = b"\xff\xd8\xff"


def _search(data: bytes, start: int) -> list[int]:
    return [i for i in range(start, len(data) - 2) if data[i:i + 3] == SOI]


def _apply(data: bytes, patches: list[Patch]) -> bytes:
    buf = bytearray(data)
    for p in patches:
        buf[p.offset:p.end] = p.data
    return bytes(buf)


PIECES = st.lists(st.sampled_from([b"\xff", b"\xd8", b"\xff\xd8", SOI, b"\x00", b"ab", b"\xff\xd8\xff\xd8\xff"]),
                  max_size=40)


@settings(max_examples=300, deadline=None)
@given(original=PIECES, edits=st.lists(st.tuples(st.integers(0, 120), PIECES), max_size=5),
       start=st.integers(0, 60), copy_start=st.integers(0, 60))
def test_positions_in_the_copy_are_exactly_what_a_search_of_the_copy_finds(original, edits, start, copy_start):
    data = b"".join(original)
    patches = []
    for at, pieces in edits:
        new = b"".join(pieces)[:max(0, len(data) - at)]
        if at < len(data):
            patches.append(Patch(at, new))
    seen = SeenJpeg()
    seen.data, seen.start, seen.positions = data, start, _search(data, start)
    copy = _apply(data, patches)
    mine = seen.for_copy(patches)
    assert mine is not None
    expected = _search(copy, copy_start)
    assert mine.positions_in(copy, copy_start) == expected
    assert mine.positions_in(FileView(io.BytesIO(copy), 0, len(copy)), copy_start) == expected


def _multi(tmp_path) -> bytes:
    """A JPEG with GPS, an embedded JPEG with GPS and XMP, and a trailer."""
    first = build.make_jpeg(tmp_path / "1.jpg", xmp=False, iptc=False).read_bytes()
    second = build.make_jpeg(tmp_path / "2.jpg", xmp=True, iptc=False, orientation=3).read_bytes()
    return first + second + b"junk trailer"


def test_the_walk_keeps_what_it_read_and_the_copy_is_written_from_it(tmp_path, monkeypatch):
    src = tmp_path / "multi.jpg"
    src.write_bytes(_multi(tmp_path))
    searched = []
    real_search = jpeg._soi_positions
    monkeypatch.setattr(jpeg, "_soi_positions", lambda data, start: searched.append(start) or real_search(data, start))
    out = tmp_path / "clean.jpg"
    outcome = strip_file(src, out)
    assert outcome.status == CLEANED
    assert len(searched) == 1  # the original was searched; its copy was not searched again
    assert walk_path(out)[1].items == []


def test_location_left_in_an_embedded_jpeg_of_the_copy_is_caught(tmp_path, monkeypatch):
    """The copy's writer 'forgets' the patches of the embedded JPEG: its position is known from the
    walk of the original, so the verify walks it and refuses the copy."""
    data = _multi(tmp_path)
    second_at = data.index(SOI, 3)
    src = tmp_path / "multi.jpg"
    src.write_bytes(data)
    real_copy = strip._copy

    def forgetful(src_f, dst, size, result, walked=None):
        kept = [p for p in result.patches if p.offset < second_at]
        assert len(kept) < len(result.patches)
        result = type(result)(items=result.items, patches=kept, doubts=result.doubts, cuts=result.cuts)
        real_copy(src_f, dst, size, result, walked)

    monkeypatch.setattr(strip, "_copy", forgetful)
    outcome = strip_file(src, tmp_path / "clean.jpg")
    assert outcome.status == NOT_CLEANED and "location still present" in outcome.reason
    assert f"JPEG at {second_at}" in outcome.reason
    assert not (tmp_path / "clean.jpg").exists()


def test_a_patch_that_writes_a_new_jpeg_into_the_copy_is_caught(tmp_path, monkeypatch):
    """A patch (a walker bug) that writes a whole JPEG with GPS where the original had none: an
    FF D8 FF the walk of the original never saw. The verify searches the patched bytes, finds it
    and refuses the copy."""
    first = build.make_jpeg(tmp_path / "1.jpg", xmp=False, iptc=False).read_bytes()
    intruder = build.make_jpeg(tmp_path / "2.jpg", xmp=False, iptc=False, orientation=3).read_bytes()
    src = tmp_path / "a.jpg"
    src.write_bytes(first + b"\0" * (len(intruder) + 10))
    real_walk = strip.walk_file
    calls = []

    def walk_with_bad_patch(f, size=None, quick=False, seen=None):
        kind, result = real_walk(f, size, quick=quick, seen=seen)
        calls.append(seen)
        if len(calls) == 1:  # the walk of the original: add a patch that plants a JPEG with GPS
            result.patches.append(Patch(len(first) + 5, intruder, "bad patch"))
        return kind, result

    monkeypatch.setattr(strip, "walk_file", walk_with_bad_patch)
    outcome = strip_file(src, tmp_path / "clean.jpg")
    assert calls[1] is not None and calls[1].patches is not None  # the verify took the kept positions
    assert outcome.status == NOT_CLEANED and "location still present" in outcome.reason
    assert f"JPEG at {len(first) + 5}" in outcome.reason


def test_a_jpeg_too_big_to_read_whole_is_kernel_copied_and_searched_again(tmp_path, monkeypatch):
    src = tmp_path / "multi.jpg"
    src.write_bytes(_multi(tmp_path))
    monkeypatch.setattr(jpeg, "IN_MEMORY", 100)
    searched = []
    real_search = jpeg._soi_positions
    monkeypatch.setattr(jpeg, "_soi_positions", lambda data, start: searched.append(start) or real_search(data, start))
    out = tmp_path / "clean.jpg"
    assert strip_file(src, out).status == CLEANED
    assert len(searched) == 2  # the original and the copy
    assert walk_path(out)[1].items == []


def test_copy_and_in_place_keep_the_original_times_and_the_right_mode(tmp_path):
    """Mode and times are set on the open copy (before its fsync), after its last write."""
    import os
    import stat

    src = build.make_jpeg(tmp_path / "a.jpg")
    os.utime(src, ns=(1_500_000_000_123_456_789, 1_600_000_000_987_654_321))
    os.chmod(src, 0o444)
    out = tmp_path / "out" / "a.jpg"
    assert strip_file(src, out).status == CLEANED
    assert out.stat().st_mtime_ns == 1_600_000_000_987_654_321 and stat.S_IMODE(out.stat().st_mode) == 0o600
    assert strip_file(src, src).status == CLEANED  # in place: a read-only original stays read-only
    assert src.stat().st_mtime_ns == 1_600_000_000_987_654_321 and stat.S_IMODE(src.stat().st_mode) == 0o444
    assert walk_path(src)[1].items == []


def test_a_plain_copy_written_from_the_walked_bytes_is_cross_checked_on_those_bytes(tmp_path, monkeypatch):
    """No location: the copy is the walked bytes, and exifread must look at them, not at the
    original as it is by then (here rewritten with GPS after the walk: the copy is still clean)."""
    clean = build.make_jpeg(tmp_path / "c.jpg", gps=False, xmp=False, iptc=False).read_bytes()
    gps = build.make_jpeg(tmp_path / "g.jpg", gps=True, xmp=False, iptc=False).read_bytes()
    gps = gps[:len(clean)].ljust(len(clean), b"\0")  # (same size; its EXIF with GPS comes first)
    src = tmp_path / "photo.jpg"
    src.write_bytes(clean)
    looked = []
    real_exifread = strip.exifread_gps
    monkeypatch.setattr(strip, "exifread_gps", lambda f: looked.append(f.read()) or real_exifread(f))
    change_after_first_walk(monkeypatch, lambda: src.write_bytes(gps))
    out = tmp_path / "out" / "photo.jpg"
    outcome = strip_file(src, out)
    assert outcome.status == "no location", outcome.reason
    assert out.read_bytes() == clean and looked == [clean]


@settings(max_examples=300, deadline=None)
@given(data=st.binary(min_size=0, max_size=300),
       edits=st.lists(st.tuples(st.integers(-5, 320), st.binary(max_size=40)), max_size=8))
def test_a_copy_from_the_walked_bytes_is_the_same_as_the_copy_patched_in_place(tmp_path_factory, data, edits):
    """The copy written from the walked bytes with its patches in file order (one pass, no seeks) is
    byte for byte the copy of the original with each patch written over it in turn, whatever the
    patches (overlapping, touching, past the end: those take the seek + write way)."""
    from digisafe.photos.types import WalkResult

    folder = tmp_path_factory.mktemp("copy")
    src = folder / "src"
    src.write_bytes(data)
    result = WalkResult(patches=[Patch(max(0, at), new) for at, new in edits])
    copies = []
    for walked in (data, None):
        with open(src, "rb") as f, open(folder / "dst", "w+b") as dst:
            strip._copy(f, dst, len(data), result, walked)
            dst.seek(0)
            copies.append(dst.read())
    assert copies[0] == copies[1]
