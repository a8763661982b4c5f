"""`digisafe log` end to end through the real CLI (child processes, real files, real encryption)."""

from __future__ import annotations

import json
import os
import re
import stat
import sys

import pytest
from click.testing import CliRunner

from digisafe.records import crypto
from digisafe.records.location import synced_by
from digisafe.records.reader import UnlockedLog
from digisafe.records.store import FILE_NAME, LogStore
from tests.records.conftest import PASSPHRASE


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_init_with_the_real_setting_then_add_list_show(tmp_path, run, env) -> None:
    """The one test of the production scrypt setting (N=2**18, r=8: 256 MiB, about a second)."""
    done = run("log", "init")  # default folder: the per-user data folder, neutral names
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "home" / ".data" / "digisafe" / "store"
    assert "cannot be opened by anyone" in done.stderr and str(folder) in done.stdout
    assert _mode(folder) == 0o700 and _mode(folder / FILE_NAME) == 0o600
    with LogStore.open(folder) as store:
        assert crypto.KdfParams.from_json(store.header.kdf_json)[0] == crypto.PRODUCTION_KDF
    added = run("log", "add", "--when", "2026-12-01 18:30", "--tz", "Europe/London", "--where", "bus stop",
                "--what", "He was at the bus stop again", "--words", "See you tomorrow", "--contact", "in person",
                "--reported", "yes", "--crime-ref", "CR/0001/26", "--officer", "PC 1234", "--no-interactive",
                extra_env={"DIGISAFE_LOG_PASSPHRASE": ""})  # adding needs no passphrase
    assert added.returncode == 0 and "Added entry #1" in added.stdout, added.stderr
    shown = run("log", "show", "1")
    for text in ("He was at the bus stop again", "2026-12-01T18:30:00+00:00 (Europe/London)", "See you tomorrow",
                 "CR/0001/26", "PC 1234"):
        assert text in shown.stdout


def test_wrong_passphrase_is_one_line_exit_2(log_dir, run) -> None:
    run("log", "add", "--folder", str(log_dir), "--what", "kept safe", "--no-interactive")
    wrong = run("log", "list", "--folder", str(log_dir), extra_env={"DIGISAFE_LOG_PASSPHRASE": "wrong passphrase!"})
    assert wrong.returncode == 2 and "kept safe" not in wrong.stdout
    assert wrong.stderr.strip().splitlines() == ["digisafe: error: wrong passphrase (or the log's key record is "
                                                 "damaged); nothing was changed"]


def test_init_refuses_short_passphrase_existing_log_and_warns_for_synced_folders(tmp_path, run, log_dir) -> None:
    synced = tmp_path / "home" / "Dropbox" / "private"
    short = run("log", "init", "--folder", str(synced), extra_env={"DIGISAFE_LOG_PASSPHRASE": "short"})
    assert short.returncode == 2 and "looks like a Dropbox folder" in short.stderr
    assert "at least 10 characters" in short.stderr and not synced.exists()
    again = run("log", "init", "--folder", str(log_dir))
    assert again.returncode == 2 and "a log already exists" in again.stderr


@pytest.mark.parametrize("path,environ,service", [
    ("/home/a/OneDrive - Contoso/Docs", {}, "OneDrive"),
    ("/Users/a/Library/Mobile Documents/com~apple~CloudDocs/x", {}, "iCloud Drive"),
    ("/Users/a/Library/CloudStorage/GoogleDrive-a@b.com/My Drive/x", {}, "Google Drive"),
    ("/home/a/Dropbox (Personal)/x", {}, "Dropbox"),
    ("/srv/files/sync/x", {"OneDrive": "/srv/files/sync"}, "OneDrive"),
    ("/home/a/.local/share/digisafe/store", {}, ""),
    ("/home/a/dropboxes-are-boxes", {}, ""),
])
def test_synced_folders_are_recognised(path, environ, service) -> None:
    assert synced_by(path, environ) == service


def test_passphrase_from_a_file_descriptor(log_dir, run, env) -> None:
    import subprocess

    read_end, write_end = os.pipe()
    os.write(write_end, PASSPHRASE.encode() + b"\n")
    os.close(write_end)
    child_env = {k: v for k, v in env.items() if k != "DIGISAFE_LOG_PASSPHRASE"}
    done = subprocess.run([sys.executable, "-m", "digisafe", "log", "list", "--folder", str(log_dir),
                           "--passphrase-fd", str(read_end)], pass_fds=(read_end,), env=child_env,
                          capture_output=True, text=True, timeout=60)
    os.close(read_end)
    assert done.returncode == 0, done.stderr
    assert "The log is empty." in done.stdout
    no_tty = subprocess.run([sys.executable, "-m", "digisafe", "log", "list", "--folder", str(log_dir)],
                            env=child_env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert no_tty.returncode == 2 and "never on the command line" in no_tty.stderr


def test_interactive_prompts_and_json_input(log_dir, monkeypatch) -> None:
    from digisafe.cli import cli

    monkeypatch.setenv("DIGISAFE_LOG_PASSPHRASE", PASSPHRASE)
    answers = "\n".join(["2026-11-02 07:45", "Station car park", "He stood by my car.", "He filmed me.", "",
                         "You'll regret it", "", "in person", "", "Tall, grey coat, silver Ford KA AB12 CDE", "",
                         "I was shaking and now take another route", "", "no", "", ""]) + "\n"
    done = CliRunner().invoke(cli, ["log", "add", "--folder", str(log_dir), "--interactive", "--tz", "+00:00"],
                              input=answers)
    assert done.exit_code == 0, done.output
    fields = {"what_happened": "He phoned 14 times", "contact_method": "phone call", "contact_details": "07700 900123"}
    done = CliRunner().invoke(cli, ["log", "add", "--folder", str(log_dir), "--json", "-", "--no-interactive"],
                              input=json.dumps(fields))
    assert done.exit_code == 0, done.output
    with LogStore.open(log_dir) as store:
        entries = [o.data for o in UnlockedLog.unlock(store, PASSPHRASE).records()]
    first = entries[0]["fields"]
    assert first["what_happened"] == "He stood by my car.\nHe filmed me."
    assert first["appearance"] == "Tall, grey coat, silver Ford KA AB12 CDE"
    assert first["impact"] == "I was shaking and now take another route" and first["reported"] == "no"
    assert entries[0]["occurred_at"] == "2026-11-02T07:45:00+00:00"
    assert entries[1]["fields"]["contact_details"] == "07700 900123"


@pytest.mark.parametrize("args,message", [
    (["--when", "yesterday"], "is not a date"),
    (["--when", "2999-01-01 10:00"], "in the future"),
    (["--when", "2026-02-30"], "day is out of range"),
    (["--tz", "Mars/Olympus"], "unknown time zone"),
    (["--reported", "maybe"], "answer yes or no"),
    ([], "needs at least 'what happened'"),
])
def test_bad_add_input_is_one_line_and_adds_nothing(log_dir, run, args, message) -> None:
    what = [] if not args else ["--what", "x"]
    done = run("log", "add", "--folder", str(log_dir), "--no-interactive", *what, *args)
    assert done.returncode == 2 and message in done.stderr and "Traceback" not in done.stderr
    with LogStore.open(log_dir) as store:
        assert list(store.rows()) == []


def test_amend_keeps_the_original(log_dir, run) -> None:
    run("log", "add", "--folder", str(log_dir), "--what", "first version", "--no-interactive")
    done = run("log", "amend", "1", "--folder", str(log_dir), "--reason", "I remembered the time",
               "--when", "2026-12-01 09:00", "--tz", "+00:00", "--no-interactive")
    assert done.returncode == 0 and "#1 is kept exactly as it was written" in done.stdout
    shown = run("log", "show", "--folder", str(log_dir)).stdout
    assert "first version" in shown
    assert re.search(r"Amended by +#2", shown) and re.search(r"Reason for the amendment +I remembered", shown)
    assert run("log", "amend", "7", "--folder", str(log_dir), "--no-interactive").returncode == 2
