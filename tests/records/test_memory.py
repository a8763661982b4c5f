"""A large attachment streams: peak memory (RSS, measured in a child process) does not grow with its
size, when adding it and when decrypting it out again."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

resource = pytest.importorskip("resource", reason="peak RSS is read with the POSIX resource module")

CHILD = """
import hashlib, json, resource, sys
from digisafe.records.api import add_attachment_from_stream
from digisafe.records.reader import UnlockedLog
from digisafe.records.store import LogStore
from tests.records.conftest import PASSPHRASE
folder, source, out = sys.argv[1:4]
with open(source, "rb") as handle:
    seq = add_attachment_from_stream(folder, handle, "big.bin")
after_add = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
with LogStore.open(folder) as store, open(out, "wb") as target:
    log = UnlockedLog.unlock(store, PASSPHRASE)
    log.write_attachment(log.record(seq), target)
print(json.dumps({"add": after_add, "read": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def _peak_kib(log_dir, tmp_path, size: int, env) -> dict:
    source, out = tmp_path / f"in-{size}", tmp_path / f"out-{size}"
    with open(source, "wb") as handle:  # a real file of real (pseudo-random) bytes, written in 1 MiB steps
        block = os.urandom(1 << 20)
        for n in range(size >> 20):
            handle.write(block[n % 7:] + block[: n % 7])
    done = subprocess.run([sys.executable, "-c", CHILD, str(log_dir), str(source), str(out)], capture_output=True,
                          text=True, env={**env, "PYTHONPATH": os.getcwd()}, timeout=300)
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size == size
    with open(source, "rb") as a, open(out, "rb") as b:
        while True:
            x, y = a.read(1 << 20), b.read(1 << 20)
            assert x == y
            if not x:
                break
    source.unlink()
    out.unlink()
    return json.loads(done.stdout)


def test_peak_memory_is_flat_for_a_128_mib_attachment(log_dir, tmp_path, env) -> None:
    small = _peak_kib(log_dir, tmp_path, 8 << 20, env)
    large = _peak_kib(log_dir, tmp_path, 128 << 20, env)
    # ru_maxrss is KiB on Linux and bytes on macOS; compare in the platform's unit.
    unit = 1 if sys.platform != "darwin" else 1024
    for phase in ("add", "read"):
        assert large[phase] - small[phase] < 24 * 1024 * unit, (phase, small, large)
