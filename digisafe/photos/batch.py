"""Strip many files: worker processes prepare verified temp files; then, per group, ONE filesystem
sync makes their data durable, the manifest records them, and only then are they renamed into place.

The guarantee is the same as fsync + rename per file (nothing is renamed before its data is on
disk), at a fraction of the cost: fsync is by far the slowest step of stripping a photo.

Interrupts: workers (digisafe.photos.pool) ignore SIGINT and die with the main process; on any
exit the main process stops them and the temp files not yet renamed are removed.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from digisafe.core.safefile import fsync_dir
from digisafe.photos.pool import run_jobs, workers_for
from digisafe.photos.strip import Outcome, commit_output, discard_output, prepare
from digisafe.system.durability import libc_syncfs as _syncfs

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: ~3 ms of a small strip's start)
if TYPE_CHECKING:
    from typing import Any, Callable, Generator, Optional

    BeforeCommit = Optional[Callable[[list], None]]

# NOTE: measured as SCAN_BATCH (pool.py), `photos strip --out`: 48 JPEGs (68 units) 143 vs 141 ms;
# 100 files (131 units) 191 vs 172; 200 files (268) 279 vs 241.
PROCESS_BATCH = 96  # files plus size units (see pool.py) from which strip forks workers
SYNC_GROUP = 256  # files made durable by one filesystem sync before their renames


def _strip_job(job: tuple[Path, Path | None], dry_run: bool, hashes: bool) -> Outcome:
    return prepare(job[0], job[1], dry_run=dry_run, hashes=hashes, sync_each=False)


def strip_many(jobs: list[tuple[Path, Path | None]], *, dry_run: bool = False, hashes: bool = False,
               before_commit: BeforeCommit = None, size: int = 0,
               checker: Any = None) -> Generator[Outcome, None, None]:
    """Strip many files; outcomes in the order of ``jobs``.

    Per group of files: ONE filesystem sync makes the verified temp files durable, then
    ``before_commit(group)`` (the manifest journal) runs, then the temp files are renamed into
    place. If anything fails or the run is interrupted, the temp files not yet renamed are removed
    and the workers are stopped."""
    from digisafe.photos import strip as stripping

    work = functools.partial(_strip_job, dry_run=dry_run, hashes=hashes)
    waiting: list[Outcome] = []
    # ``checker``: a digisafe.photos.checker.Checker (the caller's, for a batch run in this process):
    # exifread's look at each copy is made there, its answers collected before each rename.
    if checker is not None and workers_for(len(jobs), PROCESS_BATCH, size=size):
        checker = None  # (forked workers check their own copies; they must not share its pipes)
    stripping.CHECKER = checker
    committer = _Committer(before_commit, checker)
    results = run_jobs(work, jobs, threshold=PROCESS_BATCH, strip=True, size=size)
    try:
        for outcome in results:
            waiting.append(outcome)
            if len(waiting) >= SYNC_GROUP:
                yield from committer.commit(waiting)
                waiting = []
        yield from committer.commit(waiting)
        waiting = []
    finally:
        results.close()  # stops the workers at once if we did not get to the end
        for outcome in waiting:
            discard_output(outcome)
        try:
            committer.finish()
        finally:
            stripping.CHECKER = None


class _Committer:
    """Durable renames, group by group, with as few syncs as possible.

    With syncfs (Linux): ONE syncfs per group makes the group's temp files durable before they are
    renamed, and at the same time the previous group's renames; one last syncfs after the last
    group. Elsewhere (or for a handful of files): fsync each file, then each folder after its renames.
    NOTE: a rename made durable one group later is still atomic: a crash before that sync leaves
    the old state (no output, or the untouched original), never half a file."""

    def __init__(self, before_commit: BeforeCommit, checker: Any = None) -> None:
        self.before_commit = before_commit
        self.checker = checker  # exifread's answers to collect before anything is renamed
        self.unsynced: set[Path] = set()  # folders with renames not yet durable
        self.syncfs = _syncfs()

    def commit(self, group: list[Outcome]) -> list[Outcome]:
        temps_ = [o.pending for o in group if o.pending is not None]
        batch = self.syncfs is not None and len(temps_) > 4
        folders = {p.parent for p in temps_} | self.unsynced
        # (asked before the exifread answers are collected: the checker syncs right after its looks)
        asked = self.checker.request_sync(folders) if batch and self.checker is not None else -1
        if self.checker is not None:
            self.checker.resolve(group)
        pending = [o for o in group if o.pending is not None]
        temps_ = [o.pending for o in pending if o.pending is not None]
        if not (batch and self._sync(folders, asked)):
            _fsync_files(temps_)
            batch = False
        if self.before_commit is not None:
            self.before_commit(group)
        for outcome in pending:
            commit_output(outcome)
        renamed = {o.output.parent for o in pending if o.output is not None and o.pending is None}
        if batch:
            self.unsynced |= renamed
        else:
            self._fsync_folders(renamed)
        return group

    def finish(self) -> None:
        if self.unsynced:
            asked = self.checker.request_sync(self.unsynced) if self.checker is not None else -1
            if not self._sync(self.unsynced, asked):
                self._fsync_folders(self.unsynced)

    def _sync(self, folders: set[Path], asked: int) -> bool:
        """Whether ``folders`` were made durable: by the checker if it was ``asked`` (the number of
        its request) and answers, else here."""
        done = self.checker.synced(asked) if asked >= 0 and self.checker is not None else None
        if done is None:
            return self._syncfs(folders)
        if done:
            self.unsynced.clear()
        return done

    def _syncfs(self, folders: set[Path]) -> bool:
        """One syncfs per file system holding ``folders``; False if one failed (then nothing is
        assumed durable and the caller fsyncs)."""
        from digisafe.system.durability import sync_filesystems

        if not sync_filesystems(folders, self.syncfs):
            return False
        self.unsynced.clear()
        return True

    def _fsync_folders(self, folders: set[Path]) -> None:
        for folder in folders:
            fsync_dir(folder)
        self.unsynced -= folders


def _fsync_files(paths: list[Path]) -> None:
    for path in paths:
        fd = os.open(path, os.O_RDWR)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
