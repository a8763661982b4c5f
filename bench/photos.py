#!/usr/bin/env python3
"""Benchmark `digisafe photos strip/scan` against exiftool and cp on the same folder, same run.

    python bench/photos.py [FOLDER] [--repeat N] [--copies K]

FOLDER defaults to the JPEG/TIFF/raw samples in /work/shared/samples/photos. The files are first
copied into a temporary input folder (``--copies K`` puts K copies of each there, for a bigger
batch) and read once so every tool starts with a warm cache. Each command runs ``--repeat`` times;
the median wall time is reported, with the ratios the issue asks for:
strip vs `exiftool -gps:all= -xmp:gps*= -o OUT -r` (one batch) and vs `cp -r`;
scan vs `exiftool -gps:all -j -r`. A script, not a test: it prints, it does not assert.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT = Path("/work/shared/samples/photos")
EXTENSIONS = {".jpg", ".jpeg", ".tif", ".tiff", ".dng", ".nef", ".cr2", ".arw", ".orf", ".rw2", ".pef"}


def prepare(source: Path, work: Path, copies: int) -> tuple[Path, int, int]:
    inp = work / "in"
    count = size = 0
    for path in sorted(source.rglob("*")):
        if path.is_file() and path.suffix.lower() in EXTENSIONS:
            for k in range(copies):
                rel = path.relative_to(source)
                dest = inp / f"copy{k}" / rel if copies > 1 else inp / rel
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, dest)
                count += 1
                size += path.stat().st_size
    for path in inp.rglob("*"):
        if path.is_file():
            path.read_bytes()
    return inp, count, size


def timed(argv: list[str], out: Path | None, repeat: int) -> tuple[float, float]:
    """Median wall time and median CPU time (user + system) of the child, in seconds."""
    import resource

    walls, cpus = [], []
    for _ in range(repeat):
        if out is not None and out.exists():
            shutil.rmtree(out)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--copies", type=int, default=1)
    args = parser.parse_args()
    exiftool = shutil.which("exiftool")
    digisafe = [sys.executable, "-m", "digisafe"]
    with tempfile.TemporaryDirectory(prefix="digisafe-bench-") as tmp:
        work = Path(tmp)
        inp, count, size = prepare(args.folder, work, args.copies)
        print(f"{count} files, {size / 1e6:.1f} MB, median of {args.repeat} runs, {os.cpu_count()} CPUs")
        rows = {
            "cp -r": timed(["cp", "-r", str(inp), str(work / "cp")], work / "cp", args.repeat),
            "digisafe strip": timed(digisafe + ["photos", "strip", str(inp), "--out", str(work / "ds")],
                                    work / "ds", args.repeat),
            "digisafe scan": timed(digisafe + ["photos", "scan", str(inp), "--format", "json"], None, args.repeat),
        }
        if exiftool:
            rows["exiftool strip"] = timed([exiftool, "-q", "-q", "-gps:all=", "-xmp:gps*=", "-o",
                                            str(work / "et") + "/%d%f.%e", "-r", str(inp)], work / "et", args.repeat)
            rows["exiftool scan"] = timed([exiftool, "-q", "-q", "-gps:all", "-j", "-r", str(inp)], None, args.repeat)
        print(f"  {'':16} {'wall':>10} {'cpu':>10}")
        for name, (wall, cpu) in rows.items():
            print(f"  {name:16} {wall * 1000:7.1f} ms {cpu * 1000:7.1f} ms")
        for i, label in ((0, "wall"), (1, "cpu")):
            strip = rows["digisafe strip"][i]
            line = f"{label:4}: strip = {strip / rows['cp -r'][i]:.2f}x cp -r (aim <= 3)"
            if exiftool:
                line += (f"; strip {rows['exiftool strip'][i] / strip:.2f}x faster than exiftool (aim >= 3)"
                         f"; scan {rows['exiftool scan'][i] / rows['digisafe scan'][i]:.2f}x faster (aim >= 3)")
            print(line)
        if not exiftool:
            print("exiftool not installed: peer ratios not measured")
    return 0


if __name__ == "__main__":
    sys.exit(main())
