#!/usr/bin/env python3
"""Benchmark the indicator matcher and the real process check.

    python bench/processes.py [--processes 1000] [--indicators 10000] [--repeat 5]

1. Matching: compiles the built-in database plus synthetic products up to ``--indicators``
   process-name/path indicators (a third of them globs), then times matching ``--processes``
   synthetic processes (name + executable path; ordinary ones and a few hits) with
   ``Matcher.process`` and ``Matcher.masquerade``. The same processes are matched against the
   built-in database alone: the time should barely change with 10x-50x more indicators.
2. The real monitoring checks on this machine (DS-PROC-010/020/030, DS-BRW-040, DS-NET-020: real
   processes, start-up entries, installed programs, browser history, hosts file and connections),
   with the full built-in database. Goal: under 1 s in total.

A script, not a test: it prints numbers, it does not assert. Goal: under 0.2 s for 1,000 processes
against 10,000 indicators.
"""

from __future__ import annotations

import argparse
import random
import statistics
import string
import time

from digisafe.indicators.database import build_database, load_builtin
from digisafe.indicators.schema import product_from_dict

WORDS = "alpha bravo carbon delta echo fable gamma helix indigo jolt karma lumen matrix nova orbit pixel quartz".split()


def synthetic_products(indicators: int, rng: random.Random) -> list:
    """Products with 5 process names (2 globs) and 5 install paths each: 10 indicators per product."""
    products = []
    for number in range(indicators // 10):
        stem = f"{rng.choice(WORDS)}{number}{''.join(rng.choices(string.ascii_lowercase, k=4))}"
        names = [f"{stem}{suffix}.exe" for suffix in ("", "svc", "agent")] + [f"{stem}_*.exe", f"{stem}upd*.exe"]
        paths = [
            f"C:\\Program Files\\{stem.title()} Monitor\\",
            f"C:\\ProgramData\\{stem}\\*",
            f"%APPDATA%\\{stem}\\bin\\*.exe",
            f"C:\\Program Files (x86)\\{stem} Corp\\<version>\\{stem}.exe",
            f"C:\\Windows\\{stem}\\",
        ]
        products.append(
            product_from_dict(
                {
                    "id": f"synthetic-{number}",
                    "name": stem,
                    "category": rng.choice(["stalkerware", "remote-access", "monitoring"]),
                    "presentation": "covert",
                    "verified": "feed",
                    "windows": {"processes": names, "paths": paths},
                    "sources": [{"name": "synthetic", "url": "https://example.org"}],
                }
            )
        )
    return products


def synthetic_processes(count: int, rng: random.Random, products: list) -> list[tuple[str, str]]:
    ordinary = [
        ("svchost.exe", "C:\\Windows\\System32\\svchost.exe"),
        ("chrome.exe", "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe"),
        ("Teams.exe", "C:\\Users\\alice\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe"),
        ("explorer.exe", "C:\\Windows\\explorer.exe"),
        ("Code.exe", "C:\\Users\\alice\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe"),
    ]
    rows = []
    for number in range(count):
        roll = rng.random()
        if roll < 0.6:
            rows.append(rng.choice(ordinary))
        elif roll < 0.95:
            stem = "".join(rng.choices(string.ascii_lowercase, k=8))
            rows.append((f"{stem}.exe", f"C:\\Program Files\\{stem}\\app\\{number}\\{stem}.exe"))
        else:
            product = rng.choice(products)
            rows.append((f"{product.name}_x.exe", f"C:\\ProgramData\\{product.name}\\{product.name}_x.exe"))
    return rows


def time_matching(matcher, processes: list[tuple[str, str]], repeat: int) -> tuple[float, int]:
    times, hits = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        hits = 0
        for name, exe in processes:
            hits += len(matcher.process(name, exe))
            matcher.masquerade(name, exe)
        times.append(time.perf_counter() - started)
    return statistics.median(times), hits


def bench_matcher(args: argparse.Namespace) -> None:
    rng = random.Random(4)
    from digisafe.indicators import load_database

    meta, _curated, system_programs = load_builtin()
    builtin = list(load_database().products)  # curated + the entries derived from the feeds
    extra = synthetic_products(args.indicators, rng)
    processes = synthetic_processes(args.processes, rng, extra)
    for label, products in (("built-in only", builtin), (f"+{len(extra)} synthetic products", builtin + extra)):
        started = time.perf_counter()
        db = build_database(meta, products, system_programs)
        matcher = db.matcher("windows")
        compiled = time.perf_counter() - started
        size = matcher.size()
        indicators = size["processes"] + size["paths"]
        seconds, hits = time_matching(matcher, processes, args.repeat)
        print(
            f"{label:32} {indicators:6} process/path indicators ({len(products)} products): "
            f"compile {compiled:.3f} s; match {len(processes)} processes {seconds:.4f} s (median of {args.repeat}), "
            f"{hits} matches"
        )


REAL_CHECKS = (
    ("digisafe.checks.monitoring_processes", "MonitoringProcessesCheck"),  # DS-PROC-010
    ("digisafe.checks.monitoring_installed", "MonitoringInstalledCheck"),  # DS-PROC-020
    ("digisafe.checks.installed_programs", "InstalledProgramsCheck"),  # DS-PROC-030
    ("digisafe.checks.web_traces", "WebTracesCheck"),  # DS-BRW-040
    ("digisafe.checks.network_traces", "NetworkTracesCheck"),  # DS-NET-020
)


def bench_real_check() -> None:
    """The monitoring checks on this machine (real processes, files, history, connections), with the
    full built-in database (curated + derived); cold includes loading and compiling it."""
    import importlib

    from digisafe.core.check import CheckSkipped
    from digisafe.indicators import clear_cache
    from digisafe.system import build_context

    checks = []
    for module, name in REAL_CHECKS:
        try:
            checks.append(getattr(importlib.import_module(module), name))
        except (ImportError, AttributeError):
            print(f"real check {module}.{name}: not installed")
    clear_cache()
    for attempt in ("cold (database loaded, hashes computed)", "warm (database and hash cache)"):
        ctx = build_context()
        started = time.perf_counter()
        timings = []
        for check in checks:
            begun = time.perf_counter()
            try:
                rows = len(list(check().run(ctx)))
            except CheckSkipped:
                rows = 0
            timings.append(f"{check.id} {time.perf_counter() - begun:.3f}s/{rows}")
        seconds = time.perf_counter() - started
        print(f"real monitoring checks on this machine, {attempt}: {seconds:.3f} s total ({'; '.join(timings)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=1000)
    parser.add_argument("--indicators", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    bench_matcher(args)
    bench_real_check()


if __name__ == "__main__":
    main()
