from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from digisafe.errors import InputError
from digisafe.safefile import write_private
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
