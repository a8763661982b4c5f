"""Interrupted `photos strip` runs (real processes, real signals): no temp file is left behind, no
worker outlives the main process, no worker traceback, and the manifest journal stays valid."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from digisafe.photos.batch import SYNC_GROUP
from tests.photos import photo_build as build

HANG = 240  # seconds: a guard against a hang, not a speed limit (532 in-place strips on a loaded machine)

pytestmark = pytest.mark.skipif(os.name != "posix" or not Path("/proc/self").exists(),
                                reason="signals to process groups and /proc (to find workers) are POSIX/Linux")


def big_jpeg() -> bytes:
    """A ~1 MB JPEG with GPS, XMP and IPTC location: big enough that a batch takes a while."""
    from PIL import Image

    buf = io.BytesIO()
    side = 900
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(
        buf, "JPEG", exif=build.exif(), quality=95, xmp=build.XMP)
    return build.insert_after_soi(buf.getvalue(), build.photoshop_app13(build.iptc_block()))


@pytest.fixture(scope="module")
def seed() -> bytes:
    return big_jpeg()


def folder_of(root: Path, seed: bytes, count: int, name: str = "p{:03d}.jpg") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (root / name.format(i)).write_bytes(seed)
    return root


def start(argv: list[str]) -> subprocess.Popen:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    # NOTE: SIGINT back to Python's default first: a shell starts a background job (a test run
    # started with &) with SIGINT ignored, and the strip would inherit that and never see a Ctrl-C.
    code = ("import runpy, signal; signal.signal(signal.SIGINT, signal.default_int_handler); "
            "runpy.run_module('digisafe', run_name='__main__')")
    return subprocess.Popen([sys.executable, "-c", code, "photos", "strip", *argv], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True, env=env, cwd=os.path.dirname(argv[0]))


def wait_for(condition, timeout: float = 20.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError("timed out")
        time.sleep(0.01)


def temps_in(*folders: Path) -> list[Path]:
    return [p for folder in folders for p in folder.rglob("*") if p.name.endswith(".digisafe-tmp")]


def alive_with(marker: str) -> list[int]:
    """Processes whose command line mentions ``marker`` (the forked workers share the parent's)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmd = (entry / "cmdline").read_bytes()
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if marker.encode() in cmd and state != "Z":
                pids.append(int(entry.name))
    return pids


def interrupt(tmp_path: Path, seed: bytes, how: str, in_place: bool = False) -> tuple[subprocess.Popen, str, str]:
    """Start a strip of ``count`` photos and stop it mid-run. NOTE: strip got fast enough that 80
    photos sometimes finished between the first temp file and the signal (exit 0): then the run is
    repeated with three times as many, so the interrupt always lands while the strip is working."""
    for count in (80, 240, 720):
        src = folder_of(tmp_path / "in", seed, count)
        out = tmp_path / "out"
        args = [str(src), "--in-place"] if in_place else [str(src), "--out", str(out)]
        proc = start(args + ["--manifest", str(tmp_path / "m.json")])
        wait_for(lambda p=proc: bool(temps_in(tmp_path)) or p.poll() is not None)  # mid-run: temps being written
        running = alive_with(str(src))
        if how == "group-int":
            os.killpg(proc.pid, signal.SIGINT)
        else:
            os.kill(proc.pid, getattr(signal, how))
        stdout, stderr = (s.decode(errors="replace") for s in proc.communicate(timeout=HANG))
        if proc.returncode == 0:  # it finished first: nothing was interrupted, try a bigger batch
            if in_place:
                for photo in src.iterdir():
                    photo.write_bytes(seed)
            (tmp_path / "m.json").unlink()
            if out.exists():
                for copy in out.iterdir():
                    copy.unlink()
            continue
        assert len(running) >= 4  # the strip process, its guardian and (2 cores or more) workers
        wait_for(lambda s=src: not alive_with(str(s)), timeout=10)  # workers and guardian are gone
        wait_for(lambda: not temps_in(tmp_path), timeout=5)
        return proc, stdout, stderr
    raise AssertionError("the strip always finished before the signal arrived")


@pytest.mark.parametrize("how", ["group-int", "SIGTERM", "SIGKILL"])
def test_interrupted_strip_leaves_no_temp_and_no_worker(tmp_path, seed, how):
    proc, _out, err = interrupt(tmp_path, seed, how)
    assert proc.returncode == (-signal.SIGKILL if how == "SIGKILL" else 130), err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert all(p.read_bytes() == seed for p in (tmp_path / "in").iterdir())  # originals untouched
    record = json.loads((tmp_path / "m.json").read_text())  # the journal is valid JSON whatever happened
    assert record["complete"] is False
    finished = {Path(f["output"]).name for f in record["files"] if f["status"] == "cleaned"}
    present = {p.name for p in (tmp_path / "out").iterdir()} if (tmp_path / "out").exists() else set()
    assert present <= finished  # every cleaned copy on disk is in the record


def test_in_place_kill_keeps_a_record_of_every_replaced_file(tmp_path, seed):
    proc, _out, _err = interrupt(tmp_path, seed, "SIGKILL", in_place=True)
    replaced = {p.name for p in (tmp_path / "in").iterdir() if p.read_bytes() != seed}
    record = json.loads((tmp_path / "m.json").read_text())
    recorded = {Path(f["source"]).name for f in record["files"] if f["status"] == "cleaned"}
    assert replaced <= recorded
    assert not temps_in(tmp_path / "in")


def test_next_run_removes_stale_temps_and_says_so(tmp_path, seed):
    src = folder_of(tmp_path / "in", seed, 2)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale_new = src / f".p000.jpg.{int(dead.stdout)}-abcd1234.digisafe-tmp"
    stale_old = src / ".p001.jpg.x_y9k2ab.digisafe-tmp"  # written by an older version
    running = src / f".p001.jpg.{os.getpid()}-zzzz0000.digisafe-tmp"  # a strip that is running now
    for path in (stale_new, stale_old, running):
        path.write_bytes(b"half")
    done = start([str(src), "--in-place"])
    _out, err = done.communicate(timeout=60)
    assert done.returncode == 0, err
    assert "Removed 2 temporary files left by an interrupted earlier strip" in err.decode()
    assert not stale_new.exists() and not stale_old.exists() and running.exists()


def test_manifest_that_cannot_be_written_stops_before_any_replacement(tmp_path):
    """A disk that refuses the manifest (here: a file-size limit, as a full disk would) replaces
    nothing; a limit hit mid-run leaves a valid manifest recording every file already replaced."""
    import resource

    small = build.make_jpeg(tmp_path / "s.jpg").read_bytes()
    count = 2 * SYNC_GROUP + 20
    src = folder_of(tmp_path / "in", small, count)

    def limit(size: int):
        return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    argv = [sys.executable, "-m", "digisafe", "photos", "strip", str(src), "--in-place", "--manifest",
            str(tmp_path / "m.json")]
    tiny = subprocess.run(argv, capture_output=True, text=True, preexec_fn=limit(100), timeout=HANG, cwd=tmp_path)
    assert tiny.returncode == 2 and "cannot write" in tiny.stderr
    assert all(p.read_bytes() == small for p in src.iterdir())
    # (the limit lets the first group's records (~1.7 kB each, with their "changes") through, not two)
    mid = subprocess.run(argv, capture_output=True, text=True, preexec_fn=limit(SYNC_GROUP * 2500), timeout=HANG,
                         cwd=tmp_path)
    assert mid.returncode == 2 and "cannot write the manifest" in mid.stderr, mid.stderr
    replaced = {p.name for p in src.iterdir() if p.read_bytes() != small}
    record = json.loads((tmp_path / "m.json").read_text())
    assert 0 < len(replaced) < count and record["complete"] is False
    assert replaced == {Path(f["source"]).name for f in record["files"] if f["status"] == "cleaned"}
    assert not temps_in(src)


def children_of(pid: int) -> list[int]:
    kids: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            kids += [int(k) for k in (task / "children").read_text().split()]
        except OSError:
            pass
    return sorted(kids)


def test_a_worker_killed_mid_run_is_one_clear_error_not_an_internal_one(tmp_path, seed):
    """A worker killed from outside (the OOM killer, an administrator): the run stops with exit 3 and
    one line saying so, not 'internal error ... set DIGISAFE_DEBUG'; nothing half-written is left."""
    src = folder_of(tmp_path / "in", seed, 80)
    proc = start([str(src), "--out", str(tmp_path / "out"), "--manifest", str(tmp_path / "m.json")])
    wait_for(lambda: bool(temps_in(tmp_path)) and len(children_of(proc.pid)) >= 2)
    os.kill(children_of(proc.pid)[-1], signal.SIGKILL)  # the last forked: a worker (the guardian is first)
    _out, err = (s.decode(errors="replace") for s in proc.communicate(timeout=HANG))
    wait_for(lambda: not alive_with(str(src)), timeout=10)
    wait_for(lambda: not temps_in(tmp_path), timeout=5)
    if proc.returncode == 0:  # the worker had finished its share already: nothing to report
        return
    assert proc.returncode == 3, err
    assert "worker process stopped unexpectedly (killed by signal 9)" in err
    assert "internal error" not in err and "DIGISAFE_DEBUG" not in err and "Traceback" not in err
    assert json.loads((tmp_path / "m.json").read_text())["complete"] is False
