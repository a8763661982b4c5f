"""Batches: `photos scan` on worker processes, the verified plain copy, group syncs (real files)."""

from __future__ import annotations

import json

import pytest

from digisafe.cli import main
from digisafe.photos.pool import SCAN_BATCH
from digisafe.photos.scan import scan_file
from tests.photos import photo_build as build


def run(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    out, err = capsys.readouterr()
    return exc.value.code, out, err


def test_scan_on_workers_keeps_order_and_results(tmp_path, capsys):
    folder = tmp_path / "many"
    folder.mkdir()
    with_gps = build.make_jpeg(tmp_path / "g.jpg").read_bytes()
    without = build.make_jpeg(tmp_path / "n.jpg", gps=False, xmp=False, iptc=False).read_bytes()
    for i in range(SCAN_BATCH + 6):
        (folder / f"{i:03d}.jpg").write_bytes(with_gps if i % 3 else without)
    (folder / "zz.jpg").write_bytes(b"\xff\xd8\xff\xe1\x00\x40Exif\0\0II*\0")
    code, out, _ = run(["photos", "scan", str(folder), "--format", "json"], capsys)
    data = json.loads(out)
    assert code == 1
    plain = len(range(0, SCAN_BATCH + 6, 3))
    assert data["summary"] == {"scanned": SCAN_BATCH + 7, "with_location": SCAN_BATCH + 6 - plain,
                               "without_location": plain, "unreadable": 1, "not_photos": 0}
    paths = [f["path"] for f in data["files"]]
    assert paths == sorted(paths)
    one = scan_file(folder / "001.jpg", named=False).to_dict()
    assert next(f for f in data["files"] if f["path"].endswith("001.jpg")) == one


def test_plain_copy_is_still_cross_checked(tmp_path, capsys, monkeypatch):
    """A photo without location is copied unchanged (not walked twice), but exifread still looks at
    it: if exifread sees GPS that our walker missed, the copy is NOT kept."""
    (tmp_path / "in").mkdir()
    build.make_jpeg(tmp_path / "in" / "plain.jpg", gps=False, xmp=False, iptc=False)
    seen = []

    def exifread_sees_gps(f):
        f.seek(0)
        seen.append(f.read())
        return ["GPS GPSLatitude"]

    monkeypatch.setattr("digisafe.photos.strip.exifread_gps", exifread_sees_gps)
    code, out, _ = run(["photos", "strip", str(tmp_path / "in"), "--out", str(tmp_path / "o")], capsys)
    assert code == 1 and "exifread still sees GPS tags" in out
    assert seen == [(tmp_path / "in" / "plain.jpg").read_bytes()]  # the bytes walked, which the copy holds
    assert not (tmp_path / "o" / "plain.jpg").exists() and not list((tmp_path / "o").rglob("*.digisafe-tmp"))


def test_output_folder_removed_between_runs_in_one_process(tmp_path, capsys):
    import shutil

    build.make_jpeg(tmp_path / "a.jpg")
    for _ in range(2):
        code, _, _ = run(["photos", "strip", str(tmp_path / "a.jpg"), "--out", str(tmp_path / "o" / "deep")], capsys)
        assert code == 0 and (tmp_path / "o" / "deep" / "a.jpg").exists()
        shutil.rmtree(tmp_path / "o")
