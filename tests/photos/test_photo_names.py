"""File names that are not UTF-8 (``caf\\xe9.jpg``) in every JSON output: the strip manifest, the
strip and scan JSON (file and screen) and the audit report. Real processes, real files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.photos import photo_build as build

pytestmark = pytest.mark.skipif(sys.platform in ("darwin", "win32"),
                                reason="this file system cannot hold a name that is not valid UTF-8")


def digisafe(*argv: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "digisafe", *argv], capture_output=True, cwd=cwd, timeout=120,
                          env=env)


@pytest.fixture
def cafe(tmp_path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    path = Path(os.fsdecode(os.fsencode(folder) + b"/caf\xe9.jpg"))
    build.make_jpeg(path)
    return path


def test_in_place_manifest_with_a_non_utf8_name(tmp_path, cafe):
    before = cafe.read_bytes()
    done = digisafe("photos", "strip", str(cafe.parent), "--in-place", "--manifest", "m.json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert cafe.read_bytes() != before
    record = json.loads((tmp_path / "m.json").read_bytes().decode("utf-8"))
    assert record["complete"] is True
    (entry,) = record["files"]
    assert entry["source"].endswith("caf\\xe9.jpg") and entry["status"] == "cleaned"


def test_scan_and_strip_json_with_a_non_utf8_name(tmp_path, cafe):
    done = digisafe("photos", "scan", str(cafe.parent), "--format", "json", "-o", "s.json", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    scan = json.loads((tmp_path / "s.json").read_bytes().decode("utf-8"))
    assert scan["files"][0]["path"].endswith("caf\\xe9.jpg")
    done = digisafe("photos", "strip", str(cafe.parent), "--out", "o", "--format", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.decode("utf-8"))["files"][0]["source"].endswith("caf\\xe9.jpg")


def test_audit_json_with_a_non_utf8_name_in_pictures(tmp_path, cafe):
    home = tmp_path / "home"
    (home / "Pictures").mkdir(parents=True)
    os.rename(cafe, Path(os.fsdecode(os.fsencode(home / "Pictures") + b"/caf\xe9.jpg")))
    env = dict(os.environ, HOME=str(home), USERPROFILE=str(home))
    done = digisafe("audit", "--only", "DS-PHOTO-010", "--format", "json", "-o", "r.json", cwd=tmp_path, env=env)
    assert done.returncode in (0, 1), done.stderr
    text = (tmp_path / "r.json").read_bytes().decode("utf-8")
    assert "caf\\\\xe9.jpg" in text and json.loads(text)


# --- names that hold terminal escapes or bidi overrides --------------------------------------------

HOSTILE = ["clear\x1b[2J\x1b[Hscreen.jpg", "gpj.\u202eevil.jpg", "bell\x07.jpg"]


@pytest.fixture
def hostile(tmp_path) -> Path:
    folder = tmp_path / "album"
    folder.mkdir()
    for name in HOSTILE:
        build.make_jpeg(folder / name)
    return folder


def _no_raw_controls(text: bytes) -> None:
    for raw in (b"\x1b", b"\x07", "\u202e".encode()):
        assert raw not in text


@pytest.mark.parametrize("fmt", ["table", "markdown", "html"])
def test_scan_and_strip_show_a_hostile_name_visibly(tmp_path, hostile, fmt):
    """A name can be made to clear the screen, hide a line or read backwards: every screen format
    shows its codes instead (\\x1b, <U+202E>), and the name stays whole."""
    scan = digisafe("photos", "scan", "album", "--format", fmt, cwd=tmp_path)
    strip = digisafe("photos", "strip", "album", "--out", "clean", "--format", fmt, cwd=tmp_path)
    assert scan.returncode == 1 and strip.returncode == 0, (scan.stderr, strip.stderr)
    for done in (scan, strip):
        _no_raw_controls(done.stdout + done.stderr)
        for shown in (b"clear\\x1b[2J\\x1b[Hscreen.jpg", b"gpj.<U+202E>evil.jpg", b"bell\\x07.jpg"):
            assert shown in done.stdout
    assert sorted(p.name for p in (tmp_path / "clean").iterdir()) == sorted(HOSTILE)  # the copies keep the names


def test_json_keeps_a_hostile_name_exact(tmp_path, hostile):
    done = digisafe("photos", "scan", "album", "--format", "json", cwd=tmp_path)
    _no_raw_controls(done.stdout.replace("\u202e".encode(), b""))  # (JSON escapes controls; U+202E is text)
    names = sorted(Path(f["path"]).name for f in json.loads(done.stdout)["files"])
    assert names == sorted(HOSTILE)


def test_an_error_about_a_hostile_name_shows_it_visibly(tmp_path):
    done = digisafe("photos", "scan", "gone\x1b[31m.jpg", cwd=tmp_path)
    assert done.returncode == 2
    assert b"\x1b" not in done.stderr and b"not found: gone\\x1b[31m.jpg" in done.stderr


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "ascii"])
def test_a_name_the_output_encoding_cannot_hold_is_escaped_not_an_internal_error(tmp_path, encoding):
    """Windows writes redirected output in its ANSI code page (cp1252): a name in Chinese must not
    turn the whole report into an internal error. JSON stays valid: ``\\u5199`` is JSON's own escape."""
    album = tmp_path / "album"
    album.mkdir()
    build.make_jpeg(album / "\u5199\u771f.jpg")
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    table = digisafe("photos", "scan", "album", cwd=tmp_path, env=env)
    assert table.returncode == 1, table.stderr
    # (an ASCII stream is re-opened as UTF-8, as click does: the name is written whole)
    shown = "\u5199\u771f".encode() if encoding == "ascii" else b"\\u5199\\u771f"
    assert b"album/" + shown + b".jpg" in table.stdout
    as_json = digisafe("photos", "scan", "album", "--format", "json", cwd=tmp_path, env=env)
    assert as_json.returncode == 1, as_json.stderr
    assert Path(json.loads(as_json.stdout)["files"][0]["path"]).name == "\u5199\u771f.jpg"
    strip = digisafe("photos", "strip", "album", "--out", "clean", cwd=tmp_path, env=env)
    assert strip.returncode == 0 and shown + b".jpg" in strip.stdout, strip.stderr
    assert (tmp_path / "clean" / "\u5199\u771f.jpg").is_file()


@pytest.mark.skipif(not shutil.which("bash"), reason="needs bash to read the suggested command")
def test_the_suggested_strip_command_names_a_hostile_folder_exactly(tmp_path):
    """The command a scan suggests for a folder whose name holds an escape names that folder when
    pasted (``$'...\\x1b...'``), and holds nothing raw."""
    album = tmp_path / "al\x1b[31mbum \u202e"
    album.mkdir()
    build.make_jpeg(album / "a.jpg")
    done = digisafe("photos", "scan", str(album), cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    _no_raw_controls(done.stdout)
    line = next(x for x in done.stdout.decode().splitlines() if "digisafe photos strip" in x)
    args = line.split("digisafe photos strip", 1)[1]
    words = subprocess.run(["bash", "-c", f"printf '%s\\0' {args}"], capture_output=True, timeout=30).stdout
    assert words.split(b"\0")[:3] == [os.fsencode(album), b"--out", os.fsencode(album) + b"-no-location"]
