"""The fork-based worker split (digisafe.photos.pool.run_jobs): order, errors, a worker that dies,
a run stopped early, and the in-process path where fork is missing. Real child processes."""

from __future__ import annotations

import os
import signal
import time

import pytest

from digisafe.photos import pool
from tests.photos.procs import children_of

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or pool.usable_cpus() < 2 or not os.path.isdir("/proc/self"),
                                reason="needs fork, two CPUs (elsewhere the jobs run in-process) and /proc")


def square_with_pid(n):
    return n * n, os.getpid()


def test_results_come_back_in_job_order_from_several_workers():
    jobs = list(range(300))
    out = list(pool.run_jobs(square_with_pid, jobs, threshold=2, strip=False))
    assert [r for r, _pid in out] == [n * n for n in jobs]
    pids = {pid for _r, pid in out}
    assert len(pids - {os.getpid()}) == pool.workers_for(300, 2, strip=False) >= 1


def test_a_small_batch_runs_here():
    out = list(pool.run_jobs(square_with_pid, [1, 2, 3], threshold=10, strip=False))
    assert out == [(1, os.getpid()), (4, os.getpid()), (9, os.getpid())]


def test_without_fork_the_jobs_run_in_process(monkeypatch):
    monkeypatch.delattr(os, "fork")
    assert pool.workers_for(10_000, 2, strip=True) == 0
    out = list(pool.run_jobs(square_with_pid, list(range(50)), threshold=2, strip=True))
    assert {pid for _r, pid in out} == {os.getpid()}


def fails_on_seven(n):
    if n == 7:
        raise ValueError("seven is not allowed")
    return n


def test_an_exception_in_a_worker_is_raised_here_after_the_results_before_it():
    seen, before = [], children_of()
    with pytest.raises(ValueError, match="seven is not allowed"):
        for value in pool.run_jobs(fails_on_seven, list(range(100)), threshold=2, strip=False):
            seen.append(value)
    assert seen == list(range(7))
    assert children_of() == before


TEST_PROCESS = os.getpid()


def dies_in_a_worker(n):
    if os.getpid() != TEST_PROCESS:  # (this process works too: only the forked workers die)
        os.kill(os.getpid(), signal.SIGKILL)
    return n


def test_a_worker_that_dies_is_an_error_never_a_gap_or_a_hang():
    before = children_of()
    with pytest.raises(pool.WorkerDied, match="killed by signal 9"):
        list(pool.run_jobs(dies_in_a_worker, list(range(40)), threshold=2, strip=False))
    assert children_of() == before


def slow(n):
    time.sleep(0.01)
    return n


def test_stopping_early_stops_and_reaps_every_worker():
    before = children_of()
    results = pool.run_jobs(slow, list(range(400)), threshold=2, strip=False)
    assert [next(results) for _ in range(3)] == [0, 1, 2]
    assert len(set(children_of()) - set(before)) >= 1
    results.close()
    assert children_of() == before



def unpicklable_in_a_worker(n):
    return (lambda: n) if os.getpid() != TEST_PROCESS else n


def test_a_result_that_cannot_be_sent_back_is_an_error_in_its_place_not_a_shift():
    """A worker that cannot pickle one result reports an error for that job only: the results after
    it keep their places."""
    got = []
    with pytest.raises(RuntimeError, match="could not be sent back"):
        for value in pool.run_jobs(unpicklable_in_a_worker, list(range(64)), threshold=2, strip=False):
            got.append(value)
    assert got == list(range(len(got))) and len(got) < 64


def test_a_process_limited_to_one_cpu_forks_no_worker(monkeypatch):
    """taskset -c 0 (or a one-CPU cpuset): workers could only take turns with this process."""
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert pool.workers_for(10_000, 2, strip=True) == 0


def test_chunks_keep_every_worker_busy_to_the_end():
    assert pool.chunks(48, 2) == 1
    assert pool.chunks(400, 3) == 8
    assert pool.chunks(100_000, 3) == 16
