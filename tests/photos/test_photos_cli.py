"""`digisafe photos scan` and `digisafe photos strip` through the real CLI entry point."""

from __future__ import annotations

import json
import os
import stat

import pytest

from digisafe.cli import main
from digisafe.photos.formats import walk_path
from tests.photos import photo_build as build


def run(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    out, err = capsys.readouterr()
    return exc.value.code, out, err


@pytest.fixture
def album(tmp_path):
    root = tmp_path / "album"
    (root / "2024" / "trip").mkdir(parents=True)
    build.make_jpeg(root / "2024" / "trip" / "leeds.jpg")
    build.make_png(root / "2024" / "map.png")
    build.make_jpeg(root / "plain.jpg", gps=False, xmp=False, iptc=False)
    (root / "notes.txt").write_text("not a photo")
    (root / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe1\x00\x40Exif\0\0II*\0")
    return root


def test_scan_table_json_markdown_html(album, capsys):
    code, out, _ = run(["photos", "scan", str(album)], capsys)
    assert code == 1
    assert "leeds.jpg" in out and "53.80" in out and "Leeds" in out and "TestMake Phone 1" in out
    assert "broken.jpg" in out and "plain.jpg" not in out
    assert "Scanned 4 photos and videos: 2 with location, 1 without, 1 could not be read." in out
    code, out, _ = run(["photos", "scan", str(album), "--format", "json"], capsys)
    data = json.loads(out)
    assert data["summary"] == {"scanned": 4, "with_location": 2, "without_location": 1, "unreadable": 1,
                               "not_photos": 1}
    leeds = next(f for f in data["files"] if f["path"].endswith("leeds.jpg"))
    assert leeds["coordinates"][0]["latitude"] == pytest.approx(build.LAT, abs=1e-3)
    assert "Leeds" in leeds["places"] and leeds["camera"] == "TestMake Phone 1"
    code, out, _ = run(["photos", "scan", str(album), "--format", "markdown"], capsys)
    assert out.startswith("# digisafe photos scan") and "| " in out
    code, out, _ = run(["photos", "scan", str(album), "--format", "html"], capsys)
    assert out.startswith("<!DOCTYPE html>") and "<table>" in out


def test_scan_exit_codes(tmp_path, capsys):
    build.make_jpeg(tmp_path / "plain.jpg", gps=False, xmp=False, iptc=False)
    assert run(["photos", "scan", str(tmp_path / "plain.jpg")], capsys)[0] == 0
    (tmp_path / "x.jpg").write_bytes(b"\xff\xd8\xff\xe1\x00")
    assert run(["photos", "scan", str(tmp_path)], capsys)[0] == 4
    code, _, err = run(["photos", "scan", str(tmp_path / "missing")], capsys)
    assert code == 2 and "not found" in err


def test_strip_out_mirrors_tree_and_keeps_originals(album, tmp_path, capsys):
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in album.rglob("*") if p.is_file()}
    out = tmp_path / "clean"
    manifest = tmp_path / "manifest.json"
    code, stdout, _ = run(["photos", "strip", str(album), "--out", str(out), "--manifest", str(manifest)], capsys)
    assert code == 1  # broken.jpg could not be cleaned
    assert "NOT cleaned" in stdout and "broken.jpg" in stdout
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in before} == before
    assert walk_path(out / "2024" / "trip" / "leeds.jpg")[1].items == []
    assert walk_path(out / "2024" / "map.png")[1].items == []
    assert (out / "plain.jpg").read_bytes() == (album / "plain.jpg").read_bytes()
    assert not (out / "broken.jpg").exists() and not (out / "notes.txt").exists()
    assert not list(out.rglob("*.digisafe-tmp"))
    record = json.loads(manifest.read_text())
    assert stat.S_IMODE(manifest.stat().st_mode) == 0o600
    leeds = next(f for f in record["files"] if f["source"].endswith("leeds.jpg"))
    assert leeds["status"] == "cleaned" and len(leeds["sha256_original"]) == 64
    assert leeds["sha256_original"] != leeds["sha256_output"]
    assert {r["carrier"] for r in leeds["removed"]} == {"exif-gps", "xmp", "iptc"}
    broken = next(f for f in record["files"] if f["source"].endswith("broken.jpg"))
    assert broken["status"] == "NOT cleaned" and broken["reason"]


def test_strip_in_place_keeps_mode_and_is_clean(tmp_path, capsys):
    photo = build.make_jpeg(tmp_path / "a.jpg")
    os.chmod(photo, 0o640)
    code, out, _ = run(["photos", "strip", str(photo), "--in-place"], capsys)
    assert code == 0 and "cleaned" in out
    assert walk_path(photo)[1].items == []
    assert stat.S_IMODE(photo.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["a.jpg"]


def test_strip_in_place_failure_leaves_original_and_no_temp(tmp_path, capsys, monkeypatch):
    photo = build.make_jpeg(tmp_path / "a.jpg")
    original = photo.read_bytes()

    def crash(*_a, **_k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("digisafe.photos.strip.os.replace", crash)
    code, out, _ = run(["photos", "strip", str(photo), "--in-place"], capsys)
    assert code == 1 and "NOT cleaned" in out and "No space left" in out
    assert photo.read_bytes() == original
    assert [p.name for p in tmp_path.iterdir()] == ["a.jpg"]


def test_strip_verification_failure_fails_closed(tmp_path, capsys, monkeypatch):
    photo = build.make_jpeg(tmp_path / "a.jpg")
    monkeypatch.setattr("digisafe.photos.strip.exifread_gps", lambda f: ["GPS GPSLatitude"])
    code, out, _ = run(["photos", "strip", str(photo), "--out", str(tmp_path / "o")], capsys)
    assert code == 1 and "exifread still sees GPS" in out
    assert not (tmp_path / "o" / "a.jpg").exists() and not list((tmp_path / "o").iterdir())


def test_strip_dry_run_and_usage_errors(tmp_path, capsys):
    photo = build.make_jpeg(tmp_path / "a.jpg")
    original = photo.read_bytes()
    code, out, _ = run(["photos", "strip", str(photo), "--dry-run"], capsys)
    assert code == 0 and "would clean" in out and photo.read_bytes() == original
    assert run(["photos", "strip", str(photo)], capsys)[0] == 2
    assert run(["photos", "strip", str(photo), "--in-place", "--out", str(tmp_path)], capsys)[0] == 2
    code, out, _ = run(["photos", "strip", str(photo), "--out", str(tmp_path)], capsys)
    assert code == 1 and "replace the original" in out and photo.read_bytes() == original


def test_named_non_photo_and_wrong_extension(tmp_path, capsys):
    text = tmp_path / "letter.jpg"
    text.write_text("Dear ...")
    disguised = tmp_path / "holiday.txt"
    build.make_jpeg(disguised)
    code, out, _ = run(["photos", "scan", str(text), str(disguised), "--format", "json"], capsys)
    data = json.loads(out)
    assert code == 1 and data["summary"]["with_location"] == 1 and data["summary"]["unreadable"] == 1


def test_big_batch_uses_workers_and_keeps_order(tmp_path, capsys):
    from digisafe.photos.batch import PROCESS_BATCH

    folder = tmp_path / "many"
    folder.mkdir()
    seed = build.make_jpeg(tmp_path / "seed.jpg", xmp=False).read_bytes()
    for i in range(PROCESS_BATCH + 2):
        (folder / f"{i:03d}.jpg").write_bytes(seed)
    (folder / "zz-broken.jpg").write_bytes(seed[:300])
    code, out, _ = run(["photos", "strip", str(folder), "--out", str(tmp_path / "o"), "--format", "json"], capsys)
    data = json.loads(out)
    assert code == 1 and data["summary"]["cleaned"] == PROCESS_BATCH + 2 and data["summary"]["not_cleaned"] == 1
    assert [f["source"] for f in data["files"]] == sorted(f["source"] for f in data["files"])
    assert all(walk_path(p)[1].items == [] for p in (tmp_path / "o").iterdir())
    assert not (tmp_path / "o" / "zz-broken.jpg").exists()


def test_fsync_fallback_without_syncfs(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr("digisafe.photos.batch._syncfs", lambda: None)
    synced = []
    real_fsync = os.fsync
    monkeypatch.setattr("digisafe.photos.strip.os.fsync", lambda fd: synced.append(fd) or real_fsync(fd))
    folder = tmp_path / "in"
    folder.mkdir()
    build.make_jpeg(folder / "a.jpg")
    build.make_png(folder / "b.png")
    code, _, _ = run(["photos", "strip", str(folder), "--out", str(tmp_path / "o")], capsys)
    assert code == 0 and len(synced) >= 2
    assert walk_path(tmp_path / "o" / "a.jpg")[1].items == []


def test_cleaned_copies_and_their_folders_are_private(album, tmp_path, capsys):
    """Files we write are the user's alone: --out folders 0700 and copies 0600, whatever the
    original's mode (a 0644 photo gave a world-readable copy in a 0755 folder)."""
    for photo in album.rglob("*.*"):
        os.chmod(photo, 0o644)
    out = tmp_path / "new" / "clean"
    code, _out, err = run(["photos", "strip", str(album), "--out", str(out)], capsys)
    assert code == 1, err  # broken.jpg cannot be cleaned; the others are copied
    copies = [p for p in out.rglob("*") if p.is_file()]
    assert copies and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in copies)
    folders = [out.parent, out, *[p for p in out.rglob("*") if p.is_dir()]]
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o700 for p in folders), [oct(p.stat().st_mode) for p in folders]


@pytest.mark.parametrize("where", ["under-a-file", "proc"])
def test_an_output_folder_that_cannot_be_made_is_one_input_error(album, tmp_path, capsys, where):
    if where == "proc" and not os.path.isdir("/proc/self"):
        pytest.skip("no /proc here")
    (tmp_path / "a-file").write_text("x")
    out = tmp_path / "a-file" / "clean" if where == "under-a-file" else "/proc/nope"
    code, stdout, err = run(["photos", "strip", str(album), "--out", str(out)], capsys)
    assert code == 2 and stdout == "" and "NOT cleaned" not in err, (code, stdout, err)
    assert "cannot create the output folder" in err and len(err.strip().splitlines()) == 1, err


def test_strip_summary_fits_an_80_column_terminal(tmp_path, capsys, monkeypatch):
    """One block per file, as for scan: the five-column table was over 200 columns wide. A long
    reason wraps; a path is never broken (and the copy's path has no full stop after it)."""
    src = tmp_path / "in"
    src.mkdir()
    build.make_jpeg(src / "located.jpg")
    (src / "cut.jpg").write_bytes((src / "located.jpg").read_bytes()[:300])
    (src / "note.jpg").write_bytes(b"not a photo at all")
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run(["photos", "strip", str(src), "--out", str(tmp_path / "o")], capsys)
    assert code == 1
    lines = out.splitlines()
    paths = {str(src / "located.jpg"), str(src / "cut.jpg"), str(src / "note.jpg"), str(tmp_path / "o" / "located.jpg")}
    assert all(len(line) <= 80 for line in lines if not any(p in line for p in paths)), out
    assert f"      copy: {tmp_path / 'o' / 'located.jpg'}" in lines
    assert any(line.strip().startswith("NOT cleaned: not a photo") for line in lines)
