from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from digisafe.core.errors import InputError
from digisafe.core.safefile import write_private
from digisafe.system.files import RootedFiles


def test_rooted_files_map_posix_windows_and_home_paths(tmp_path) -> None:
    files = RootedFiles(tmp_path / "root", tmp_path / "home")
    assert files.path("/etc/geoclue/geoclue.conf") == tmp_path / "root/etc/geoclue/geoclue.conf"
    assert files.path("C:\\Program Files\\X\\a.exe") == tmp_path / "root/C/Program Files/X/a.exe"
    assert files.path("c:/Users/Public") == tmp_path / "root/C/Users/Public"
    assert files.path("~/.ssh/authorized_keys") == tmp_path / "home/.ssh/authorized_keys"
    assert files.path("~") == tmp_path / "home"


def test_write_private_is_atomic_and_0600(tmp_path) -> None:
    target = tmp_path / "report.json"
    target.write_text("old")
    write_private(target, "new")
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert os.listdir(tmp_path) == ["report.json"]


def test_write_private_leaves_the_old_file_when_writing_fails(tmp_path, monkeypatch) -> None:
    target = tmp_path / "report.json"
    target.write_text("old")

    def failing_fsync(_fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(InputError, match="No space left"):
        write_private(target, "new")
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["report.json"]  # no temp file left behind


def test_write_private_refuses_a_folder(tmp_path) -> None:
    with pytest.raises(InputError, match="it is a folder"):
        write_private(Path(tmp_path), "x")


def _finishes(fn, seconds: float = 5.0):
    import threading

    outcome: dict = {}

    def target():
        try:
            outcome["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            outcome["error"] = exc

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "blocked: a planted FIFO must never hang digisafe"
    return outcome


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this OS")
def test_open_regular_refuses_a_fifo_without_blocking(tmp_path) -> None:
    from digisafe.core.safefile import NotARegularFile, open_regular

    fifo = tmp_path / "authorized_keys"
    os.mkfifo(fifo)
    outcome = _finishes(lambda: open_regular(fifo))
    assert isinstance(outcome.get("error"), NotARegularFile)
    assert isinstance(_finishes(lambda: open_regular(tmp_path)).get("error"), OSError)
    real = tmp_path / "real"
    real.write_bytes(b"abc")
    with open_regular(real) as handle:
        assert handle.read() == b"abc"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this OS")
def test_settings_reader_reports_a_fifo_as_unreadable(tmp_path) -> None:
    from digisafe.settings.read import Unreadable, read_text

    fifo = tmp_path / "geoclue.conf"
    os.mkfifo(fifo)
    error = _finishes(lambda: read_text(fifo)).get("error")
    assert isinstance(error, Unreadable) and "not a regular file" in str(error)
