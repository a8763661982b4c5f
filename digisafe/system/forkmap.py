"""A process-parallel map for POSIX: plain ``os.fork()`` workers fed job numbers over pipes.

The workers share everything already imported and the job list itself; only a chunk's number goes to
a worker and only its results come back (pickled), over one pipe each way per worker. The scheduler
is a poll() loop over the result pipes: each worker has at most two chunks in hand (so it never waits
for the next); this process works too, a chunk at a time between looks at the pipes (on a machine
whose other cores are busy it simply does most of the work itself); results come back in job order.

NOTE: multiprocessing.Pool did this before (digisafe.photos.pool); importing it cost 16-22 ms and
starting it more, which was most of a small batch's time, and an interrupted strip once hung for
ever in one of its queue locks. Here a worker that dies is an error (``WorkerDied``), never a hang;
a worker whose parent is gone sees end-of-file on its task pipe, or a broken result pipe, and exits.
"""

from __future__ import annotations

import os
import struct

from digisafe.core.errors import DigisafeError

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 3 ms of a photo scan's start-up)
if TYPE_CHECKING:
    from typing import Any, Callable, Iterator, Sequence

IN_FLIGHT = 2  # chunks a worker holds at once
_TASK = struct.Struct("<I")
_HEAD = struct.Struct("<Q")


def fork_child(body: Callable[[Any], None]) -> int:
    """Fork a child that runs ``body(mask)`` and exits (status 0, or 1 if it raised); its pid.

    NOTE: the stop signals stay blocked across the fork, so none can reach the child before
    ``body`` has set its handlers (``mask``: the signal mask to restore there, once it has); this
    process then receives what was held back."""
    import signal  # (here, not at the top: a small `photos scan` never needs it, 0.5 ms)

    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        pid = os.fork()
        if pid == 0:  # the child: never returns
            code = 1
            try:
                body(held)
                code = 0
            finally:
                os._exit(code)
        return pid
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def can_fork() -> bool:
    """Whether worker processes can be forked here (POSIX; not Windows)."""
    return hasattr(os, "fork") and os.name == "posix"


class WorkerDied(DigisafeError, RuntimeError):
    """A worker process stopped without handing back its results (killed from outside: the OOM
    killer, an administrator): one line and exit 3, not an 'internal error' asking for a traceback."""


def usable_cpus() -> int:
    """The CPUs this process may run on (taskset, cgroup cpusets), not every CPU of the machine."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # (not on macOS or Windows)
        return os.cpu_count() or 1


class _Worker:
    __slots__ = ("pid", "tasks", "results", "held", "buffer", "need")

    def __init__(self, pid: int, tasks: int, results: int) -> None:
        self.pid, self.tasks, self.results = pid, tasks, results
        self.held: list[int] = []  # chunk numbers sent and not yet answered
        self.buffer = bytearray()
        self.need = 0  # length of the message being received (0: its header is not complete)


class ForkMap:
    """``work(job)`` for every job, on ``workers`` forked processes and this one; results in job
    order. ``setup(parent, mask)`` runs first in each worker (signal handlers, lifetime)."""

    def __init__(self, work: Callable[[Any], Any], jobs: Sequence[Any], workers: int, chunk: int,
                 setup: Callable[[int, Any], None]) -> None:
        self.work, self.jobs, self.chunk, self.setup = work, jobs, chunk, setup
        self.chunk_count = (len(jobs) + chunk - 1) // chunk
        self.next_chunk = 0
        self.workers: list[_Worker] = []
        self.wanted = workers

    def results(self) -> Iterator[Any]:
        import pickle
        import select

        done: dict[int, list[tuple[bool, Any]]] = {}
        finished = False
        try:
            self._start()
            poller = select.poll()
            by_fd = {w.results: w for w in self.workers}
            for fd in by_fd:
                poller.register(fd, select.POLLIN)
            for w in self.workers:
                for _ in range(IN_FLIGHT):
                    self._give(w)
            out = 0  # next chunk to hand back
            while out < self.chunk_count:
                while out in done:
                    for ok, value in done.pop(out):
                        if not ok:
                            raise value
                        yield value
                    out += 1
                if out >= self.chunk_count:
                    break
                # NOTE: this process works too, a chunk at a time, looking at the workers' pipes
                # between chunks: on a machine whose other cores are busy it simply does most of the
                # batch itself, so the workers cost little more than their start.
                wait = -1 if self.next_chunk >= self.chunk_count else 0
                if wait and not by_fd:
                    raise WorkerDied("every worker process stopped before the batch was done")
                for fd, _event in poller.poll(wait) if by_fd else ():
                    w = by_fd[fd]
                    for number, payload in self._receive(w):
                        done[number] = pickle.loads(payload)  # noqa: S301 - our own worker's results
                        w.held.remove(number)
                        self._give(w)
                    if w.results < 0:
                        poller.unregister(fd)
                        del by_fd[fd]
                if out not in done and self.next_chunk < self.chunk_count:
                    number = self.next_chunk
                    self.next_chunk += 1
                    done[number] = run_chunk(self.work, self.jobs, self.chunk, number)
            finished = True
        finally:
            self._stop(finished)

    def _start(self) -> None:
        import gc

        gc.freeze()  # the workers' collector then leaves the inherited objects alone (no copy-on-write)
        parent = os.getpid()
        for _ in range(self.wanted):
            task_r, task_w = os.pipe()
            result_r, result_w = os.pipe()

            def worker(mask: Any, task_r: int = task_r, task_w: int = task_w, result_r: int = result_r,
                       result_w: int = result_w) -> None:
                for other in self.workers:
                    os.close(other.tasks)
                    os.close(other.results)
                os.close(task_w)
                os.close(result_r)
                self.setup(parent, mask)
                _serve(self.work, self.jobs, self.chunk, task_r, result_w)

            pid = fork_child(worker)
            os.close(task_r)
            os.close(result_w)
            self.workers.append(_Worker(pid, task_w, result_r))

    def _give(self, w: _Worker) -> None:
        if self.next_chunk >= self.chunk_count or w.tasks < 0:
            return
        try:
            os.write(w.tasks, _TASK.pack(self.next_chunk))  # 4 bytes: never blocks, never split
        except BrokenPipeError:  # the worker is gone: its result pipe's end-of-file says how
            os.close(w.tasks)
            w.tasks = -1
            return
        w.held.append(self.next_chunk)
        self.next_chunk += 1

    def _receive(self, w: _Worker) -> Iterator[tuple[int, bytes]]:
        data = os.read(w.results, 1 << 20)
        if not data:
            os.close(w.results)
            w.results = -1
            if w.held:
                status = _reap(w)
                raise WorkerDied(f"a worker process stopped unexpectedly ({status}); nothing it had not "
                                 "finished was kept")
            return
        w.buffer += data
        while True:
            if not w.need:
                if len(w.buffer) < _HEAD.size + _TASK.size:
                    return
                w.need = _HEAD.unpack_from(w.buffer)[0]
            end = _HEAD.size + _TASK.size + w.need
            if len(w.buffer) < end:
                return
            number = _TASK.unpack_from(w.buffer, _HEAD.size)[0]
            payload = bytes(w.buffer[_HEAD.size + _TASK.size:end])
            del w.buffer[:end]
            w.need = 0
            yield number, payload

    def _stop(self, finished: bool) -> None:
        """After a complete run: close the task pipes (each worker sees end-of-file and exits).
        Otherwise stop them at once (SIGTERM: each removes the temp file it was writing)."""
        import signal

        for w in self.workers:
            if w.tasks >= 0:
                os.close(w.tasks)
                w.tasks = -1
            if not finished and w.pid:
                try:
                    os.kill(w.pid, signal.SIGTERM)
                except OSError:
                    pass
        for w in self.workers:
            if w.results >= 0:
                os.close(w.results)
                w.results = -1
            _reap(w)


def _reap(w: _Worker) -> str:
    if not w.pid:
        return "ended"
    pid, w.pid = w.pid, 0
    while True:
        try:
            _pid, status = os.waitpid(pid, 0)
            break
        except InterruptedError:
            continue
        except ChildProcessError:
            return "ended"
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.WEXITSTATUS(status)}"


def _serve(work: Callable[[Any], Any], jobs: Sequence[Any], chunk: int, tasks: int, results: int) -> None:
    """The worker's loop: read a chunk number, run its jobs, send back (ok, result) pairs."""
    import pickle

    while True:
        raw = read_exactly(tasks, _TASK.size)
        if raw is None:  # the parent closed the pipe (all done) or is gone
            return
        number = _TASK.unpack(raw)[0]
        out = run_chunk(work, jobs, chunk, number)
        try:
            payload = pickle.dumps(out, pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - one result cannot be sent: say so in its place, keep the rest
            payload = pickle.dumps([_picklable(item) for item in out], pickle.HIGHEST_PROTOCOL)
        write_all(results, _HEAD.pack(len(payload)) + _TASK.pack(number) + payload)


def _picklable(item: tuple[bool, Any]) -> tuple[bool, Any]:
    import pickle

    try:
        pickle.dumps(item, pickle.HIGHEST_PROTOCOL)
        return item
    except Exception as exc:  # noqa: BLE001 - its text is what can be sent
        return False, RuntimeError(f"a worker's result could not be sent back ({type(exc).__name__}: {exc})")


def run_chunk(work: Callable[[Any], Any], jobs: Sequence[Any], chunk: int, number: int) -> list[tuple[bool, Any]]:
    """(True, result) or (False, exception) for each job of chunk ``number``."""
    out: list[tuple[bool, Any]] = []
    for job in jobs[number * chunk:(number + 1) * chunk]:
        try:
            out.append((True, work(job)))
        except Exception as exc:  # noqa: BLE001 - raised by the caller when its turn comes
            out.append((False, exc))
    return out


def read_exactly(fd: int, n: int) -> bytes | None:
    data = b""
    while len(data) < n:
        try:
            more = os.read(fd, n - len(data))
        except InterruptedError:
            continue
        if not more:
            return None
        data += more
    return data


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        try:
            view = view[os.write(fd, view):]
        except InterruptedError:
            continue
