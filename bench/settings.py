#!/usr/bin/env python3
"""Benchmark the settings and browser checks on laptops with far more entries than usual.

    python bench/settings.py [--repeat 7]

Builds the same fake laptops as tests/settings/test_scale.py and tests/browsers/test_scale.py
(Linux: 200 GeoClue apps, 300 accounts, 300 SSH keys; Mac: 500 location clients, 200 profiles;
Windows: 600 app grants; browsers: nine busy Chrome, Edge and Firefox profiles) and times the
checks that read them. The peer, run in the same script on the same files, is the floor: reading
and parsing every input file once with the standard library (json, sqlite3, plistlib, plain
text) and nothing else. It prints the best of --repeat rounds (rounds alternate) and the ratio
(none for Windows, whose settings sit in a fake registry rather than in files).

Goal (issue 5): each group well under a second; the ratio says how much of it is our judgement.
A script, not a test: it prints numbers, it does not assert.
"""

from __future__ import annotations

import argparse
import json
import plistlib
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from digisafe.browsers import readers  # noqa: E402
from digisafe.core.registry import RegisteredCheck  # noqa: E402
from digisafe.core.runner import run_check  # noqa: E402
from tests.browsers.test_scale import busy_browsers  # noqa: E402
from tests.fakes import make_context  # noqa: E402
from tests.settings.test_scale import linux_laptop, mac_laptop, windows_laptop  # noqa: E402


def parse_everything(root: Path) -> int:
    """The peer: parse every file under ``root`` once with the standard library; returns a count."""
    parsed = 0
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if data.startswith(b"SQLite format 3"):
            with sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True) as db:
                for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall():
                    parsed += len(db.execute(f'SELECT * FROM "{table}"').fetchall())
        elif data.startswith((b"bplist", b"<?xml")):
            parsed += len(plistlib.loads(data))
        else:
            try:
                parsed += len(json.loads(data))
            except ValueError:  # INI, passwd, keys: plain text
                parsed += data.decode("utf-8", "replace").count("\n")
    return parsed


def laptops(tmp: Path) -> list[tuple[str, object, list, Path]]:
    def maker(folder: Path):
        return lambda **overrides: make_context(folder, **overrides)

    built = []
    for name, build in (("linux settings", linux_laptop), ("mac settings", mac_laptop),
                        ("windows settings", windows_laptop)):
        folder = tmp / name.replace(" ", "-")
        folder.mkdir()
        ctx, checks = build(maker(folder), folder)
        built.append((name, ctx, checks, folder))
    folder = tmp / "browsers"
    folder.mkdir()
    ctx = make_context(folder, platform="windows")
    built.append(("browsers (9 profiles)", ctx, busy_browsers(ctx), folder))
    return built


def run_checks(ctx, checks: list) -> int:  # noqa: ANN001
    """Run the checks as the audit does (fresh caches); returns how many findings they made."""
    readers._read_json_cached.cache_clear()
    return sum(len(run_check(RegisteredCheck(c, "built-in"), ctx).findings) for c in checks)


def timed(fn, *args) -> tuple[float, object]:  # noqa: ANN001
    started = time.perf_counter()
    value = fn(*args)
    return time.perf_counter() - started, value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="digisafe-bench-") as tmp:
        print(f"{'group':<24}{'checks':>10}{'parse only':>12}{'ratio':>8}{'findings':>10}")
        for name, ctx, checks, folder in laptops(Path(tmp)):
            ours, peer, findings, parsed = [], [], 0, 0
            for _ in range(args.repeat):  # alternate so both see the same machine load
                seconds, findings = timed(run_checks, ctx, checks)
                ours.append(seconds)
                seconds, parsed = timed(parse_everything, folder)
                peer.append(seconds)
            a, b = min(ours), min(peer)
            # NOTE: the Windows laptop's settings live in a fake registry, not in files: no floor to compare.
            ratio = f"{a / b:>7.1f}x" if parsed else "      -"
            print(f"{name:<24}{a:>9.3f}s{b:>11.4f}s{ratio}{findings:>10}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
