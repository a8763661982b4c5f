"""Worker processes for photo batches (parsing is CPU-bound: workers use every core).

POSIX only: the workers are plain ``os.fork()`` children, so they share everything already imported
and the job list itself; only a job's number goes to a worker and only its result comes back
(pickled), over one pipe each way per worker. Elsewhere (Windows), or for a batch too small to pay
for the workers' start, the jobs run in the calling process.

NOTE: multiprocessing.Pool did the same work before; importing it cost 16-22 ms and starting it
more, which was most of a small batch's time (48 photos: 117 ms in all for `photos scan`). The
scheduler here is a poll() loop over the result pipes: each worker has at most two chunks of jobs in
hand (so it never waits for the next), results are handed back in job order.

Lifetimes: workers ignore SIGINT (Ctrl-C is the main process's to handle) and stop on SIGTERM; a
worker whose parent is gone sees end-of-file on its task pipe, or a broken result pipe, and exits;
strip workers also die with their parent at once (digisafe.system.lifetime), removing the temp file
they were writing. A worker that dies is an error of the whole run, never a silent gap.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from digisafe.core.errors import DigisafeError

MAX_WORKERS = 8
BYTES_PER_UNIT = 256 * 1024  # a batch's work, in "files": its count plus its size in these units
IN_FLIGHT = 2  # chunks a worker holds at once
_TASK = struct.Struct("<I")
_HEAD = struct.Struct("<Q")


class WorkerDied(DigisafeError, RuntimeError):
    """A worker process stopped without handing back its results (killed from outside: the OOM
    killer, an administrator): one line and exit 3, not an 'internal error' asking for a traceback."""


def workers_for(count: int, threshold: int, strip: bool = True, size: int = 0) -> int:
    """How many worker processes to fork, besides this one (which works too), for a batch of
    ``count`` jobs (``size`` bytes in all): 0 when it is too small for workers to pay for their
    start (``threshold``, in files plus size units), where there is one core, or without fork."""
    cpus = usable_cpus()
    if count + size // BYTES_PER_UNIT < threshold or count < 2 or cpus < 2 or not hasattr(os, "fork") \
            or os.name != "posix":
        return 0
    # NOTE: a strip worker also waits on the disk (creating each output took ~0.65 ms on the
    # development VM): one process more than cores kept both cores busy (5,096 files: 9.9 s with 3
    # workers, 12.2 s with 2, alternated; 4 was no better).
    return min(cpus if strip else cpus - 1, MAX_WORKERS, count - 1)


def usable_cpus() -> int:
    """The CPUs this process may run on (taskset, cgroup cpusets), not every CPU of the machine."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # (not on macOS or Windows)
        return os.cpu_count() or 1


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
    yield from _ForkMap(work, jobs, count, chunks(len(jobs), count + 1), strip).results()


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


class _Worker:
    __slots__ = ("pid", "tasks", "results", "held", "buffer", "need")

    def __init__(self, pid: int, tasks: int, results: int) -> None:
        self.pid, self.tasks, self.results = pid, tasks, results
        self.held: list[int] = []  # chunk numbers sent and not yet answered
        self.buffer = bytearray()
        self.need = 0  # length of the message being received (0: its header is not complete)


class _ForkMap:
    def __init__(self, work: Callable[[Any], Any], jobs: Sequence[Any], workers: int, chunk: int,
                 strip: bool) -> None:
        self.work, self.jobs, self.chunk, self.strip = work, jobs, chunk, strip
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
        # NOTE: the stop signals stay blocked while the workers are forked, so none can arrive in a
        # worker before it has set its handlers; the main process then receives what was held back.
        import gc
        import signal  # (here, not at the top: a small `photos scan` never needs it, 0.5 ms)

        stops = {signal.SIGINT, signal.SIGTERM}

        gc.freeze()  # the workers' collector then leaves the inherited objects alone (no copy-on-write)
        held = signal.pthread_sigmask(signal.SIG_BLOCK, stops)
        try:
            parent = os.getpid()
            for _ in range(self.wanted):
                task_r, task_w = os.pipe()
                result_r, result_w = os.pipe()
                pid = os.fork()
                if pid == 0:  # the worker: never returns
                    code = 1
                    try:
                        for other in self.workers:
                            os.close(other.tasks)
                            os.close(other.results)
                        os.close(task_w)
                        os.close(result_r)
                        _worker_setup(parent, self.strip, held)
                        _serve(self.work, self.jobs, self.chunk, task_r, result_w)
                        code = 0
                    finally:
                        os._exit(code)
                os.close(task_r)
                os.close(result_w)
                self.workers.append(_Worker(pid, task_w, result_r))
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, held)

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


def _worker_setup(parent: int, strip: bool, mask: Any) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if strip:  # it writes temp files: stop at once (and remove them) when the parent is gone
        from digisafe.photos import temps
        from digisafe.system.lifetime import die_with_parent

        die_with_parent(parent, temps.remove_live)
    else:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def _serve(work: Callable[[Any], Any], jobs: Sequence[Any], chunk: int, tasks: int, results: int) -> None:
    """The worker's loop: read a chunk number, run its jobs, send back (ok, result) pairs."""
    import pickle

    while True:
        raw = _read_exactly(tasks, _TASK.size)
        if raw is None:  # the parent closed the pipe (all done) or is gone
            return
        number = _TASK.unpack(raw)[0]
        out = run_chunk(work, jobs, chunk, number)
        try:
            payload = pickle.dumps(out, pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 - one result cannot be sent: say so in its place, keep the rest
            payload = pickle.dumps([_picklable(item) for item in out], pickle.HIGHEST_PROTOCOL)
        _write_all(results, _HEAD.pack(len(payload)) + _TASK.pack(number) + payload)


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


def _read_exactly(fd: int, n: int) -> bytes | None:
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


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        try:
            view = view[os.write(fd, view):]
        except InterruptedError:
            continue


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
