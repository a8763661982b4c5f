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

It also makes each group durable before its renames (``request_sync``): one ``syncfs`` per
filesystem, made by the checker, which loads libc for it (ctypes, 2-3 ms) while this process walks,
so this one never does. The sync is made on a descriptor of the output's filesystem that this
process opened before the first photo was written, so a write-back error from any time since then
is reported to it (Linux 5.8+); a failed sync falls back to fsync file by file, and a sync the
checker cannot answer is made here, as without a checker.
"""

from __future__ import annotations

import os
import signal
import struct
import time
from pathlib import Path

from digisafe.system.forkmap import can_fork, fork_child, read_exactly, usable_cpus, write_all

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: ~3 ms of a small strip's start)
if TYPE_CHECKING:
    from typing import Any, Callable, Iterable

_LEN = struct.Struct("<I")
MIN_JOBS = 4  # fewer files: the fork is not worth it
SEND_EVERY = 8  # requests sent together (the rest before any answer is awaited)


class Checker:
    """``cleanup``: what to do if this process dies without saying goodbye (killed, even by
    SIGKILL): the checker then also does the guardian's job (digisafe.system.lifetime.Guardian), one
    fork instead of two (each fork costs this process copy-on-write for the pages it then writes)."""

    def __init__(self, cleanup: Callable[[], None] | None = None, outputs: Iterable[Path] = ()) -> None:
        self.pid = 0
        self._requests = self._replies = -1
        self._sent = 0
        self._received = 0
        self._unsent = bytearray()  # requests not sent yet (see _send)
        self._unsent_count = 0
        self._answers: dict[int, bytes] = {}
        self._waiting: dict[int, tuple[Any, Path, int]] = {}  # id(outcome) -> (outcome, temp file, number)
        filesystems = _filesystems(outputs)  # (before any output is written: see the module note)
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
            low = 3
            for fd in sorted({req_r, rep_w, *(fd for fd, _path in filesystems.values())}):
                os.closerange(low, fd)
                low = fd + 1
            os.closerange(low, 1 << 16)
            signal.pthread_sigmask(signal.SIG_SETMASK, mask)
            from digisafe.photos.checker_loop import serve

            if not serve(req_r, rep_w, filesystems) and cleanup is not None:  # the main process died
                for wait in (0.2, 1.0):
                    time.sleep(wait)
                    try:
                        cleanup()
                    except Exception:  # noqa: BLE001, S110 - nothing to report to: the main process is gone
                        pass

        try:
            pid = fork_child(checker)
        finally:
            for fd, _path in filesystems.values():
                os.close(fd)
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
        self._unsent += _LEN.pack(len(name)) + name
        self._unsent_count += 1
        if self._unsent_count >= SEND_EVERY:
            self._send()

    def _send(self) -> None:
        """Send the requests not sent yet (NOTE: a few at a time: each write wakes the checker, and
        on the development VM a wake-up cost this process 15-100 us)."""
        unsent, self._unsent, self._unsent_count = bytes(self._unsent), bytearray(), 0
        if not unsent or self._requests < 0:
            return
        try:
            write_all(self._requests, unsent)
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

    def request_sync(self, folders: Iterable[Path]) -> int:
        """Ask the checker to make everything written so far in ``folders`` durable (one syncfs per
        filesystem), after the looks asked for before; the request's number for ``synced``, or -1
        if it could not be asked."""
        if self._requests < 0:
            return -1
        body = SYNC + b"\0".join(os.fsencode(f) for f in folders)
        self._unsent += _LEN.pack(len(body)) + body
        self._send()
        if self._requests < 0:
            return -1
        number = self._sent
        self._sent += 1
        return number

    def synced(self, number: int) -> bool | None:
        """The answer to ``request_sync``: True (durable), False (a sync failed: fsync each file) or
        None (no answer: sync here)."""
        answer = self._raw(number) if number >= 0 else None
        return True if answer == SYNCED else False if answer == NOT_SYNCED else None

    def _answer(self, number: int) -> list[str] | None:
        body = self._raw(number)
        answer = _decode(body) if body is not None else None
        return answer if isinstance(answer, list) and all(isinstance(t, str) for t in answer) else None

    def _raw(self, number: int) -> bytes | None:
        self._send()
        while number not in self._answers and self._received < self._sent and self._replies >= 0:
            raw = read_exactly(self._replies, _LEN.size)
            body = read_exactly(self._replies, _LEN.unpack(raw)[0]) if raw is not None else None
            if body is None:
                self._lost()
                break
            self._answers[self._received] = body
            self._received += 1
        return self._answers.pop(number, None)

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


# An answer to a look: the GPS tags exifread sees, one per line (none: empty), or NO_ANSWER. A
# request starting with SYNC (no path does) asks for a sync, answered SYNCED or NOT_SYNCED.
NO_ANSWER = b"\0"
SYNC = b"\0sync\0"
SYNCED, NOT_SYNCED = b"\0synced", b"\0not synced"


def _decode(body: bytes) -> list[str] | None:
    if body == NO_ANSWER:
        return None
    return body.decode("utf-8", "surrogateescape").split("\n") if body else []


def _filesystems(folders: Iterable[Path]) -> dict[int, tuple[int, str]]:
    """{device: (descriptor, folder)}: one open folder per filesystem that ``folders`` (or, where
    they do not exist yet, their nearest existing parents) are on."""
    found: dict[int, tuple[int, str]] = {}
    tried: set[str] = set()
    for folder in folders:
        path = os.path.abspath(folder)
        while path not in tried:
            tried.add(path)
            try:
                fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
            except FileNotFoundError:
                path = os.path.dirname(path)
                continue
            except OSError:
                break
            device = os.fstat(fd).st_dev
            if device in found:
                os.close(fd)
            else:
                found[device] = (fd, path)
            break
    return found
