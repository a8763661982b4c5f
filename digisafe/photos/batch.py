"""Strip many files: worker processes prepare verified temp files; then, per group, ONE filesystem
sync makes their data durable, the manifest records them, and only then are they renamed into place.

The guarantee is the same as fsync + rename per file (nothing is renamed before its data is on
disk), at a fraction of the cost: fsync is by far the slowest step of stripping a photo.

Interrupts: workers ignore SIGINT (the main process handles Ctrl-C for the whole group) and die
with the main process (digisafe.system.lifetime); on any exit the main process terminates them
and every temp file of the run is removed (digisafe.photos.temps).
"""

from __future__ import annotations

import functools
import os
import signal
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

from digisafe.core.safefile import fsync_dir
from digisafe.photos import temps
from digisafe.photos.strip import Outcome, commit_output, discard_output, prepare
from digisafe.system.durability import libc_syncfs as _syncfs

PROCESS_BATCH = 24  # from this many files on, use worker processes
SYNC_GROUP = 64  # files made durable by one filesystem sync before their renames
BeforeCommit = Optional[Callable[[list], None]]


def _strip_job(job: tuple[Path, Path | None], dry_run: bool, hashes: bool) -> Outcome:
    return prepare(job[0], job[1], dry_run=dry_run, hashes=hashes, sync_each=False)


def _worker_start(parent: int) -> None:
    """In each worker: leave Ctrl-C to the main process (no KeyboardInterrupt tracebacks from a
    group SIGINT), die with the main process, then accept signals again."""
    from digisafe.system.lifetime import die_with_parent

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent, temps.remove_live)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})


def _pool(count: int) -> Any:
    """Worker processes for big batches on POSIX (parsing is CPU-bound; fork is cheap and keeps the
    imported modules); None (work in this process) otherwise."""
    cpus = os.cpu_count() or 1
    if count < PROCESS_BATCH or cpus < 2 or os.name != "posix":
        return None
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    _import_walkers()
    # NOTE: signals stay blocked while the workers are forked, so none can arrive in a worker
    # before it has set its handlers; the main process then receives what was held back.
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        return multiprocessing.get_context("fork").Pool(min(cpus, 8), _worker_start, (os.getpid(),))
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def _import_walkers() -> None:
    """Import the walkers and exifread once, before forking: each worker would otherwise import (and,
    without cached bytecode, compile) them again."""
    import importlib

    for name in ("digisafe.photos.jpeg", "digisafe.photos.tiff", "digisafe.photos.xmp", "digisafe.photos.iptc",
                 "digisafe.photos.afcp", "digisafe.photos.crosscheck", "digisafe.system.lifetime",
                 "exifread", "exifread.core.exif_header", "exifread.core.find_exif"):
        try:
            importlib.import_module(name)
        except ImportError:
            pass


def strip_many(jobs: list[tuple[Path, Path | None]], *, dry_run: bool = False, hashes: bool = False,
               before_commit: BeforeCommit = None) -> Iterator[Outcome]:
    """Strip many files; outcomes in the order of ``jobs``.

    Per group of files: ONE filesystem sync makes the verified temp files durable, then
    ``before_commit(group)`` (the manifest journal) runs, then the temp files are renamed into
    place and their folders fsynced. If anything fails or the run is interrupted, the temp files
    not yet renamed are removed and the workers are stopped."""
    work = functools.partial(_strip_job, dry_run=dry_run, hashes=hashes)
    waiting: list[Outcome] = []
    pool = _pool(len(jobs))
    finished = False
    try:
        results = pool.imap(work, jobs, chunksize=max(1, min(16, len(jobs) // 32))) if pool else map(work, jobs)
        for outcome in results:
            waiting.append(outcome)
            if len(waiting) >= SYNC_GROUP:
                yield from _commit_group(waiting, before_commit)
                waiting = []
        yield from _commit_group(waiting, before_commit)
        waiting = []
        finished = True
    finally:
        for outcome in waiting:
            discard_output(outcome)
        if pool is not None:
            if finished:
                pool.close()
            else:
                pool.terminate()  # SIGTERM: each worker removes the temp file it was writing
            pool.join()


def _commit_group(group: list[Outcome], before_commit: BeforeCommit) -> list[Outcome]:
    pending = [o for o in group if o.pending is not None]
    _sync_files([o.pending for o in pending if o.pending is not None])
    if before_commit is not None:
        before_commit(group)
    for outcome in pending:
        commit_output(outcome)
    for folder in {o.output.parent for o in pending if o.output is not None}:
        fsync_dir(folder)
    return group


def _sync_files(paths: list[Path]) -> None:
    """Make these files' data durable: one syncfs per filesystem on Linux, else fsync each."""
    if not paths:
        return
    syncfs = _syncfs() if len(paths) > 4 else None  # a few files: fsync each, cheaper than a whole-FS sync
    done: set[int] = set()
    for path in paths:
        dev = path.stat().st_dev
        if dev in done:
            continue
        if syncfs is not None:
            fd = os.open(path.parent, os.O_RDONLY)
            try:
                if syncfs(fd) == 0:
                    done.add(dev)
                    continue
            finally:
                os.close(fd)
        break
    for path in paths:
        if path.stat().st_dev not in done:
            fd = os.open(path, os.O_RDWR)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
