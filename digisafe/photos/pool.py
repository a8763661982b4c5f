"""Worker processes for photo batches (parsing is CPU-bound: workers use every core).

POSIX only: the workers come from digisafe.system.forkmap (plain ``os.fork()`` children fed job
numbers over pipes). Elsewhere (Windows), or for a batch too small to pay for the workers' start,
the jobs run in the calling process.

Lifetimes: workers ignore SIGINT (Ctrl-C is the main process's to handle) and stop on SIGTERM; a
worker whose parent is gone sees end-of-file on its task pipe, or a broken result pipe, and exits;
strip workers also die with their parent at once (digisafe.system.lifetime), removing the temp file
they were writing. A worker that dies is an error of the whole run, never a silent gap.
"""

from __future__ import annotations

import functools
from pathlib import Path

from digisafe.system.forkmap import ForkMap, WorkerDied, can_fork, usable_cpus  # noqa: F401 - WorkerDied: for callers

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 3 ms of a photo scan's start-up)
if TYPE_CHECKING:
    from typing import Any, Callable, Iterator, Sequence

MAX_WORKERS = 8
BYTES_PER_UNIT = 256 * 1024  # a batch's work, in "files": its count plus its size in these units


def workers_for(count: int, threshold: int, strip: bool = True, size: int = 0) -> int:
    """How many worker processes to fork, besides this one (which works too), for a batch of
    ``count`` jobs (``size`` bytes in all): 0 when it is too small for workers to pay for their
    start (``threshold``, in files plus size units), where there is one core, or without fork."""
    cpus = usable_cpus()
    if count + size // BYTES_PER_UNIT < threshold or count < 2 or cpus < 2 or not can_fork():
        return 0
    # NOTE: a strip worker also waits on the disk (creating each output took ~0.65 ms on the
    # development VM): one process more than cores kept both cores busy (5,096 files: 9.9 s with 3
    # workers, 12.2 s with 2, alternated; 4 was no better).
    return min(cpus if strip else cpus - 1, MAX_WORKERS, count - 1)


def chunks(count: int, workers: int = 2) -> int:
    """Jobs handed to a worker at a time: few round trips, yet every core busy to the end."""
    return max(1, min(16, count // (16 * max(1, workers))))


def run_jobs(work: Callable[[Any], Any], jobs: Sequence[Any], *, threshold: int, strip: bool,
             size: int = 0) -> Iterator[Any]:
    """``work(job)`` for each job, results in job order: on worker processes for a big enough batch
    (``strip``: the workers write files and verify them with exifread), else here."""
    count = workers_for(len(jobs), threshold, strip=strip, size=size)
    if not count:
        yield from map(work, jobs)
        return
    _import_walkers(strip)
    yield from ForkMap(work, jobs, count, chunks(len(jobs), count + 1),
                       functools.partial(_worker_setup, strip=strip)).results()


def _import_walkers(strip: bool) -> None:
    """Import the walkers (and for strip exifread) once, before forking: each worker would otherwise
    import them again, every one of them paying for it."""
    import importlib

    names = ["digisafe.photos.jpeg", "digisafe.photos.tiff", "digisafe.photos.xmp", "digisafe.photos.iptc",
             "digisafe.photos.afcp", "pickle"]
    if strip:
        names += ["digisafe.photos.crosscheck", "exifread", "exifread.core.exif_header", "exifread.core.find_exif",
                  "digisafe.system.lifetime"]
    for name in names:
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    if strip:
        from digisafe.photos.crosscheck import _gps_only_class

        _gps_only_class()  # build exifread's GPS-only parser class once, not once per worker


def _worker_setup(parent: int, mask: Any, strip: bool) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if strip:  # it writes temp files: stop at once (and remove them) when the parent is gone
        from digisafe.photos import temps
        from digisafe.system.lifetime import die_with_parent

        die_with_parent(parent, temps.remove_live)
    else:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)


# NOTE: measured 2026-12-07 on the 2-core development VM with both cores free (median of 9
# alternated runs of `photos scan --format json`, in-process vs workers): 48 JPEGs (68 units) 85 vs
# 86 ms; 100 files (131 units) 107 vs 100; 200 (268) 142 vs 133; 400 (538) 210 vs 173. Workers cost
# 15-35% more CPU in all (fork, copy-on-write, results sent back): on a machine whose other core is
# busy they only lose, so the threshold sits where they start to win clearly.
SCAN_BATCH = 128  # files plus size units from which `photos scan` forks workers


def _scan_job(job: tuple[Path, bool]) -> Any:
    from digisafe.photos.scan import scan_file

    return scan_file(job[0], named=job[1])


def scan_many(jobs: list[tuple[Path, bool]], size: int = 0) -> Iterator[Any]:
    """``scan_file`` for each (path, named), in order, on every core for a big batch (``size``:
    the files' total size in bytes, if known)."""
    yield from run_jobs(_scan_job, jobs, threshold=SCAN_BATCH, strip=False, size=size)


def total_size(paths: Iterator[Path] | list[Path]) -> int:
    """The files' total size in bytes (what cannot be read counts as 0)."""
    total = 0
    for path in paths:
        try:
            total += path.stat().st_size
        except OSError:
            pass
    return total
