"""`log export -o NAME` writes what NAME says (.pdf, .html, .csv); a contradicting --format is refused
before the passphrase is asked (it wrote a PDF into timeline.html and timeline.csv)."""

from __future__ import annotations

import pytest

from digisafe.records.store import LogStore
from tests.records.conftest import entry


@pytest.mark.parametrize(("name", "starts"), [("t.pdf", b"%PDF"), ("t.HTML", b"<!DOCTYPE html>"),
                                              ("t.csv", b"number,kind,"), ("t", b"%PDF")])
def test_export_format_follows_the_file_name(log_dir, run, tmp_path, name, starts) -> None:
    with LogStore.open(log_dir) as store:
        store.add_entry(entry("He waited outside"))
    out = tmp_path / name
    done = run("log", "export", "--folder", str(log_dir), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(starts)


def test_contradicting_format_is_one_line_exit_2_and_writes_nothing(log_dir, run, tmp_path) -> None:
    out = tmp_path / "t.html"
    done = run("log", "export", "--folder", str(log_dir), "--format", "pdf", "-o", str(out),
               extra_env={"DIGISAFE_LOG_PASSPHRASE": "wrong"})  # refused before the passphrase is tried
    assert done.returncode == 2 and "does not match the output name" in done.stderr
    assert done.stderr.count("\n") == 1 and not out.exists()
