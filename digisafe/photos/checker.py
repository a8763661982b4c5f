"""exifread's cross-check of a small strip's outputs, in a second process.

A strip too small for worker processes (digisafe.photos.pool) runs in one process; exifread's
import (about 15 ms) and its look at each output (about 0.1 ms) were then a fifth of a 48-photo
strip. Here one forked process imports exifread and reads each verified temp file while this one
walks and copies the next photos; the answers are collected before each group is renamed into
place (digisafe.photos.batch), so nothing is kept that exifread has not seen. It is the same check
as before (``strip.exifread_gps`` on the output's bytes), only elsewhere.

Safe by construction: a request the checker cannot answer (it died, it failed on that file, its
answer is garbled) is checked here instead, inline, exactly as without it. The checker writes
nothing, ignores Ctrl-C (this process handles it) and exits when its request pipe closes, which
also happens when this process dies.
"""

from __future__ import annotations

import contextlib
import os
import signal
import struct
import time
from pathlib import Path
from typing import Any, Callable

from digisafe.system.forkmap import can_fork, fork_child, read_exactly, usable_cpus, write_all

_LEN = struct.Struct("<I")
MIN_JOBS = 4  # fewer files: the fork is not worth it


class Checker:
    """``cleanup``: what to do if this process dies without saying goodbye (killed, even by
    SIGKILL): the checker then also does the guardian's job (digisafe.system.lifetime.Guardian), one
    fork instead of two (each fork costs this process copy-on-write for the pages it then writes)."""

    def __init__(self, cleanup: Callable[[], None] | None = None) -> None:
        self.pid = 0
        self._requests = self._replies = -1
        self._sent = 0
        self._received = 0
        self._answers: dict[int, Any] = {}
        self._waiting: dict[int, tuple[Any, Path, int]] = {}  # id(outcome) -> (outcome, temp file, number)
        req_r, req_w = os.pipe()
        rep_r, rep_w = os.pipe()

        def checker(mask: Any) -> None:
            # NOTE: as the guardian: the signals sent to the whole group are this process's to
            # handle, and the caller's pipes (stdout, stderr) are never held open by us.
            for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGTSTP"):
                if hasattr(signal, name):
                    signal.signal(getattr(signal, name), signal.SIG_IGN)
            devnull = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(devnull, fd)
            keep = sorted({req_r, rep_w})
            os.closerange(3, keep[0])
            os.closerange(keep[0] + 1, keep[1])
            os.closerange(keep[1] + 1, 1 << 16)
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            if not _serve(req_r, rep_w) and cleanup is not None:  # the main process died
                for wait in (0.2, 1.0):
                    time.sleep(wait)
                    with contextlib.suppress(Exception):  # nothing to report to: the main process is gone
                        cleanup()

        pid = fork_child(checker)
        os.close(req_r)
        os.close(rep_w)
        self.pid, self._requests, self._replies = pid, req_w, rep_r

    def submit(self, outcome: Any, temp: Path) -> None:
        """Ask for exifread's look at ``temp`` (the verified copy of ``outcome``, not renamed yet)."""
        number = self._sent
        self._sent += 1
        self._waiting[id(outcome)] = (outcome, temp, number)
        if self._requests < 0:
            return
        name = os.fsencode(temp)
        try:
            write_all(self._requests, _LEN.pack(len(name)) + name)
        except OSError:  # the checker is gone: every answer is worked out here instead
            self._lost()

    def resolve(self, outcomes: list[Any]) -> None:
        """Before ``outcomes`` are renamed into place: each one exifread still finds GPS in is NOT
        cleaned (its temp file removed), exactly as when the check runs inline."""
        from digisafe.photos import strip
        from digisafe.photos.outcome import NOT_CLEANED

        for outcome in outcomes:
            waiting = self._waiting.pop(id(outcome), None)
            if waiting is None or outcome.pending is None:
                continue
            _outcome, temp, number = waiting
            tags = self._answer(number)
            reason = ""
            if tags is None:  # no usable answer: look here
                try:
                    tags = _look(temp, strip.exifread_gps)
                except OSError as exc:
                    reason = f"the cleaned copy could not be read for exifread's check: {exc.strerror or exc}"
            if tags:
                reason = f"exifread still sees GPS tags: {', '.join(tags[:3])}"
            if reason:
                strip.discard_output(outcome)
                outcome.status, outcome.sha256_after, outcome.changes = NOT_CLEANED, None, []
                outcome.reason = reason

    def _answer(self, number: int) -> list[str] | None:
        while number not in self._answers and self._received < self._sent and self._replies >= 0:
            raw = read_exactly(self._replies, _LEN.size)
            body = read_exactly(self._replies, _LEN.unpack(raw)[0]) if raw is not None else None
            if body is None:
                self._lost()
                break
            self._answers[self._received] = _decode(body)
            self._received += 1
        answer = self._answers.pop(number, None)
        return answer if isinstance(answer, list) and all(isinstance(t, str) for t in answer) else None

    def _lost(self) -> None:
        for fd in (self._requests, self._replies):
            if fd >= 0:
                os.close(fd)
        self._requests = self._replies = -1

    def close(self, finished: bool = True) -> None:
        """Say goodbye (the checker exits without cleaning anything) and wait for it; a run that did
        not finish stops it at once (this process cleans up after itself)."""
        if self._requests >= 0:
            try:
                write_all(self._requests, _LEN.pack(0))  # goodbye
            except OSError:
                pass
        self._lost()
        if self.pid:
            pid, self.pid = self.pid, 0
            if not finished:
                try:
                    os.kill(pid, signal.SIGKILL)  # (it may be in the middle of a look nobody needs now)
                except OSError:
                    pass
            while True:
                try:
                    os.waitpid(pid, 0)
                    break
                except InterruptedError:
                    continue
                except ChildProcessError:
                    break


def wanted(jobs: int, workers: int, dry_run: bool) -> bool:
    """A checker for a strip of ``jobs`` files run here (``workers`` forked: none)?"""
    return not dry_run and workers == 0 and jobs >= MIN_JOBS and can_fork() and usable_cpus() >= 2


def _look(temp: Path, exifread_gps: Any) -> list[str]:
    from digisafe.core.safefile import open_regular

    with open_regular(temp) as f:
        return list(exifread_gps(f))


# An answer: the GPS tags exifread sees, one per line (none: empty), or NO_ANSWER.
NO_ANSWER = b"\0"


def _encode(tags: list[str] | None) -> bytes:
    return NO_ANSWER if tags is None else "\n".join(tags).encode("utf-8", "surrogateescape")


def _decode(body: bytes) -> list[str] | None:
    if body == NO_ANSWER:
        return None
    return body.decode("utf-8", "surrogateescape").split("\n") if body else []


def _serve(requests: int, replies: int) -> bool:
    """Answer requests until goodbye (True) or until the request pipe closes without one (False:
    the main process died)."""
    from digisafe.photos import strip  # (strip.exifread_gps: the very function the inline check calls)

    try:
        import exifread  # noqa: F401 - now, while the main process walks the first photos
    except ImportError:
        pass
    while True:
        raw = read_exactly(requests, _LEN.size)
        if raw is None:
            return False
        length = _LEN.unpack(raw)[0]
        if length == 0:
            return True
        name = read_exactly(requests, length)
        if name is None:
            return False
        try:
            answer: list[str] | None = _look(Path(os.fsdecode(name)), strip.exifread_gps)
        except Exception:  # noqa: BLE001 - "no answer": the main process then looks itself
            answer = None
        body = _encode(answer)
        try:
            write_all(replies, _LEN.pack(len(body)) + body)
        except BrokenPipeError:  # the main process is gone
            return False
