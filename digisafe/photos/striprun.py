"""One `photos strip` run, made safe against interrupts and failures.

- Before any work: stale temp files of earlier, interrupted runs are removed from the folders this
  run writes to (and reported); the manifest is created and tested (nothing is replaced if it
  cannot be written).
- SIGTERM is handled like Ctrl-C. On any interrupt or failure the workers are stopped and every temp
  file of this run is removed; the manifest keeps a valid record of every file already replaced.
- A guardian process removes this run's temp files if the main process is killed outright.
"""

from __future__ import annotations

import signal
from pathlib import Path

from digisafe.photos import temps
from digisafe.photos.batch import strip_many
from digisafe.photos.strip import Outcome

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: ~3 ms of a small strip's start)
if TYPE_CHECKING:
    from typing import Callable

Job = tuple[Path, "Path | None"]


def _interrupt(*_args: object) -> None:
    raise KeyboardInterrupt


class terminate_as_interrupt:  # noqa: N801 - used as a function: ``with terminate_as_interrupt():``
    """SIGTERM (and SIGHUP) raise KeyboardInterrupt while this is active, so the clean-up that runs
    on Ctrl-C also runs when the process is asked to stop. (A class, not contextlib.contextmanager:
    contextlib is 0.5 ms of a small strip's start.)"""

    def __enter__(self) -> None:
        self.saved = {}
        for name in ("SIGTERM", "SIGHUP"):
            sig = getattr(signal, name, None)
            if sig is None:
                continue
            try:
                self.saved[sig] = signal.signal(sig, _interrupt)
            except ValueError:  # not the main thread: leave signals alone
                pass

    def __exit__(self, *_exc: object) -> None:
        for sig, handler in self.saved.items():
            signal.signal(sig, handler)


def folders_of(jobs: list[Job]) -> set[Path]:
    """Every folder this run may write a temp file into, and the folders of the originals."""
    folders = set()
    for source, target in jobs:
        folders.add(source.parent)
        if target is not None:
            folders.add(target.parent)
    return folders


class StripRun:
    """Run ``jobs`` (source, target) and collect the outcomes ``keep`` accepts."""

    def __init__(self, jobs: list[Job], *, dry_run: bool, manifest: Path | None, mode: str,
                 keep: Callable[[Outcome], bool], tick: Callable[[], None]) -> None:
        self.jobs, self.dry_run, self.keep, self.tick = jobs, dry_run, keep, tick
        self.outcomes: list[Outcome] = []
        self.folders = folders_of(jobs)
        self.owner = temps.claim()
        self.stale = [] if dry_run else temps.sweep(self.folders)
        self.journal = None
        self._recorded: dict[int, str] = {}
        if manifest is not None:
            from digisafe.photos.manifest import Journal

            self.journal = Journal(manifest, "dry-run" if dry_run else mode)

    def add_early(self, outcomes: list[Outcome]) -> None:
        """Outcomes decided before any work (refused targets)."""
        self.outcomes.extend(outcomes)
        if self.journal is not None:
            self.journal.add([o.to_dict() for o in outcomes])

    def run(self) -> list[Outcome]:
        from digisafe.photos import checker as checking
        from digisafe.photos.batch import PROCESS_BATCH
        from digisafe.photos.pool import total_size, workers_for

        guardian = checker = None
        size = total_size(source for source, _target in self.jobs)
        if self.jobs and not self.dry_run:
            folders, owner = sorted(self.folders), self.owner

            def cleanup() -> None:
                temps.sweep(folders, owner)

            if checking.wanted(len(self.jobs), workers_for(len(self.jobs), PROCESS_BATCH, size=size), False):
                # NOTE: a batch run in this process: one checker process does exifread's checks
                # (digisafe.photos.checker) and also the guardian's job, one fork instead of two.
                outputs = {target.parent for _source, target in self.jobs if target is not None}
                checker = checking.Checker(cleanup, outputs)
            else:
                from digisafe.system.lifetime import Guardian

                guardian = Guardian(cleanup)
        finished = False
        try:
            with terminate_as_interrupt():
                self._run(size, checker)
            finished = True
        except BaseException:
            temps.remove_live()
            temps.sweep(self.folders, self.owner)  # what the stopped workers were writing
            if self.journal is not None:
                try:
                    self.journal.close(complete=False)
                except Exception:  # noqa: BLE001, S110 - the interrupt or failure is what is reported
                    pass
            raise
        finally:
            if guardian is not None:
                guardian.release()
            if checker is not None:
                checker.close(finished)
        if self.journal is not None:
            self.journal.close(complete=True)
        return self.outcomes

    def _run(self, size: int, checker: object) -> None:
        stream = strip_many(self.jobs, dry_run=self.dry_run, hashes=self.journal is not None,
                            before_commit=self._record if self.journal is not None else None,
                            size=size, checker=checker)
        try:
            for outcome in stream:
                self.tick()
                if not self.keep(outcome):
                    continue
                self.outcomes.append(outcome)
                if self.journal is not None and self._recorded.get(id(outcome), outcome.status) != outcome.status:
                    self.journal.correct(outcome.to_dict())  # its rename failed after it was recorded
        finally:
            stream.close()

    def _record(self, group: list[Outcome]) -> None:
        kept = [o for o in group if self.keep(o)]
        for outcome in kept:
            self._recorded[id(outcome)] = outcome.status
        assert self.journal is not None
        self.journal.add([o.to_dict() for o in kept])
