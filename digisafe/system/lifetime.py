"""Process lifetime helpers: is a process alive, make a worker die with its parent, and a guardian
process that cleans up after its parent when the parent is killed outright (SIGKILL).

NOTE: a worker forked by a process pool shares the task pipe with its siblings, so it never sees
end-of-file when the parent dies: without a watch it would wait for work forever (seen alive
minutes after the parent's SIGKILL, still holding the caller's stdout).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from typing import Callable

PR_SET_PDEATHSIG = 1  # linux/prctl.h
WATCH_INTERVAL = 0.25  # seconds between two looks at the parent, where the OS cannot signal us


def process_alive(pid: int) -> bool:
    """True if a process with this id exists (or cannot be told apart from one that does)."""
    if pid <= 0:
        return False
    if os.name == "nt":  # NOTE: os.kill on Windows would terminate the process; be conservative
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: it exists, owned by someone else
        return True
    return True


def _parent_death_signal(sig: int) -> bool:
    """Ask Linux to send ``sig`` to this process when its parent dies (prctl PR_SET_PDEATHSIG)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def die_with_parent(parent: int, before_exit: Callable[[], None]) -> None:
    """Make this (worker) process exit soon after ``parent`` is gone, on every OS: SIGTERM from the
    kernel on Linux, and everywhere a watch thread that polls the parent id (a child whose parent
    died is re-parented, so getppid changes). ``before_exit`` removes what the worker was writing."""

    def leave(*_args: object) -> None:
        try:
            before_exit()
        finally:
            os._exit(1)

    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, leave)
    _parent_death_signal(signal.SIGTERM)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCH_INTERVAL)
        leave()

    if os.getppid() != parent:  # the parent died before the watch began
        leave()
    # NOTE: a signal the kernel hands to the sleeping watch thread only sets CPython's flag; the main
    # thread, blocked in a lock (a pool queue's, held by a worker killed mid-put), never comes back to
    # run the handler, and the worker (and the strip waiting for it) hung for ever. Started with the
    # signals blocked, the watch thread leaves them to the main thread, whose wait they interrupt.
    stops = {getattr(signal, n) for n in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, n)}
    held = signal.pthread_sigmask(signal.SIG_BLOCK, stops) if hasattr(signal, "pthread_sigmask") else None
    try:
        threading.Thread(target=watch, name="parent-watch", daemon=True).start()
    finally:
        if held is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)


class Guardian:
    """A small forked process that waits for its parent to finish; if the parent dies without
    saying goodbye (killed, even by SIGKILL), it runs ``cleanup`` (twice: at once, and again when
    the workers have had time to exit). A no-op where fork is not available (Windows)."""

    def __init__(self, cleanup: Callable[[], None], settle: float = 1.0) -> None:
        self.pid = 0
        self._write = -1
        if not hasattr(os, "fork"):
            return
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the guardian
            try:
                os.close(write)
                _guard(read, cleanup, settle)
            finally:
                os._exit(0)
        os.close(read)
        self.pid, self._write = pid, write

    def release(self) -> None:
        """The parent finished normally: the guardian exits without touching anything."""
        if self.pid:
            try:
                os.write(self._write, b"x")
            except OSError:
                pass
            os.close(self._write)
            try:
                os.waitpid(self.pid, 0)
            except OSError:
                pass
            self.pid = 0


def _guard(read: int, cleanup: Callable[[], None], settle: float) -> None:
    for sig in ("SIGINT", "SIGTERM", "SIGHUP", "SIGTSTP"):
        if hasattr(signal, sig):
            signal.signal(getattr(signal, sig), signal.SIG_IGN)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):  # never hold the caller's pipes open
        os.dup2(devnull, fd)
    os.closerange(3, read)
    os.closerange(read + 1, 1 << 16)
    while True:
        try:
            said = os.read(read, 1)
            break
        except InterruptedError:
            continue
    if said:
        return
    for wait in (0.2, settle):
        time.sleep(wait)
        with contextlib.suppress(Exception):  # nothing to report to: the parent is gone
            cleanup()
