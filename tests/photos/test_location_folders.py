"""Issue 13: JPEG XR read like TIFF, M2TS with a timecode, camera/video files a folder run must list
as "could not be checked" (never skip), and the manifest's record of every change made. Real files
built from the format facts (tests/photos/location_build.py)."""

from __future__ import annotations

import json

import pytest

from digisafe.photos.formats import walk_path
from digisafe.photos.scan import UNREADABLE, scan_file
from digisafe.photos.strip import CLEANED, NO_LOCATION, NOT_CLEANED
from tests.photos import location_build as build
from tests.photos import photo_build
from tests.photos.test_location_carriers import assert_only_patched, run, stripped


# --- JPEG XR, M2TS, files a folder run must not skip -------------------------------------------------
def test_jxr_read_like_tiff(tmp_path):
    xmp = build.xmp_packet("<photoshop:City>Leeds</photoshop:City>",
                           'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"')
    src = build.jxr(tmp_path / "photo.jxr", xmp=xmp)
    kind, result = walk_path(src)
    assert kind == "jxr"
    record = scan_file(src, named=True)
    assert record.coordinates() == [(pytest.approx(build.LAT), pytest.approx(build.LON))]
    assert "Leeds" in record.places()
    outcome, out = stripped(src, tmp_path)
    assert outcome.status == CLEANED and walk_path(out)[1].items == []
    assert out.read_bytes()[-32:] == src.read_bytes()[-32:]  # image payload untouched
    assert_only_patched(src, out, outcome)


def test_folder_with_only_a_jxr_is_not_scanned_zero(tmp_path, capsys):
    build.jxr(tmp_path / "photo.jxr")
    code, out, _ = run(["photos", "scan", str(tmp_path)], capsys)
    assert code == 1 and "Scanned 1 " in out
    (tmp_path / "photo.jxr").write_bytes(b"II\xbc\x01" + b"\xff" * 40)  # broken: still listed
    code, out, _ = run(["photos", "scan", str(tmp_path)], capsys)
    assert code == 4 and "Scanned 1 " in out and "photo.jxr" in out


def test_m2ts_with_timecode_recognised(tmp_path):
    src = build.m2ts(tmp_path / "clip.mts")
    record = scan_file(src, named=False)
    assert record.status == UNREADABLE and "transport stream" in record.error


@pytest.mark.parametrize("name", ["camera.raw", "clip.mts", "clip.m2ts", "photo.wdp", "photo.hdp", "x.mkv"])
def test_unreadable_place_files_listed_never_skipped(tmp_path, capsys, name):
    (tmp_path / name).write_bytes(b"unknown camera data " * 8)
    (tmp_path / "notes.txt").write_text("not a photo")
    code, out, _ = run(["photos", "scan", str(tmp_path)], capsys)
    assert code == 4 and name in out and "Scanned 1 " in out and "notes.txt" not in out
    code, out, _ = run(["photos", "strip", str(tmp_path), "--out", str(tmp_path / "o"), "--format", "json"],
                       capsys)
    files = {f["source"].rsplit("/", 1)[-1]: f for f in json.loads(out)["files"]}
    assert code == 1 and files[name]["status"] == NOT_CLEANED and "could not be checked" in files[name]["reason"]
    assert "notes.txt" not in files


# --- the manifest records every change ----------------------------------------------------------------
def test_manifest_records_changes_of_a_no_location_copy(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    src = build.empty_gps_jpeg(tmp_path / "in" / "e.jpg")
    manifest = tmp_path / "m.json"
    code, _, _ = run(["photos", "strip", str(src), "--out", str(tmp_path / "out"), "--manifest", str(manifest)],
                     capsys)
    entry = json.loads(manifest.read_text())["files"][0]
    out = tmp_path / "out" / "e.jpg"
    assert code == 0 and entry["status"] == NO_LOCATION
    assert src.read_bytes() != out.read_bytes() and entry["sha256_original"] != entry["sha256_output"]
    whats = {c["what"] for c in entry["changes"]}
    assert any("GPS IFD emptied" in w for w in whats) and "GPSInfo pointer removed" in whats
    a, b = src.read_bytes(), out.read_bytes()
    ranges = [(c["offset"], c["offset"] + c["length"]) for c in entry["changes"]]
    assert all(any(lo <= i < hi for lo, hi in ranges) for i in range(len(a)) if a[i] != b[i])


def test_manifest_unchanged_copy_has_no_changes(tmp_path):
    src = photo_build.make_jpeg(tmp_path / "plain.jpg", gps=False, xmp=False, iptc=False)
    outcome, out = stripped(src, tmp_path)
    assert outcome.status == NO_LOCATION and outcome.changes == [] and out.read_bytes() == src.read_bytes()
