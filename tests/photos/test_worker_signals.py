"""A strip worker's parent-watch thread must never be the one that receives SIGTERM: CPython only
flags a signal caught by another thread, and a main thread blocked in a pool queue's lock (held by a
worker killed mid-put) never came back to run the handler: the worker and the strip waiting for it
hung for ever (seen once, caught with py-spy). The watch thread blocks the stop signals."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads thread signal masks in /proc")

CHILD = """
import os, signal, threading
from digisafe.system.lifetime import die_with_parent
die_with_parent(os.getppid(), lambda: None)
(watch,) = [t for t in threading.enumerate() if t.name == "parent-watch"]
def blocked(tid):
    for line in open(f"/proc/self/task/{tid}/status"):
        if line.startswith("SigBlk:"):
            return int(line.split()[1], 16)
mask_watch, mask_main = blocked(watch.native_id), blocked(threading.main_thread().native_id)
print(all(mask_watch >> (s - 1) & 1 for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)),
      bool(mask_main >> (signal.SIGTERM - 1) & 1))
"""


def test_the_watch_thread_leaves_stop_signals_to_the_main_thread():
    done = subprocess.run([sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "False"]  # watch thread blocks them; the main thread takes them
