"""`log attach a b c` checks every file before adding any: one it cannot read (missing, a folder, a
pipe, unreadable) is one error line and exit 2 with nothing added, never a half-done attach."""

from __future__ import annotations

import os

import pytest


def _records(run, log_dir) -> str:
    listed = run("log", "list", "--folder", str(log_dir))
    assert listed.returncode == 0, listed.stderr
    return listed.stdout


@pytest.mark.parametrize("bad", ["missing", "folder", "fifo"])
def test_one_bad_file_adds_none(tmp_path, log_dir, run, bad) -> None:
    good = tmp_path / "a.txt"
    good.write_text("evidence")
    target = tmp_path / "b.txt"
    if bad == "folder":
        target.mkdir()
    elif bad == "fifo":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs here")
        os.mkfifo(target)
    done = run("log", "attach", "--folder", str(log_dir), str(good), str(target), str(good))
    assert done.returncode == 2 and "Added" not in done.stdout, done.stdout
    if bad == "folder":  # click's usage error (exit 2), before anything is opened
        assert "b.txt' is a directory" in done.stderr, done.stderr
    else:
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("digisafe: error: cannot read") and "b.txt" in lines[0]
        assert "nothing was added" in lines[0], lines
    assert _records(run, log_dir).strip() == "The log is empty."


def test_all_good_files_are_added(tmp_path, log_dir, run) -> None:
    files = []
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(name)
        files.append(str(tmp_path / name))
    done = run("log", "attach", "--folder", str(log_dir), *files)
    assert done.returncode == 0 and done.stdout.count("Added #") == 2, done.stderr
    assert "File: a.txt" in _records(run, log_dir) and "File: b.txt" in _records(run, log_dir)
