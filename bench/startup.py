"""Start-up cost of the CLI, against `python -c "import click"` measured in the same run.

    python bench/startup.py [--runs 15]

Prints the median wall time and the median CPU time (user + system, of the child process) of each
command and their ratios to the click baseline. Aim: <= 1.5x for `digisafe --version` and
`digisafe checks` (scripted sessions run many short commands). The commands are run in rotation,
round after round, so a change in machine load during the run touches the baseline and the
commands alike; the CPU ratio is the steadier figure on a busy machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time


def _children_cpu() -> float:
    """CPU seconds used by finished children so far (getrusage is microsecond-precise; os.times,
    the fallback on Windows, counts whole clock ticks)."""
    try:
        import resource
    except ImportError:
        times = os.times()
        return times.children_user + times.children_system
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def one_run(argv: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child)."""
    before = _children_cpu()
    started = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - started
    return wall, _children_cpu() - before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    py = sys.executable
    commands = [
        ('python -c "import click"', [py, "-c", "import click"]),
        ("digisafe --version", [py, "-m", "digisafe", "--version"]),
        ("digisafe checks", [py, "-m", "digisafe", "checks"]),
        ("digisafe --help", [py, "-m", "digisafe", "--help"]),
    ]
    walls: dict[str, list[float]] = {label: [] for label, _ in commands}
    cpus: dict[str, list[float]] = {label: [] for label, _ in commands}
    for _ in range(args.runs):
        for label, argv in commands:  # NOTE: rotated, so load drifts hit every command alike
            wall, cpu = one_run(argv)
            walls[label].append(wall)
            cpus[label].append(cpu)
    base_label = commands[0][0]
    base_wall, base_cpu = statistics.median(walls[base_label]), statistics.median(cpus[base_label])
    print(f"{'':<32} {'wall':>9}  {'ratio':>5}   {'CPU':>9}  {'ratio':>5}")
    worst_wall = worst_cpu = 0.0
    for label, _argv in commands:
        wall, cpu = statistics.median(walls[label]), statistics.median(cpus[label])
        wall_ratio, cpu_ratio = wall / base_wall, cpu / base_cpu if base_cpu else float("nan")
        if label in ("digisafe --version", "digisafe checks"):
            worst_wall, worst_cpu = max(worst_wall, wall_ratio), max(worst_cpu, cpu_ratio)
        note = "  (baseline)" if label == base_label else ""
        print(f"{label:<32} {wall * 1000:6.1f} ms  {wall_ratio:4.2f}x   {cpu * 1000:6.1f} ms  {cpu_ratio:4.2f}x{note}")
    print(f"worst ratio for --version/checks: {worst_wall:.2f}x wall, {worst_cpu:.2f}x CPU (aim <= 1.5x)")


if __name__ == "__main__":
    main()
