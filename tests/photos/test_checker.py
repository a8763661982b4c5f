"""exifread's cross-check in a second process (digisafe.photos.checker), for strips run in one
process: its answers decide before anything is renamed, and when it fails the check is made here.
Real photos, real forked processes."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from digisafe.cli import main
from digisafe.photos import checker, pool
from tests.photos import photo_build as build
from tests.photos.procs import alive, children_of

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or pool.usable_cpus() < 2,
                                reason="the checker process needs fork and a second CPU (else exifread looks here)")

TEST_PROCESS = os.getpid()


def run(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    out, err = capsys.readouterr()
    return exc.value.code, out, err


def strip_to_json(src: Path, out: Path, capsys) -> tuple[int, dict]:
    """`photos strip SRC --out OUT --format json` here; (exit code, {file name: its record})."""
    code, printed, _ = run(["photos", "strip", str(src), "--out", str(out), "--format", "json"], capsys)
    return code, {Path(f["source"]).name: f for f in json.loads(printed)["files"]}


def photos(root: Path, count: int = 6) -> Path:
    """``count`` JPEGs, half with GPS; p2 and p3 carry a marker (a JPEG comment) a stand-in for
    exifread can recognise in their copies."""
    root.mkdir()
    for i in range(count):
        photo = build.make_jpeg(root / f"p{i}.jpg", gps=i % 2 == 0)
        if i in (2, 3):
            data = photo.read_bytes()
            photo.write_bytes(data[:2] + b"\xff\xfe\x00\x0b" + f"p{i}-marker".encode() + data[2:])
    return root


def sees_gps_in(marker: bytes):
    def exifread_stand_in(f):
        return ["GPS GPSLatitude"] if marker in f.read(1 << 20) else []

    return exifread_stand_in


def test_a_small_strip_uses_the_checker_and_its_no_keeps_the_photo_out(tmp_path, capsys, monkeypatch):
    """exifread (here: a stand-in that sees GPS in p2's copy) answers from the checker process; that
    photo is NOT cleaned and nothing is written for it; the others are."""
    asked = tmp_path / "asked"

    def exifread_sees(f):
        with open(asked, "a") as log:
            log.write(f"{os.getpid()}\n")
        head = f.read(1 << 20)
        return ["GPS GPSLatitude"] if b"p2-marker" in head else []

    src = photos(tmp_path / "in")
    monkeypatch.setattr("digisafe.photos.strip.exifread_gps", exifread_sees)
    code, files = strip_to_json(src, tmp_path / "o", capsys)
    assert code == 1
    assert files["p2.jpg"]["status"] == "NOT cleaned" and "exifread still sees GPS tags" in files["p2.jpg"]["reason"]
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == ["p0.jpg", "p1.jpg", "p3.jpg", "p4.jpg", "p5.jpg"]
    pids = set(asked.read_text().split())
    assert pids and str(TEST_PROCESS) not in pids  # every look was the checker's
    assert not list(tmp_path.rglob("*.digisafe-tmp"))


def test_when_the_checker_dies_the_check_is_made_here(tmp_path, capsys, monkeypatch):
    here = sees_gps_in(b"p3-marker")

    def exifread_here(f):
        if os.getpid() != TEST_PROCESS:
            os._exit(7)  # the checker dies on its first look
        return here(f)

    src = photos(tmp_path / "in")
    monkeypatch.setattr("digisafe.photos.strip.exifread_gps", exifread_here)
    code, files = strip_to_json(src, tmp_path / "o", capsys)
    assert code == 1
    assert files["p3.jpg"]["status"] == "NOT cleaned" and "exifread still sees GPS tags" in files["p3.jpg"]["reason"]
    assert [n for n, f in files.items() if f["status"] == "NOT cleaned"] == ["p3.jpg"]
    assert not (tmp_path / "o" / "p3.jpg").exists() and not list(tmp_path.rglob("*.digisafe-tmp"))


def test_a_copy_that_cannot_be_read_again_is_not_cleaned(tmp_path, monkeypatch):
    """No answer from the checker and the copy gone: the photo is NOT cleaned, never kept unchecked."""
    from digisafe.photos import strip
    from digisafe.photos.outcome import CLEANED, Outcome

    temp = tmp_path / ".a.jpg.1-abcdefgh.digisafe-tmp"
    temp.write_bytes(b"x")
    outcome = Outcome(tmp_path / "a.jpg", tmp_path / "out.jpg", CLEANED, pending=temp)
    check = checker.Checker.__new__(checker.Checker)  # one with no process behind it
    check.pid, check._requests, check._replies, check._sent, check._received = 0, -1, -1, 0, 0
    check._answers, check._waiting, check._unsent, check._unsent_count = {}, {}, bytearray(), 0
    check.submit(outcome, temp)
    temp.unlink()
    monkeypatch.setattr(strip, "exifread_gps", lambda f: [])
    check.resolve([outcome])
    assert outcome.status == "NOT cleaned" and "could not be read for exifread's check" in outcome.reason


def test_no_checker_for_a_tiny_strip_a_dry_run_or_worker_batches():
    assert not checker.wanted(checker.MIN_JOBS - 1, 0, dry_run=False)
    assert not checker.wanted(100, 0, dry_run=True)
    assert not checker.wanted(500, 2, dry_run=False)
    assert checker.wanted(48, 0, dry_run=False)


def test_the_checker_is_gone_after_the_run(tmp_path, capsys):
    src = photos(tmp_path / "in")
    before = children_of()
    code, _out, _err = run(["photos", "strip", str(src), "--out", str(tmp_path / "o")], capsys)
    assert code == 0 and children_of() == before



# NOTE: SIGINT back to Python's default first: a shell starts a background job (a test run started
# with &) with SIGINT ignored, and the child would inherit that and never see the Ctrl-C.
CHILD = """
import signal, sys, time
signal.signal(signal.SIGINT, signal.default_int_handler)
from digisafe.photos import strip
from digisafe.cli import main

def slow_exifread(f):
    time.sleep(0.2)
    return []

strip.exifread_gps = slow_exifread
main(sys.argv[1:])
"""


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="finds the checker process in /proc")
def test_a_killed_strip_leaves_no_checker_and_no_temp_file(tmp_path):
    """The strip process killed outright (SIGKILL) while it waits for the checker's answers: the
    checker ends (its pipes close) and the guardian removes the temp files."""
    import signal
    import subprocess
    import sys
    import time

    src = photos(tmp_path / "in")
    proc = subprocess.Popen([sys.executable, "-c", CHILD, "photos", "strip", str(src), "--out", str(tmp_path / "o")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not list((tmp_path / "o").rglob("*.digisafe-tmp")) and time.monotonic() < deadline:
        time.sleep(0.01)  # until every copy waits for exifread's answer (the checker takes 0.2 s a look)
    children = children_of(proc.pid)
    assert len(children) == 1, "the checker, which also does the guardian's job (one fork, not two)"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    while any(alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(alive(pid) for pid in children)
    while list(tmp_path.rglob("*.digisafe-tmp")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not list(tmp_path.rglob("*.digisafe-tmp"))


def test_ctrl_c_to_a_small_strip_stops_its_checker_and_leaves_no_temp_file(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    src = photos(tmp_path / "in")
    proc = subprocess.Popen([sys.executable, "-c", CHILD, "photos", "strip", str(src), "--out", str(tmp_path / "o")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 60
    while not list((tmp_path / "o").rglob("*.digisafe-tmp")) and time.monotonic() < deadline:
        time.sleep(0.01)
    children = children_of(proc.pid)
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C: the whole group, the checker too
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert not any(alive(pid) for pid in children)
    assert not list(tmp_path.rglob("*.digisafe-tmp"))
    assert not (tmp_path / "o").exists() or not list((tmp_path / "o").iterdir())  # nothing was kept unchecked


def _recording_syncfs(log: Path, result: int = 0):
    def syncfs(fd: int) -> int:
        if fd >= 0:
            with open(log, "a") as f:
                f.write(f"{os.getpid()}\n")
        return result

    return syncfs


def test_the_checker_makes_each_group_durable(tmp_path, capsys, monkeypatch):
    """The group's syncfs is the checker's (after its looks, before anything is renamed): this
    process syncs nothing itself and fsyncs no file."""
    from digisafe.photos import batch

    log = tmp_path / "synced"
    monkeypatch.setattr("digisafe.system.durability.libc_syncfs", lambda: _recording_syncfs(log))
    here = []
    monkeypatch.setattr(batch._Committer, "_syncfs", lambda self, folders: here.append(folders) or True)
    monkeypatch.setattr(batch, "_fsync_files", lambda paths: here.append(paths))
    src = photos(tmp_path / "in")
    code, files = strip_to_json(src, tmp_path / "o", capsys)
    assert code == 0 and all(f["status"] in ("cleaned", "no location") for f in files.values()), files
    assert len(list((tmp_path / "o").iterdir())) == 6
    pids = set(log.read_text().split())
    assert pids and str(TEST_PROCESS) not in pids
    assert here == []


def test_a_sync_that_fails_in_the_checker_falls_back_to_fsync_of_each_file(tmp_path, capsys, monkeypatch):
    from digisafe.photos import batch

    log = tmp_path / "synced"
    monkeypatch.setattr("digisafe.system.durability.libc_syncfs", lambda: _recording_syncfs(log, result=-1))
    fsynced = []
    real = batch._fsync_files
    monkeypatch.setattr(batch, "_fsync_files", lambda paths: fsynced.extend(paths) or real(paths))
    src = photos(tmp_path / "in")
    code, _files = strip_to_json(src, tmp_path / "o", capsys)
    assert code == 0 and len(fsynced) == 6
    assert len(list((tmp_path / "o").iterdir())) == 6


def test_when_the_checker_dies_the_sync_is_made_here(tmp_path, capsys, monkeypatch):
    from digisafe.photos import batch

    def exifread_here(f):
        if os.getpid() != TEST_PROCESS:
            os._exit(7)
        return []

    here = []
    real = batch._Committer._syncfs
    monkeypatch.setattr(batch._Committer, "_syncfs", lambda self, folders: here.append(folders) or real(self, folders))
    monkeypatch.setattr("digisafe.photos.strip.exifread_gps", exifread_here)
    src = photos(tmp_path / "in")
    code, _files = strip_to_json(src, tmp_path / "o", capsys)
    assert code == 0 and here and len(list((tmp_path / "o").iterdir())) == 6


def test_the_sync_that_counts_uses_the_descriptor_opened_before_any_write(tmp_path):
    """One descriptor per filesystem, opened before the first photo is written (a write-back error
    since then is reported to it), on the nearest existing folder; the group's sync uses it."""
    from digisafe.photos import checker_loop

    out = tmp_path / "out"
    out.mkdir()
    filesystems = checker._filesystems([out / "a" / "b", out / "c", out])
    assert len(filesystems) == 1
    (device, (early, folder)), = filesystems.items()
    assert folder == str(out) and os.fstat(early).st_dev == device == out.stat().st_dev
    (out / "a").mkdir()
    called = []
    syncer = checker_loop._Syncer.__new__(checker_loop._Syncer)
    syncer.filesystems, syncer.call = filesystems, lambda fd: called.append(fd) or 0
    assert syncer.sync([os.fsencode(out), os.fsencode(out / "a")]) == checker.SYNCED and called == [early]
    syncer.call = lambda fd: -1
    assert syncer.sync([os.fsencode(out)]) == checker.NOT_SYNCED
    assert syncer.sync([os.fsencode(tmp_path / "gone")]) == checker.NOT_SYNCED
    os.close(early)


def test_requests_go_a_few_at_a_time_and_all_before_an_answer_is_awaited(tmp_path, capsys, monkeypatch):
    """Each write to the checker wakes it: the looks are sent SEND_EVERY at a time, and what is left
    goes before this process waits for an answer (else it would wait for ever)."""
    writes = []
    real = checker.write_all
    monkeypatch.setattr(checker, "write_all", lambda fd, data: writes.append(data) or real(fd, data))
    src = photos(tmp_path / "in", count=checker.SEND_EVERY + 3)
    code, files = strip_to_json(src, tmp_path / "o", capsys)
    assert code == 0 and len(files) == checker.SEND_EVERY + 3
    sizes = [len(w) for w in writes]
    assert len(writes) == 4, sizes  # SEND_EVERY looks; the other 3 and the sync; the renames' sync; goodbye
