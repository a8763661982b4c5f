#!/usr/bin/env python3
"""Time and peak memory of the files a user names, at the size limits and over them (issue 13).

    python bench/hostile_inputs.py [--keep DIR]

Each case writes a synthetic file in a temporary folder, then runs `python -m digisafe ...` on
it in a child process and reports wall time and the child's peak RSS. The named peer is the bare
parser on the same bytes in its own child (json.loads + json.dumps for a report, json.loads for
a JSON feed, yaml.load with PyYAML's C loader for a YAML feed, csv.reader for a listing): the
ratio shows what digisafe adds on top of merely parsing. Refusals (a file over its limit,
/dev/zero) have no peer: they should take a fraction of a second and a few tens of MB.

A script, not a test: it prints numbers, it does not assert. Goal: memory proportional to the
file (a small multiple of the peer), refusals instant.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MB = 1024 * 1024

CHILD = """
import os, resource, sys, time
args = sys.argv[1:]
start = time.perf_counter()
code = 0
if args[0] == "peer":
    kind, path = args[1], args[2]
    raw = open(path, "rb").read()
    if kind == "json":
        import json; json.loads(raw)
    elif kind == "report":
        import json; json.dumps(json.loads(raw))
    elif kind == "yaml":
        import yaml; yaml.load(raw, Loader=yaml.CSafeLoader)
    elif kind == "csv":
        import csv, io; list(csv.reader(io.StringIO(raw.decode())))
else:
    from digisafe.cli import main
    sys.stdout = open(os.devnull, "w")
    try:
        main(args)
    except SystemExit as exc:
        code = exc.code
took = time.perf_counter() - start
# NOTE: ru_maxrss survives fork+exec on Linux (it showed this script's own peak); VmHWM is the child's.
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
try:
    peak = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:"))
except OSError:
    pass
sys.__stdout__.write(f"{took} {peak} {code}\\n")
"""


def measure(*args: str) -> tuple[float, float, object]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", CHILD, *args], capture_output=True, text=True, timeout=600)
    if done.returncode != 0 or not done.stdout.strip():  # e.g. MemoryError or SIGSEGV before the summary
        return time.perf_counter() - started, float("nan"), f"crashed ({done.returncode})"
    took, peak, code = done.stdout.split()
    return float(took), int(peak) / 1024, code


def report_file(path: Path, megabytes: float) -> Path:
    """A saved report (schema of `digisafe processes --format json`) padded with listing rows."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.sample_report import sample_report

    data = sample_report().to_dict()
    row = {"pid": 1, "ppid": 0, "name": "svchost.exe", "exe": "C:\\Windows\\System32\\svchost.exe",
           "cmdline": ["svchost.exe", "-k", "netsvcs"], "username": "SYSTEM", "create_time": 1.7e9}
    block = {"platform": "windows", "captured_at": "2026-12-07T00:00:00Z", "processes": [row] * 1000}
    per_row = len(json.dumps({"process_listing": block}, indent=2)) / 1000  # as nested in the file
    block["processes"] = [dict(row, pid=i) for i in range(int(megabytes * MB / per_row))]
    data["process_listing"] = block
    path.write_text(json.dumps(data, indent=2))
    return path


def tasklist_file(path: Path, megabytes: float) -> Path:
    rows = ['"Image Name","PID","Session Name","Session#","Mem Usage","Status","User Name","CPU Time","Window Title"']
    size, number = 0, 0
    while size < megabytes * MB - 200:
        row = (f'"svchost{number % 500}.exe","{1000 + number}","Services","0","12,345 K","Unknown",'
               '"NT AUTHORITY\\SYSTEM","0:00:01","N/A"')
        rows.append(row)
        size += len(row) + 2
        number += 1
    path.write_text("\r\n".join(rows) + "\r\n", newline="")
    return path


def lolrmm_file(path: Path, megabytes: float) -> Path:
    tools, number, size = [], 0, 2
    while size < megabytes * MB - 2000:
        details = {"Website": f"https://tool{number}.example.com", "PEMetadata": {"Filename": f"tool{number}.exe"},
                   "InstallationPaths": [f"C:\\Program Files\\Tool{number}\\tool{number}.exe"]}
        tool = {"Name": f"Remote Tool {number}", "Category": "RMM", "Description": "A remote tool. " * 8,
                "Details": details, "Artifacts": {"Network": [{"Domains": [f"relay.tool{number}.example.com"]}]}}
        text = json.dumps(tool)
        tools.append(text)
        size += len(text) + 2
        number += 1
    path.write_text("[" + ", ".join(tools) + "]")
    return path


def echap_file(path: Path, megabytes: float) -> Path:
    entries, number, size = [], 0, 0
    while size < megabytes * MB - 500:
        entry = (f"- name: Spy{number}\n  names:\n  - Spy{number}\n  - SpyPro{number}\n  type: stalkerware\n"
                 f"  packages:\n  - com.spy{number}.app\n  - com.spy{number}.sync\n  websites:\n"
                 f"  - spy{number}.example.com\n  c2:\n    domains:\n    - c2.spy{number}.example.com\n")
        entries.append(entry)
        size += len(entry)
        number += 1
    path.write_text("".join(entries))
    return path


def sparse(path: Path, size: int) -> Path:
    with open(path, "wb") as handle:
        handle.truncate(size)
    return path


def row(label: str, ours: tuple[float, float, object], peer: tuple[float, float, object] | None) -> None:
    line = f"{label:<44} exit {ours[2]!s:>2}  {ours[0]:7.2f} s  {ours[1]:7.0f} MB"
    if peer is not None:
        line += f"   peer {peer[0]:6.2f} s {peer[1]:6.0f} MB"
        line += f"   ratio time {ours[0] / peer[0]:5.1f}x  RSS {ours[1] / peer[1]:4.1f}x"
    print(line, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep", type=Path, help="write the files here (default: a temporary folder)")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="digisafe-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / "data"
    print(f"files in {folder}; python {sys.version.split()[0]}; {os.cpu_count()} CPUs; load {os.getloadavg()[0]:.1f}")

    report = report_file(folder / "report-60mb.json", 60)
    row("report 60 MB (limit 64 MB), --format json", measure("report", str(report), "--format", "json"),
        measure("peer", "report", str(report)))
    listing = tasklist_file(folder / "tasklist-8mb.csv", 7.9)
    row("tasklist 7.9 MB (limit 8 MB)", measure("processes", "--from", str(listing)),
        measure("peer", "csv", str(listing)))
    feed = lolrmm_file(folder / "rmm-15.5mb.json", 15.5)
    row("JSON feed 15.5 MB (limit 16 MB)",
        measure("indicators", "update", "--from", str(feed), "--data-dir", str(data)),
        measure("peer", "json", str(feed)))
    yaml_feed = echap_file(folder / "ioc-1.9mb.yaml", 1.9)
    row("YAML feed 1.9 MB (limit 2 MB)",
        measure("indicators", "update", "--from", str(yaml_feed), "--data-dir", str(data)),
        measure("peer", "yaml", str(yaml_feed)))

    print("refused:")
    big_listing = tasklist_file(folder / "tasklist-60mb.csv", 60)
    row("tasklist 60 MB", measure("processes", "--from", str(big_listing)), None)
    row("profile 200 MB (sparse)", measure("audit", "--profile", str(sparse(folder / "p.toml", 200 * MB))), None)
    row("YAML feed 15.5 MB", measure("indicators", "update", "--from", str(echap_file(folder / "ioc-big.yaml", 15.5)),
                                     "--data-dir", str(data)), None)
    if os.path.exists("/dev/zero"):
        row("report /dev/zero", measure("report", "/dev/zero"), None)
    deep = folder / "deep.json"
    deep.write_text("[" * 100_000)
    row("report nested 100,000 deep", measure("report", str(deep)), None)


if __name__ == "__main__":
    started = time.perf_counter()
    main()
    print(f"total {time.perf_counter() - started:.0f} s")
