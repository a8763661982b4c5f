"""Start-up cost of the CLI, against `python -c "import click"` measured in the same run.

    python bench/startup.py [--runs 15]

Prints the median wall time of each command and its ratio to the click baseline. Aim: <= 1.5x for
`digisafe --version` and `digisafe checks` (scripted sessions run many short commands).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time


def median_seconds(argv: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    py = sys.executable
    baseline = median_seconds([py, "-c", "import click"], args.runs)
    label = 'python -c "import click"'
    print(f"{label:<32} {baseline * 1000:7.1f} ms  (baseline)")
    worst = 0.0
    for label, argv in [
        ("digisafe --version", [py, "-m", "digisafe", "--version"]),
        ("digisafe checks", [py, "-m", "digisafe", "checks"]),
        ("digisafe --help", [py, "-m", "digisafe", "--help"]),
    ]:
        t = median_seconds(argv, args.runs)
        ratio = t / baseline
        if label != "digisafe --help":
            worst = max(worst, ratio)
        print(f"{label:<32} {t * 1000:7.1f} ms  {ratio:4.2f}x")
    print(f"worst ratio for --version/checks: {worst:.2f}x (aim <= 1.5x)")


if __name__ == "__main__":
    main()
