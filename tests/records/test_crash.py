"""kill -9 at any moment during add or attach leaves a log that verifies, with every confirmed entry."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from digisafe.records.chain import verify_chain
from digisafe.records.reader import UnlockedLog
from digisafe.records.store import FILE_NAME, LogStore
from tests.records.conftest import PASSPHRASE

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="no kill -9 on this OS")

ADDER = """
import sys
from digisafe.records.store import LogStore
from tests.records.conftest import entry
store = LogStore.open(sys.argv[1])
n = 0
while True:
    n = store.add_entry(entry("entry written in a loop " + str(n)))
    print(n, flush=True)  # printed only after COMMIT returned: 'confirmed'
"""


def _check(folder, at_least: int) -> int:
    with LogStore.open(folder) as store:
        report = verify_chain(store)
        assert report.ok, report.first_broken()
        assert report.count >= at_least
        log = UnlockedLog.unlock(store, PASSPHRASE)
        assert all(not o.error for o in log.records())
    return report.count


def test_kill_9_while_adding_in_a_loop(log_dir, env) -> None:
    rng = random.Random(14)
    confirmed = 0
    for _round in range(3):
        child = subprocess.Popen([sys.executable, "-c", ADDER, str(log_dir)], stdout=subprocess.PIPE, text=True,
                                 env={**env, "PYTHONPATH": os.getcwd()})
        wanted = rng.randint(5, 40)
        last = 0
        for line in child.stdout:
            last = int(line)
            if last - confirmed >= wanted:
                break
        time.sleep(rng.random() * 0.02)  # land anywhere inside the next transaction
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stdout.close()
        confirmed = _check(log_dir, last)
    assert confirmed >= 15


def test_kill_9_during_the_cli_add_at_random_moments(log_dir, run, env) -> None:
    rng = random.Random(9)
    finished = 0
    for n in range(6):
        child = subprocess.Popen([sys.executable, "-m", "digisafe", "log", "add", "--folder", str(log_dir),
                                  "--what", f"cli entry {n}", "--no-interactive"], env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, 0.6))
        child.send_signal(signal.SIGKILL)
        finished += child.wait() == 0
        count = _check(log_dir, finished)
        assert count <= n + 1
    assert run("log", "verify", "--folder", str(log_dir)).returncode == 0


def test_kill_9_during_attach_keeps_the_log_and_leaves_no_half_file(log_dir, run, env, tmp_path) -> None:
    big = tmp_path / "video.mp4"
    with open(big, "wb") as handle:
        for _ in range(64):
            handle.write(os.urandom(1 << 20))
    assert run("log", "add", "--folder", str(log_dir), "--what", "before", "--no-interactive").returncode == 0
    journal = log_dir / f"{FILE_NAME}-journal"
    child = subprocess.Popen([sys.executable, "-m", "digisafe", "log", "attach", str(big), "--folder", str(log_dir)],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not journal.exists() and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.005)
    time.sleep(0.2)  # well inside the stream of chunks
    child.send_signal(signal.SIGKILL)
    assert child.wait() == -signal.SIGKILL
    assert _check(log_dir, 1) == 1  # the unconfirmed attachment is gone, the entry is there
    with LogStore.open(log_dir) as store:
        assert list(store.chunks(2)) == []
    done = run("log", "attach", str(big), "--folder", str(log_dir))
    assert done.returncode == 0, done.stderr
    assert run("log", "verify", "--folder", str(log_dir), "--full").returncode == 0
