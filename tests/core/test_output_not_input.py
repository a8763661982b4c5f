"""A file digisafe writes (--output, --manifest) never replaces a file it was given to read: that file
may be evidence (a photo, a listing captured on another computer, a saved report). Real CLI, real
files, child processes."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.photos.photo_build import make_jpeg

PS_LINUX = ("  PID USER     COMMAND         COMMAND\n"
            "    1 root     systemd         /sbin/init\n"
            "  999 sam      teamviewerd     /opt/teamviewer/tv_bin/teamviewerd -d\n")


def _digisafe(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "HOME": str(tmp_path / "home"), "XDG_DATA_HOME": str(tmp_path / "home" / ".data"),
           "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "digisafe", *args], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=120)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def album(tmp_path: Path) -> Path:
    folder = tmp_path / "evidence"
    folder.mkdir()
    make_jpeg(folder / "a.jpg")
    make_jpeg(folder / "b.jpg", gps=False)
    return folder


def _refused(done: subprocess.CompletedProcess, original: Path, before: str) -> None:
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("digisafe: error: ") and "new file name" in done.stderr, done.stderr
    assert _digest(original) == before  # the evidence is untouched


def test_photos_scan_output_is_not_a_scanned_photo(tmp_path, album) -> None:
    before = _digest(album / "b.jpg")
    _refused(_digisafe(tmp_path, "photos", "scan", str(album), "--format", "json", "-o", str(album / "b.jpg")),
             album / "b.jpg", before)


def test_photos_scan_output_is_not_a_named_photo(tmp_path, album) -> None:
    before = _digest(album / "a.jpg")
    _refused(_digisafe(tmp_path, "photos", "scan", "evidence/a.jpg", "--format", "json", "-o", str(album / "a.jpg")),
             album / "a.jpg", before)


@pytest.mark.parametrize("mode", [("--out", "clean"), ("--in-place",), ("--dry-run",)])
def test_photos_strip_manifest_is_not_an_original(tmp_path, album, mode) -> None:
    before = {p.name: _digest(p) for p in album.iterdir()}
    _refused(_digisafe(tmp_path, "photos", "strip", str(album), *mode, "--manifest", str(album / "b.jpg")),
             album / "b.jpg", before["b.jpg"])
    assert {p.name: _digest(p) for p in album.iterdir()} == before  # nothing was cleaned either
    assert not (tmp_path / "clean" / "a.jpg").exists()


def test_photos_strip_manifest_is_not_a_cleaned_copy(tmp_path, album) -> None:
    (tmp_path / "clean").mkdir()
    done = _digisafe(tmp_path, "photos", "strip", str(album), "--out", "clean", "--manifest", "clean/a.jpg")
    assert done.returncode == 2 and "new file name" in done.stderr, done.stderr
    assert not (tmp_path / "clean" / "a.jpg").exists()


def test_processes_output_is_not_the_listing(tmp_path) -> None:
    listing = tmp_path / "ps.txt"
    listing.write_text(PS_LINUX)
    before = _digest(listing)
    _refused(_digisafe(tmp_path, "processes", "--from", "ps.txt", "-o", str(listing)), listing, before)
    assert _digisafe(tmp_path, "processes", "--from", "ps.txt", "-o", "report.txt").returncode == 1  # a new name


def test_report_output_is_not_the_saved_report(tmp_path) -> None:
    listing = tmp_path / "ps.txt"
    listing.write_text(PS_LINUX)
    assert _digisafe(tmp_path, "processes", "--from", "ps.txt", "-o", "saved.json").returncode == 1
    saved = tmp_path / "saved.json"
    before = _digest(saved)
    _refused(_digisafe(tmp_path, "report", "saved.json", "-o", str(saved)), saved, before)
