"""`digisafe log` given odd but possible input: one clear line and exit 2 (or success), never an
internal error (exit 3). Real child processes, real files, real encryption."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from digisafe.records.reader import UnlockedLog
from digisafe.records.store import LogStore
from tests.records.conftest import PASSPHRASE

HUGE = "99999999999999999999"  # more than SQLite's 64-bit integers (and a C int) hold


def _run_bytes(env: dict, *args: bytes) -> subprocess.CompletedProcess:
    """The CLI with arguments as raw bytes (a file name or text that is not UTF-8)."""
    return subprocess.run([os.fsencode(sys.executable), b"-m", b"digisafe", *args], capture_output=True, env=env,
                          timeout=120)


def _fields(log_dir) -> list[dict]:
    with LogStore.open(log_dir) as store:
        log = UnlockedLog.unlock(store, PASSPHRASE)
        return [dict(opened.data) for opened in log.records()]


def test_a_file_whose_name_is_not_utf8_is_attached(log_dir, env, tmp_path) -> None:
    name = os.fsencode(tmp_path) + b"/caf\xe9 photo.jpg"  # a name from a Latin-1 system or an old zip
    with open(name, "wb") as handle:
        handle.write(b"the evidence")
    done = _run_bytes(env, b"log", b"attach", name, b"--folder", os.fsencode(log_dir))
    assert done.returncode == 0, done.stderr
    assert b"internal error" not in done.stderr
    assert _fields(log_dir)[0]["name"] == "caf\\xe9 photo.jpg"  # the odd byte kept, visibly


def test_entry_text_that_is_not_utf8_is_recorded(log_dir, env) -> None:
    done = _run_bytes(env, b"log", b"add", b"--folder", os.fsencode(log_dir), b"--no-interactive",
                      b"--what", b"He said caf\xe9 again")
    assert done.returncode == 0, done.stderr
    assert _fields(log_dir)[0]["fields"]["what_happened"] == "He said caf\\xe9 again"


def test_a_json_lone_surrogate_is_recorded(log_dir, run, tmp_path) -> None:
    source = tmp_path / "fields.json"
    source.write_text('{"what_happened": "broken \\ud800 text"}', encoding="ascii")
    done = run("log", "add", "--folder", str(log_dir), "--json", str(source), "--no-interactive")
    assert done.returncode == 0, done.stderr
    assert _fields(log_dir)[0]["fields"]["what_happened"] == "broken \\ud800 text"


@pytest.mark.parametrize("args", [("amend", HUGE, "--what", "x", "--no-interactive"),
                                  ("attach", "{file}", "--entry", HUGE),
                                  ("attach", "{file}", "--entry", "-" + HUGE)])
def test_a_huge_entry_number_is_not_in_the_log(log_dir, run, tmp_path, args) -> None:
    (tmp_path / "a.txt").write_text("x")
    done = run("log", *(a.replace("{file}", str(tmp_path / "a.txt")) for a in args), "--folder", str(log_dir))
    assert done.returncode == 2, done.stderr
    assert "internal error" not in done.stderr and "no" in done.stderr and HUGE in done.stderr


def test_a_huge_passphrase_fd_is_one_line(log_dir, run) -> None:
    done = run("log", "list", "--folder", str(log_dir), "--passphrase-fd", HUGE)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"digisafe: error: --passphrase-fd {HUGE}: ") and "internal" not in done.stderr


def _limit_file_size() -> None:
    import resource

    # NOTE: a file-size limit makes writes fail with EFBIG (Python ignores SIGXFSZ), as a full disk does.
    resource.setrlimit(resource.RLIMIT_FSIZE, (50_000, 50_000))


@pytest.mark.skipif(os.name == "nt", reason="a file-size limit (RLIMIT_FSIZE) is POSIX")
def test_a_write_error_while_exporting_attachments_is_one_line(log_dir, env, tmp_path) -> None:
    import io

    with LogStore.open(log_dir) as store:
        store.add_attachment(io.BytesIO(os.urandom(120_000)), lambda size, sha: {"name": "big.bin", "size": size,
                                                                                 "sha256": sha})
    folder = tmp_path / "for-police"
    done = subprocess.run([sys.executable, "-m", "digisafe", "log", "export", "--folder", str(log_dir),
                           "-o", str(tmp_path / "t.csv"), "--attachments", str(folder)],
                          capture_output=True, text=True, env=env, timeout=120, preexec_fn=_limit_file_size)
    assert done.returncode == 2, done.stderr
    assert "internal error" not in done.stderr
    assert f"cannot write {folder / '0001-big.bin'}" in done.stderr
    assert not [p for p in folder.iterdir() if p.name.endswith(".part")]  # no half-written file left


def test_attachments_folder_parents_are_private(log_dir, run, tmp_path) -> None:
    folder = tmp_path / "new" / "deeper" / "for-police"
    done = run("log", "export", "--folder", str(log_dir), "-o", str(tmp_path / "t.csv"), "--attachments", str(folder))
    assert done.returncode == 0, done.stderr
    if os.name != "nt":
        for made in (folder, folder.parent, folder.parent.parent):
            assert os.stat(made).st_mode & 0o777 == 0o700, made
    assert json.loads((folder / "manifest.json").read_text())["files"] == []
    dangling = tmp_path / "link"
    dangling.symlink_to(tmp_path / "nowhere")
    again = run("log", "export", "--folder", str(log_dir), "-o", str(tmp_path / "u.csv"),
                "--attachments", str(dangling))
    assert again.returncode == 2 and "already exists" in again.stderr and not (tmp_path / "nowhere").exists()


def test_output_and_attachments_folder_with_one_name_is_refused_before_decrypting(filled_log, run, tmp_path) -> None:
    same = tmp_path / "for-police"
    done = run("log", "export", "--folder", str(filled_log), "-o", str(same), "--attachments", str(same))
    assert done.returncode == 2 and "--attachments" in done.stderr, done.stderr
    assert not same.exists()  # no plaintext copies left behind by a refused export


@pytest.fixture
def filled_log(log_dir):
    import io

    with LogStore.open(log_dir) as store:
        store.add_attachment(io.BytesIO(b"a screenshot"), lambda size, sha: {"name": "shot.png", "size": size,
                                                                             "sha256": sha})
    return log_dir
