#!/usr/bin/env python3
"""Benchmark `digisafe photos strip/scan` against exiftool and cp on the same folder, same run.

    python bench/photos.py [FOLDER] [--repeat N] [--copies K]
    python bench/photos.py --video-gb 1.5     # peak RSS of stripping a generated 1.5 GB MP4

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


def video_rss(gigabytes: float) -> None:
    """Strip a generated MP4 (sparse mdat, moov with a ©xyz location after it) and print peak RSS."""
    import resource
    import struct

    def box(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", 8 + len(payload)) + kind + payload

    size = int(gigabytes * 1e9)
    with tempfile.TemporaryDirectory(prefix="digisafe-bench-") as tmp:
        video = Path(tmp) / "big.mp4"
        with open(video, "wb") as f:
            f.write(box(b"ftyp", b"isom\0\0\2\0isomiso2mp41"))
            f.write(struct.pack(">I", size + 8) + b"mdat")
            f.seek(size, 1)
            xyz = box(b"\xa9xyz", struct.pack(">HH", 18, 0x15C7) + b"+51.5074-000.1278/")
            f.write(box(b"moov", box(b"mvhd", bytes(100)) + box(b"udta", xyz)))
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "digisafe", "photos", "strip", str(video), "--out",
                               str(Path(tmp) / "out")], stdout=subprocess.DEVNULL, check=False)
        wall = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KB on Linux
        print(f"{video.stat().st_size / 1e9:.2f} GB MP4: strip exit {done.returncode}, {wall:.1f} s, "
              f"peak RSS {peak:.1f} MB (aim: well under 100 MB)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--copies", type=int, default=1)
    parser.add_argument("--video-gb", type=float, default=0.0, help="only measure peak RSS on a generated MP4")
    args = parser.parse_args()
    if args.video_gb:
        video_rss(args.video_gb)
        return 0
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
