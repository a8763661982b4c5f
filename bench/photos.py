#!/usr/bin/env python3
"""Benchmark `digisafe photos strip/scan` against exiftool and `cp -r`: same files, same run.

    python bench/photos.py [FOLDER] [--sizes 48,400,4000] [--rounds 5]
    python bench/photos.py --video-gb 1.5     # peak RSS of stripping a generated 1.5 GB MP4

FOLDER (default: the shared samples, every format) is copied once and exiftool writes a GPS
position, an XMP city and an IPTC city into every copy it can write. Each batch size is then built
from those files: the first size from the JPEGs only ("a few dozen photos"), the others from every
format, repeated in sub-folders. Every file is read once so all tools start with a warm cache.

Per batch size and round, in an order rotated each round (so no tool always runs first or after
another's writes): `cp -r`, `digisafe photos strip --out`, exiftool with the location arguments
(LOCATION_ARGS, `-o OUT/%d%f.%e -r`), `digisafe photos scan --format json` and
`exiftool -fast2 -gps:all -j -r`. Before each timed run the previous output is removed and `sync`
runs (untimed); after each copy/strip a `sync` is timed too, so each row is shown without and with
that final sync. Medians of wall time and of CPU time (user + system of the child and its
workers). digisafe runs with its bytecode cached (as after `pip install`), after one warm-up.
It runs the `digisafe` command installed beside this Python (what a user runs), or `--digisafe
PATH`; the first line says whether that install is editable (`pip install -e`: its import hook
adds ~10 ms to every start). Quote figures from a plain `pip install .` in a clean venv.
A script, not a test: it prints, it does not assert.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

DEFAULT = Path("/work/shared/samples/photos")
LOCATION_ARGS = ["-gps:all=", "-xmp:gps*=", "-xmp:city=", "-xmp:state=", "-xmp:country=", "-xmp:location=",
                 "-iptc:city=", "-iptc:province-state=", "-iptc:country-primarylocationname=",
                 "-iptc:sub-location="]
WRITE_LOCATION = ["-GPSLatitude=53.8008", "-GPSLatitudeRef=N", "-GPSLongitude=1.5491", "-GPSLongitudeRef=W",
                  "-XMP:City=Leeds", "-IPTC:City=Leeds"]
JPEG = {".jpg", ".jpeg"}


def prepare_base(source: Path, work: Path, exiftool: str | None) -> list[Path]:
    base = work / "base"
    files = []
    for path in sorted(source.rglob("*")):
        if path.is_file() and path.suffix.lower() not in (".md", ".txt"):
            dest = base / path.relative_to(source)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)
            files.append(dest)
    if exiftool:
        subprocess.run([exiftool, "-q", "-q", "-overwrite_original", "-r", *WRITE_LOCATION, str(base)],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return files


def build_set(files: list[Path], base: Path, folder: Path, count: int) -> tuple[int, int]:
    """``count`` files cycled from ``files`` into copyK/ sub-folders of ``folder``; (files, bytes)."""
    size = 0
    for i in range(count):
        src = files[i % len(files)]
        dest = folder / f"copy{i // len(files):03d}" / src.relative_to(base)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
        size += dest.stat().st_size
    for path in folder.rglob("*"):
        if path.is_file():
            path.read_bytes()
    return count, size


def run_once(argv: list[str], cwd: Path, env: dict[str, str], out: Path | None) -> tuple[float, float, float]:
    """(wall, cpu, wall of the sync that follows) of one run."""
    if out is not None and out.exists():
        shutil.rmtree(out)
    os.sync()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    os.sync()
    synced = time.perf_counter() - start
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, synced


def digisafe_command(given: str | None) -> list[str]:
    """The installed `digisafe` script beside this Python (what users run), else ``python -m``."""
    if given:
        return [given]
    script = Path(sys.executable).with_name("digisafe.exe" if os.name == "nt" else "digisafe")
    return [str(script)] if script.exists() else [sys.executable, "-m", "digisafe"]


def install_kind() -> str:
    try:
        from importlib.metadata import distribution

        direct = distribution("digisafe").read_text("direct_url.json") or ""
    except Exception:  # noqa: BLE001 - only a label
        return "unknown install"
    return "EDITABLE install (pip install -e: slower start)" if '"editable": true' in direct else "regular install"


def interpreter(command: list[str]) -> str:
    """The Python that runs ``command`` (the script's #! line), for the start-up floor row."""
    if len(command) == 1:
        try:
            with open(command[0], "rb") as f:
                first = f.readline().decode("utf-8", "replace")
            if first.startswith("#!") and "python" in first:
                return first[2:].strip().split()[0]
        except OSError:
            pass
    return sys.executable if len(command) == 1 else command[0]


def tools(exiftool: str | None, work: Path, command: list[str]) -> dict[str, tuple[list[str], Path | None]]:
    ds = command + ["photos"]
    python = interpreter(command)
    rows: dict[str, tuple[list[str], Path | None]] = {
        # The floor: starting this Python and doing nothing, what digisafe cannot go below (a plain
        # `photos scan`/`strip` does not import click: digisafe/commands/quick.py).
        "python (floor)": ([python, "-c", "pass"], None),
        "cp -r": (["cp", "-r", "in", "out-cp"], work / "out-cp"),
        "digisafe strip": (ds + ["strip", "in", "--out", "out-ds"], work / "out-ds"),
        "digisafe scan": (ds + ["scan", "in", "--format", "json"], None),
    }
    if exiftool:
        rows["exiftool strip"] = ([exiftool, "-q", "-q", *LOCATION_ARGS, "-o", "out-et/%d%f.%e", "-r", "in"],
                                  work / "out-et")
        rows["exiftool scan"] = ([exiftool, "-q", "-q", "-fast2", "-gps:all", "-j", "-r", "in"], None)
    return rows


def measure(work: Path, exiftool: str | None, rounds: int, env: dict[str, str],
            command: list[str]) -> dict[str, list[tuple]]:
    rows = tools(exiftool, work, command)
    subprocess.run(rows["digisafe strip"][0], cwd=work, env=env, capture_output=True, check=False)  # warm-up
    times: dict[str, list[tuple]] = {name: [] for name in rows}
    names = list(rows)
    for r in range(rounds):
        for name in names[r % len(names):] + names[:r % len(names)]:
            argv, out = rows[name]
            times[name].append(run_once(argv, work, env, out))
    for _argv, out in rows.values():
        if out is not None and out.exists():
            shutil.rmtree(out)
    return times


def report(label: str, count: int, size: int, times: dict[str, list[tuple]]) -> None:
    med = {name: tuple(statistics.median(t[i] for t in runs) for i in range(3)) for name, runs in times.items()}
    print(f"\n{label}: {count} files, {size / 1e6:.1f} MB (medians of {len(next(iter(times.values())))} rounds)")
    print(f"  {'':16} {'wall':>9} {'cpu':>9} {'wall+sync':>10}")
    for name, (wall, cpu, synced) in med.items():
        extra = f"{(wall + synced) * 1000:8.0f} ms" if "scan" not in name and "python" not in name else ""
        print(f"  {name:16} {wall * 1000:6.0f} ms {cpu * 1000:6.0f} ms {extra}")
    ds, cp = med["digisafe strip"], med["cp -r"]
    line = f"  strip: {ds[0] / cp[0]:.1f}x the time of cp -r ({(ds[0] + ds[2]) / (cp[0] + cp[2]):.1f}x with sync)"
    if "exiftool strip" in med:
        et, es = med["exiftool strip"], med["exiftool scan"]
        strip_sync = (et[0] + et[2]) / (ds[0] + ds[2])
        line += (f"; exiftool/digisafe strip: wall {et[0] / ds[0]:.2f}x, with sync {strip_sync:.2f}x,"
                 f" cpu {et[1] / ds[1]:.2f}x (aim >= 5)\n  scan: exiftool -fast2/digisafe: wall "
                 f"{es[0] / med['digisafe scan'][0]:.2f}x, cpu {es[1] / med['digisafe scan'][1]:.2f}x (aim >= 8)")
        floor = med["python (floor)"][0]
        line += (f"\n  ceiling (exiftool / starting Python, before any work): strip "
                 f"{et[0] / floor:.1f}x, scan {es[0] / floor:.1f}x")
    print(line)


def video_rss(gigabytes: float) -> None:
    """Strip a generated MP4 (sparse mdat, moov with a ©xyz location after it) and print peak RSS."""
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
    parser.add_argument("--sizes", default="48,400,4000", help="batch sizes (the first: JPEGs only)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--video-gb", type=float, default=0.0, help="only measure peak RSS on a generated MP4")
    parser.add_argument("--digisafe", help="the digisafe command (default: the one beside this Python)")
    args = parser.parse_args()
    if args.video_gb:
        video_rss(args.video_gb)
        return 0
    exiftool = shutil.which("exiftool")
    version = subprocess.run([exiftool, "-ver"], capture_output=True, text=True).stdout.strip() if exiftool else "-"
    print(f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {platform.system()} {platform.machine()}, "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at start, Python {platform.python_version()}, "
          f"exiftool {version}")
    command = digisafe_command(args.digisafe)
    print(f"digisafe: {' '.join(command)} ({install_kind()})")
    print(f"exiftool strip arguments: {' '.join(LOCATION_ARGS)}")
    with tempfile.TemporaryDirectory(prefix="digisafe-bench-") as tmp:
        root = Path(tmp)
        files = prepare_base(args.folder, root, exiftool)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(root / "pycache")  # cached bytecode, outside the source tree
        for i, count in enumerate(int(n) for n in args.sizes.split(",")):
            work = root / f"set{i}"
            pool = [f for f in files if f.suffix.lower() in JPEG] if i == 0 else files
            n, size = build_set(pool, root / "base", work / "in", count)
            label = "JPEGs only" if i == 0 else "every format"
            report(f"{label}", n, size, measure(work, exiftool, args.rounds, env, command))
            shutil.rmtree(work)
        print(f"\nload average {os.getloadavg()[0]:.1f} at the end")
    if not exiftool:
        print("exiftool not installed: peer ratios not measured")
    return 0


if __name__ == "__main__":
    sys.exit(main())
