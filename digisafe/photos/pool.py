"""Worker processes for big photo batches (parsing is CPU-bound: a pool uses every core).

POSIX only (fork keeps the imported walkers; nothing is imported again in the workers); elsewhere,
or for a small batch where starting workers costs more than it saves, the work runs in the calling
process. Workers leave Ctrl-C to the main process (no KeyboardInterrupt tracebacks from a group
SIGINT) and die with it (digisafe.system.lifetime), removing the temp file they were writing.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any, Iterator

from digisafe.photos import temps

MAX_WORKERS = 8
BYTES_PER_UNIT = 256 * 1024  # a batch's work, in "files": its count plus its size in these units


def _worker_start(parent: int) -> None:
    from digisafe.system.lifetime import die_with_parent

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent, temps.remove_live)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})


def worker_pool(count: int, threshold: int, strip: bool = True, size: int = 0) -> Any:
    """A multiprocessing Pool for ``count`` jobs of ``size`` bytes in all, or None (work in this
    process) when the batch is too small for workers to pay for their start (``threshold``, in
    files plus size units). ``strip``: the workers verify outputs (import exifread before forking)."""
    cpus = os.cpu_count() or 1
    if count + size // BYTES_PER_UNIT < threshold or count < 2 or cpus < 2 or os.name != "posix":
        return None
    import multiprocessing

    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    _import_walkers(strip)
    # NOTE: signals stay blocked while the workers are forked, so none can arrive in a worker
    # before it has set its handlers; the main process then receives what was held back.
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        # NOTE: a strip worker also waits on the disk (creating each output took ~0.65 ms on the
        # development VM): one worker more than cores kept both cores busy (5,096 files: 9.9 s
        # with 3 workers, 12.2 s with 2, alternated; 4 was no better).
        workers = min(cpus + 1 if strip else cpus, MAX_WORKERS)
        return multiprocessing.get_context("fork").Pool(workers, _worker_start, (os.getpid(),))
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def chunks(count: int) -> int:
    """Jobs handed to a worker at a time: few round trips, yet both cores busy to the end."""
    return max(1, min(16, count // 32))


def _import_walkers(strip: bool) -> None:
    """Import the walkers and exifread once, before forking: each worker would otherwise import (and,
    without cached bytecode, compile) them again."""
    import importlib

    names = ["digisafe.photos.jpeg", "digisafe.photos.tiff", "digisafe.photos.xmp", "digisafe.photos.iptc",
             "digisafe.photos.afcp", "digisafe.system.lifetime"]
    if strip:
        names += ["digisafe.photos.crosscheck", "exifread", "exifread.core.exif_header", "exifread.core.find_exif"]
    for name in names:
        try:
            importlib.import_module(name)
        except ImportError:
            pass


def close(pool: Any, finished: bool) -> None:
    """Wait for the workers after a complete run; stop them at once otherwise (SIGTERM: each
    removes the temp file it was writing)."""
    if pool is None:
        return
    if finished:
        pool.close()
    else:
        pool.terminate()
    pool.join()


# NOTE: measured on a 2-core VM (bench/photos.py): 48 small JPEGs (1.2 MB) ran faster without
# workers for both strip and scan; 192 (5 MB): strip a little faster with them, scan slower; 392
# files of every format (31 MB): strip 432 vs 557 ms with them, scan the same. Worker start and
# sending results back cost ~90 ms of CPU; scan does less per file, so it needs a bigger batch.
SCAN_BATCH = 400  # files (plus size units) from which `photos scan` uses worker processes


def _scan_job(job: tuple[Path, bool]) -> Any:
    from digisafe.photos.scan import scan_file

    return scan_file(job[0], named=job[1])


def scan_many(jobs: list[tuple[Path, bool]], size: int = 0) -> Iterator[Any]:
    """``scan_file`` for each (path, named), in order, on every core for a big batch (``size``:
    the files' total size in bytes, if known)."""
    pool = worker_pool(len(jobs), SCAN_BATCH, strip=False, size=size)
    finished = False
    try:
        yield from (pool.imap(_scan_job, jobs, chunks(len(jobs))) if pool else map(_scan_job, jobs))
        finished = True
    finally:
        close(pool, finished)


def total_size(paths: Iterator[Path] | list[Path]) -> int:
    """The files' total size in bytes (what cannot be read counts as 0)."""
    total = 0
    for path in paths:
        try:
            total += path.stat().st_size
        except OSError:
            pass
    return total
