"""`photos scan` and `photos strip` start light: for a few dozen photos, start-up is most of the time
(bench/photos.py). Each module below cost 0.5-5 ms of every run and is not needed for these
folders; this guards against one coming back through a module-level import."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.photos import photo_build as build

# NOTE: hashlib (OpenSSL), tempfile (with shutil and random), html (its entity table), dataclasses
# (every class built at import), multiprocessing (a small batch runs in this process), the report
# model, json when the format is not JSON, and click (commands/quick.py parses these command lines).
# A JPEG's walk imports the modules of what it holds: no FLIR, extended XMP or dashcam segment here, and
# photos strip's record of the walk (jpeg_seen) is not kept by a scan.
NOT_FOR_SCAN = ["click", "contextlib", "tempfile", "hashlib", "html", "dataclasses", "multiprocessing", "shutil",
                "signal", "json", "exifread", "digisafe.core.model", "digisafe.core.findings",
                "digisafe.photos.strip", "digisafe.photos.boxes", "digisafe.photos.flir",
                "digisafe.photos.jpeg_extended", "digisafe.photos.jpeg_seen", "digisafe.photos.quicktime",
                "digisafe.photos.dashcam", "bisect"]
NOT_FOR_STRIP = ["click", "contextlib", "tempfile", "hashlib", "html", "dataclasses", "multiprocessing", "shutil",
                 "json",
                 "digisafe.core.model", "digisafe.core.findings", "digisafe.core.context",
                 "digisafe.core.subject_info"]


def loaded(argv: list[str], names: list[str]) -> list[str]:
    """Which of ``names`` a real `digisafe` run (a child process) had imported when it exited, leaving
    out what this interpreter had imported before digisafe's code ran (some Pythons' .pth files
    import tempfile at start-up)."""
    code = (
        "import atexit, sys\n"
        "before = set(sys.modules)\n"
        f"atexit.register(lambda: print('LOADED', *[m for m in {names!r} if m in sys.modules and m not in before],"
        " file=sys.stderr))\n"
        "from digisafe.cli import main\n"
        f"main({argv!r})\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode in (0, 1), done.stderr
    line = [x for x in done.stderr.splitlines() if x.startswith("LOADED")][-1]
    return line.split()[1:]


@pytest.fixture
def folder(tmp_path):
    photos = tmp_path / "photos"
    photos.mkdir()
    for i in range(3):
        build.make_jpeg(photos / f"located-{i}.jpg")  # EXIF GPS, XMP and IPTC (with its digest) place
        build.make_jpeg(photos / f"plain-{i}.jpg", gps=False, xmp=False, iptc=False)
    return photos


def test_scan_imports_only_what_it_needs(folder):
    assert loaded(["photos", "scan", str(folder)], NOT_FOR_SCAN) == []


def test_photo_walks_import_neither_typing_nor_what_their_files_do_not_hold(folder):
    """The photos code on the scan path imports typing only for type checkers (3 ms of every start
    without click), and a HEIF image without a movie does not import the video walkers."""
    from tests.photos import isobmff_build

    tiff = isobmff_build.gps_tiff(53.8, -1.55)
    (folder / "located.heic").write_bytes(isobmff_build.heif([(1, b"hvc1", "", bytes(16), 0),
                                                              (2, b"Exif", "", isobmff_build.exif_item(tiff), 0)]))
    names = ["typing", "bisect", "math", "digisafe.photos.quicktime", "digisafe.photos.dashcam",
             "digisafe.photos.timed", "digisafe.photos.flir", "digisafe.photos.jpeg_seen",
             "digisafe.photos.jpeg_extended"]
    code = (
        "import sys\n"
        "before = set(sys.modules)\n"
        "from pathlib import Path\n"
        "from digisafe.photos.pool import scan_many\n"
        "from digisafe.photos.scan import iter_files\n"
        "records = list(scan_many([(p, f is None) for p, f in iter_files([Path(sys.argv[1])])]))\n"
        "print(*sorted(f'{r.kind}:{r.status}' for r in records), sep=',')\n"
        f"print('LOADED', *[m for m in {names!r} if m in sys.modules and m not in before])\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(folder)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    kinds, loaded_names = done.stdout.splitlines()
    assert kinds.split(",") == ["isobmff:location"] + ["jpeg:location"] * 3 + ["jpeg:no location"] * 3
    assert loaded_names.split() == ["LOADED"]


def test_the_strip_pipeline_imports_neither_typing_nor_contextlib(folder, tmp_path):
    """The strip modules (striprun, batch, strip, checker, temps, crosscheck, durability) import
    typing only for type checkers and do without contextlib (3.5 ms of a small strip's start); and a
    strip with a checker process loads neither exifread nor libc (ctypes) here."""
    from digisafe.photos import pool

    names = ["typing", "contextlib", "threading"]
    if hasattr(os, "fork") and pool.usable_cpus() >= 2:
        names += ["exifread", "ctypes"]
    code = (
        "import sys\n"
        "before = set(sys.modules)\n"
        "from pathlib import Path\n"
        "from digisafe.photos.striprun import StripRun\n"
        "from digisafe.photos.scan import iter_files\n"
        "src, out = Path(sys.argv[1]), Path(sys.argv[2])\n"
        "jobs = [(p, out / p.relative_to(f)) for p, f in iter_files([src])]\n"
        "run = StripRun(jobs, dry_run=False, manifest=None, mode='out', keep=lambda o: True, tick=lambda: None)\n"
        "print(*sorted(o.status for o in run.run()), sep=',')\n"
        f"print('LOADED', *[m for m in {names!r} if m in sys.modules and m not in before])\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(folder), str(tmp_path / "clean")], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    statuses, loaded_names = done.stdout.splitlines()
    assert statuses.split(",") == ["cleaned"] * 3 + ["no location"] * 3
    assert loaded_names.split() == ["LOADED"]


def test_json_output_does_not_import_json(folder, tmp_path):
    """json costs ~2 ms to import (it compiles six regular expressions): digisafe.render.json writes
    the same text with the C encoder alone."""
    assert loaded(["photos", "scan", str(folder), "--format", "json"], ["json"]) == []
    assert loaded(["photos", "strip", str(folder), "--out", str(tmp_path / "clean"), "--format", "json",
                   "--manifest", str(tmp_path / "manifest.json")], ["json"]) == []


def test_scan_of_an_empty_folder_imports_no_walker(tmp_path):
    names = NOT_FOR_SCAN + ["digisafe.photos.jpeg", "digisafe.photos.xmp", "digisafe.photos.tiff"]
    assert loaded(["photos", "scan", str(tmp_path)], names) == []


def test_strip_imports_only_what_it_needs(folder, tmp_path):
    from digisafe.photos import pool

    names = NOT_FOR_STRIP
    if hasattr(os, "fork") and pool.usable_cpus() >= 2:  # exifread and libc (syncfs): the checker process's
        names = names + ["exifread", "ctypes", "threading"]  # (threading: the guardian's, not needed here)
    assert loaded(["photos", "strip", str(folder), "--out", str(tmp_path / "clean")], names) == []
    assert len(list((tmp_path / "clean").iterdir())) == 6



def test_temp_files_are_new_private_and_named_for_their_owner(tmp_path, monkeypatch):
    import os
    import stat

    from digisafe.photos import temps

    owner = temps.claim()
    fd, first = temps.create(tmp_path, "photo.jpg")
    os.close(fd)
    assert first.parent == tmp_path.absolute() and first.name.startswith(".photo.jpg.")
    assert temps.owner_of(first.name) == owner
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    # a name that exists already is never reused: the next random name is tried
    names = iter([first.name[len(f".photo.jpg.{owner}-"):-len(temps.SUFFIX)], "abcdefgh"])
    monkeypatch.setattr(temps, "_random_letters", lambda: next(names))
    fd, second = temps.create(tmp_path, "photo.jpg")
    os.close(fd)
    assert second.name == f".photo.jpg.{owner}-abcdefgh{temps.SUFFIX}"
    temps.remove(first)
    temps.remove(second)
    assert list(tmp_path.iterdir()) == []


def test_the_program_exits_with_everything_written(folder, tmp_path):
    """`digisafe` as a program (no argv given to main) skips the final garbage collections at exit:
    the report, the manifest and the cleaned copies are all there, and the exit code is right."""
    import json

    out, manifest = tmp_path / "clean", tmp_path / "manifest.json"
    done = subprocess.run([sys.executable, "-m", "digisafe", "photos", "strip", str(folder), "--out", str(out),
                           "--manifest", str(manifest), "--format", "json"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["summary"] == {"files": 6, "cleaned": 3, "no_location": 3, "not_cleaned": 0}
    assert len(json.loads(manifest.read_text())["files"]) == 6
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in folder.iterdir())
    done = subprocess.run([sys.executable, "-m", "digisafe", "photos", "scan", str(out)], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0 and "0 with location" in done.stdout, done.stdout + done.stderr
