"""The incident log: add 1,000 entries and attach 2 GiB of files; time and peak memory, against
plain SQLite writing the same bytes the same way without encryption or hashing (the peer),
measured in the same run.

    python bench/log.py [--entries 1000] [--size-mb 2048] [--files 4] [--dir DIR]

Each phase runs in its own child process so its peak RSS (ru_maxrss, POSIX only) is its own.
Entries: one durable transaction each (synchronous=EXTRA), as `digisafe log add` does.
Attach: files streamed in 1 MiB chunks in one transaction per file, as `digisafe log attach`.
Read: decrypt every attachment and check its SHA-256 (`log verify --full`), writing nowhere.
The bench log uses the fast test scrypt setting so the read phase's memory is the streaming's;
the real setting is measured on its own ("unlock"): scrypt is memory-hard on purpose (256 MiB).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "bench passphrase, not secret"

CHILD = r"""
import hashlib, io, json, os, resource, sqlite3, sys, time
phase, folder, arg = sys.argv[1], sys.argv[2], sys.argv[3]
from digisafe.records import crypto
from digisafe.records.store import LogStore, _connect
PASSPHRASE = "bench passphrase, not secret"
TEXT = {"what_happened": "He was waiting outside the station again and followed me to the bus. " * 4,
        "exact_words": "You can't get away from me", "impact": "I was shaking and now take a taxi"}
started = time.perf_counter()
if phase == "entries":
    from digisafe.records.entry import build_entry, parse_when, utc_now
    with LogStore.open(folder) as store:
        for n in range(int(arg)):
            now = utc_now()
            store.add_entry(build_entry(TEXT, parse_when("2026-11-30 21:15", "Europe/London", now), now))
elif phase == "entries-peer":
    conn = _connect(os.path.join(folder, "peer.sqlite"))
    conn.execute("CREATE TABLE IF NOT EXISTS t(seq INTEGER PRIMARY KEY, body BLOB)")
    for n in range(int(arg)):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t(body) VALUES (?)", (json.dumps(TEXT).encode(),))
        conn.execute("COMMIT")
elif phase == "attach":
    from digisafe.records.api import add_attachment_from_stream
    for path in json.loads(arg):
        with open(path, "rb") as handle:
            add_attachment_from_stream(folder, handle, os.path.basename(path))
elif phase == "attach-peer":
    conn = _connect(os.path.join(folder, "peer.sqlite"))
    conn.execute("CREATE TABLE IF NOT EXISTS c(seq INTEGER, idx INTEGER, data BLOB, UNIQUE(seq, idx))")
    for seq, path in enumerate(json.loads(arg)):
        conn.execute("BEGIN IMMEDIATE")
        with open(path, "rb") as handle:
            idx = 0
            while True:
                data = handle.read(crypto.CHUNK)
                if not data:
                    break
                conn.execute("INSERT INTO c VALUES (?, ?, ?)", (seq, idx, data))
                idx += 1
        conn.execute("COMMIT")
elif phase == "read":
    from digisafe.records.reader import UnlockedLog
    class Discard:
        def write(self, data):
            return len(data)
    with LogStore.open(folder) as store:
        log = UnlockedLog.unlock(store, PASSPHRASE)
        for opened in log.records():
            if opened.is_attachment:
                log.write_attachment(opened, Discard())
elif phase == "read-peer":
    conn = _connect(os.path.join(folder, "peer.sqlite"))
    for (data,) in conn.execute("SELECT data FROM c ORDER BY seq, idx"):
        hashlib.sha256(data)
elif phase == "create":
    LogStore.create(folder, PASSPHRASE, kdf=crypto.TEST_ONLY_KDF).close()
elif phase == "make-files":
    total_mb, count = map(int, arg.split(","))
    block = os.urandom(64 << 20)  # rotated per MiB: nothing compresses, generating stays quick
    for n in range(count):
        with open(os.path.join(folder, f"evidence-{n}.bin"), "wb") as handle:
            for mib in range(max(1, total_mb // count)):
                at = (mib * 7919 + n * 104729) % (63 << 20)
                handle.write(block[at:at + (1 << 20)])
elif phase == "unlock":
    from digisafe.records.reader import UnlockedLog
    LogStore.create(folder, PASSPHRASE).close()  # the real scrypt setting
    started = time.perf_counter()
    with LogStore.open(folder) as store:
        UnlockedLog.unlock(store, PASSPHRASE)
seconds = time.perf_counter() - started
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "peak_mib": rss / (1024 * 1024 if sys.platform == "darwin" else 1024)}))
"""


def run_phase(phase: str, folder: Path, arg: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", CHILD, phase, str(folder), arg], capture_output=True, text=True,
                          env=env, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{phase} failed: {done.stderr}")
    return json.loads(done.stdout)


def report(label: str, ours: dict, peer: dict, size_mb: float = 0.0) -> None:
    rate = f"  {size_mb / ours['seconds']:7.1f} MiB/s" if size_mb else ""
    ratio = ours["seconds"] / peer["seconds"]
    print(f"{label:<26} {ours['seconds']:8.2f} s  peak {ours['peak_mib']:7.1f} MiB{rate}   "
          f"peer {peer['seconds']:7.2f} s, {peer['peak_mib']:6.1f} MiB   ratio {ratio:5.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--size-mb", type=int, default=2048, help="total size of the attached files (MiB)")
    parser.add_argument("--files", type=int, default=4)
    parser.add_argument("--dir", type=Path, default=None, help="where to work (default: a temporary folder)")
    args = parser.parse_args()
    # NOTE: Linux keeps ru_maxrss across fork+exec, so this parent stays small and every heavy
    # step (making keys, making files) runs in a child: each phase's peak is its own.
    work = Path(tempfile.mkdtemp(prefix="bench-log-", dir=args.dir))
    try:
        log, peer, real = work / "log", work / "peer", work / "real"
        peer.mkdir()
        run_phase("create", log, "")
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; peer = plain SQLite, same pragmas, "
              "no encryption or hashing")
        report(f"add {args.entries} entries", run_phase("entries", log, str(args.entries)),
               run_phase("entries-peer", peer, str(args.entries)))
        run_phase("make-files", work, f"{args.size_mb},{args.files}")
        files = sorted(str(p) for p in work.glob("evidence-*.bin"))
        size = sum(os.path.getsize(f) for f in files) / (1 << 20)
        report(f"attach {size:.0f} MiB ({len(files)} files)", run_phase("attach", log, json.dumps(files)),
               run_phase("attach-peer", peer, json.dumps(files)), size)
        report(f"read+check {size:.0f} MiB", run_phase("read", log, ""), run_phase("read-peer", peer, ""), size)
        unlock = run_phase("unlock", real, "")
        print(f"{'unlock (real scrypt)':<26} {unlock['seconds']:8.2f} s  peak {unlock['peak_mib']:7.1f} MiB")
        print(f"log file {os.path.getsize(log / 'store.sqlite') / (1 << 20):.0f} MiB, "
              f"peer file {os.path.getsize(peer / 'peer.sqlite') / (1 << 20):.0f} MiB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
