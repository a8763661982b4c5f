"""Strip many files: worker processes (or threads) prepare verified temp files; then, per group,
ONE filesystem sync makes their data durable before they are renamed into place.

The guarantee is the same as fsync + rename per file (nothing is renamed before its data is on
disk), at a fraction of the cost: fsync is by far the slowest step of stripping a photo.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterator

from digisafe.core.safefile import fsync_dir
from digisafe.photos.strip import Outcome, commit_output, discard_output, prepare
from digisafe.system.durability import libc_syncfs as _syncfs

PROCESS_BATCH = 24  # from this many files on, use worker processes
SYNC_GROUP = 64  # files made durable by one filesystem sync before their renames


def _strip_job(job: tuple[Path, Path | None], dry_run: bool, hashes: bool) -> Outcome:
    return prepare(job[0], job[1], dry_run=dry_run, hashes=hashes, sync_each=False)


def _pool(count: int) -> Any:
    """Worker processes for big batches on POSIX (parsing is CPU-bound; fork is cheap and keeps the
    imported modules); threads otherwise."""
    from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

    cpus = os.cpu_count() or 1
    if count >= PROCESS_BATCH and cpus > 1 and os.name == "posix":
        import multiprocessing

        if "fork" in multiprocessing.get_all_start_methods():
            _import_walkers()
            return ProcessPoolExecutor(max_workers=min(cpus, 8), mp_context=multiprocessing.get_context("fork"))
    return ThreadPoolExecutor(max_workers=max(1, min(4, count)))


def _import_walkers() -> None:
    """Import the walkers and exifread once, before forking: each worker would otherwise import (and,
    without cached bytecode, compile) them again."""
    import importlib

    for name in ("digisafe.photos.jpeg", "digisafe.photos.tiff", "digisafe.photos.xmp", "digisafe.photos.iptc",
                 "digisafe.photos.afcp", "digisafe.photos.crosscheck",
                 "exifread", "exifread.core.exif_header", "exifread.core.find_exif"):
        try:
            importlib.import_module(name)
        except ImportError:
            pass


def strip_many(jobs: list[tuple[Path, Path | None]], *, dry_run: bool = False,
               hashes: bool = False) -> Iterator[Outcome]:
    """Strip many files; outcomes in the order of ``jobs``.

    Workers copy, patch and verify into temp files; then, per group of files, the data is made
    durable with ONE filesystem sync (instead of one fsync per file, the slowest step by far), the
    temp files are renamed into place and their folders fsynced. Same guarantee as fsync + rename
    per file: nothing is renamed before its data is on disk."""
    import functools

    work = functools.partial(_strip_job, dry_run=dry_run, hashes=hashes)
    waiting: list[Outcome] = []
    if len(jobs) <= 1:  # no pool for one file (saves starting one)
        try:
            waiting = [work(job) for job in jobs]
            yield from _commit_group(waiting)
            waiting = []
        finally:
            for outcome in waiting:
                discard_output(outcome)
        return
    try:
        with _pool(len(jobs)) as pool:
            for outcome in pool.map(work, jobs, chunksize=max(1, min(16, len(jobs) // 32))):
                waiting.append(outcome)
                if len(waiting) >= SYNC_GROUP:
                    yield from _commit_group(waiting)
                    waiting = []
            yield from _commit_group(waiting)
            waiting = []
    finally:
        for outcome in waiting:
            discard_output(outcome)


def _commit_group(group: list[Outcome]) -> list[Outcome]:
    pending = [o for o in group if o.pending is not None]
    _sync_files([o.pending for o in pending if o.pending is not None])
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
