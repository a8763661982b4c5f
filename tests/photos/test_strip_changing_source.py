"""strip of an original that changes while it is being copied: the output must be the file that was
walked, or be re-walked, never a copy of bytes nobody looked at that is kept as 'no location'."""

from __future__ import annotations

import os

from digisafe.photos import copying, jpeg
from digisafe.photos.formats import walk_path
from digisafe.photos.strip import CLEANED, NO_LOCATION, NOT_CLEANED, strip_file
from tests.photos import photo_build as build
from tests.photos.strip_hooks import change_after_first_walk


def _clean_and_dirty(tmp_path):
    """Two JPEGs of the same size: one with no location (a cleaned copy) and the one with it."""
    dirty = build.make_jpeg(tmp_path / "dirty.jpg", gps=False, iptc=False, xmp=True)
    clean = tmp_path / "clean.jpg"
    assert strip_file(dirty, clean).status == CLEANED
    assert walk_path(clean)[1].items == [] and clean.stat().st_size == dirty.stat().st_size
    return clean.read_bytes(), dirty.read_bytes()


def test_a_plain_copy_of_an_original_rewritten_in_place_during_the_copy_is_not_kept_unchecked(tmp_path, monkeypatch):
    """The original had no location when it was walked, then was rewritten in place (same size) with
    location (XMP only: exifread does not read XMP) before the kernel copy read it."""
    clean, dirty = _clean_and_dirty(tmp_path)
    src = tmp_path / "photo.jpg"
    src.write_bytes(clean)
    os.utime(src, (1_600_000_000, 1_600_000_000))  # (a write in the same clock tick keeps the time)
    monkeypatch.setattr(jpeg, "IN_MEMORY", 100)  # too big to walk in memory: kernel-copied
    real_copy = copying._kernel_copy

    def rewritten_first(src_f, dst, size):
        with open(src, "r+b") as f:
            f.write(dirty)
        real_copy(src_f, dst, size)

    monkeypatch.setattr(copying, "_kernel_copy", rewritten_first)
    out = tmp_path / "out" / "photo.jpg"
    outcome = strip_file(src, out)
    if outcome.status == NO_LOCATION:
        assert walk_path(out)[1].items == [], "kept as 'no location', yet the output holds location"
    else:
        assert outcome.status == NOT_CLEANED and not out.exists()
    assert not list(out.parent.glob(".*digisafe-tmp"))


def test_an_original_that_grows_during_the_copy_is_not_kept_as_a_partial_plain_copy(tmp_path, monkeypatch):
    clean, dirty = _clean_and_dirty(tmp_path)
    src = tmp_path / "photo.jpg"
    src.write_bytes(clean)
    os.utime(src, (1_600_000_000, 1_600_000_000))  # (a write in the same clock tick keeps the time)
    monkeypatch.setattr(jpeg, "IN_MEMORY", 100)
    real_copy = copying._kernel_copy

    def replaced_first(src_f, dst, size):
        with open(src, "r+b") as f:  # rewritten in place, longer: the copy takes its first `size` bytes
            f.write(dirty + b"\0" * 100)
        real_copy(src_f, dst, size)

    monkeypatch.setattr(copying, "_kernel_copy", replaced_first)
    out = tmp_path / "out" / "photo.jpg"
    outcome = strip_file(src, out)
    if outcome.status == NO_LOCATION:
        assert walk_path(out)[1].items == []
    else:
        assert outcome.status == NOT_CLEANED and not out.exists()


def test_the_recorded_hashes_are_of_the_bytes_walked_and_written(tmp_path, monkeypatch):
    """The original changes right after its walk: the output holds the bytes walked (a JPEG walked in
    memory is written from them), and the evidence record must give the output's real hash."""
    import hashlib

    clean, dirty = _clean_and_dirty(tmp_path)
    src = tmp_path / "photo.jpg"
    src.write_bytes(clean)

    def rewrite() -> None:
        with open(src, "r+b") as g:
            g.write(dirty)

    change_after_first_walk(monkeypatch, rewrite)
    out = tmp_path / "out" / "photo.jpg"
    outcome = strip_file(src, out, hashes=True)
    if outcome.status == NOT_CLEANED:
        assert not out.exists()
        return
    assert outcome.sha256_after == hashlib.sha256(out.read_bytes()).hexdigest()
    assert walk_path(out)[1].items == []
