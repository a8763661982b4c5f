#!/usr/bin/env python3
"""Recall and false alarms of laptop detection (issue 11), printed as figures.

    python bench/detection.py

1. False alarms on ordinary laptops, through the real checks:
   - the Windows 11 (CIM and tasklist), macOS 14 and Ubuntu 24.04 process listings in
     tests/monitoring/listings, through `digisafe processes --from FILE` (DS-PROC-010);
   - ordinary installed programs of the same three systems (tests/inventory/builders.py), through
     DS-PROC-030 on real registry values, Info.plist bundles and a dpkg status file;
   - ordinary browsing (tests/indicators/benign_corpus.py EVERYDAY_HOSTS) in a real Chromium
     History file, through DS-BRW-040.
   Anything above information counts as a false alarm.
2. Recall on the products' own indicators: for every product and laptop system, an observation is
   built from each of its indicators (a process from its program name, a file in its install
   folder, its service, bundle ID, a browser visit to each host) and judged by the same matcher and
   judgement the checks use. Reported per category: products recognised by program, by web traces,
   not at all, and phone-only (no laptop indicator). The peer in the same run is the curated
   database alone (the built-in data before the feeds were derived into it).

A script, not a test: it prints figures and asserts nothing.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LISTINGS = ROOT / "tests" / "monitoring" / "listings"
SYSTEMS = ("windows", "macos", "linux")


def above_info(findings: list) -> list:
    """Findings (digisafe Finding objects) above information."""
    return [f for f in findings if str(f.severity) != "info"]


def listings_false_alarms() -> list[tuple[str, int, int]]:
    from digisafe.cli import main

    rows = []
    for path in sorted(LISTINGS.iterdir()):
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
            main(["processes", "--from", str(path), "--format", "json"])
        report = json.loads(out.getvalue())
        found = [f for r in report["results"] for f in r["findings"]]
        rows.append((path.name, len(found), len([f for f in found if f["severity"] != "info"])))
    return rows


def _findings(check, ctx) -> list:
    from digisafe.core.model import Finding

    return [r for r in check().run(ctx) if isinstance(r, Finding)]


def inventory_false_alarms(tmp: Path) -> list[tuple[str, int, int, int]]:
    from digisafe.checks.installed_programs import InstalledProgramsCheck
    for sub in ("w", "m", "u", "h"):
        (tmp / sub).mkdir()
    from tests.fakes import FakeRegistry, make_context
    from tests.inventory import builders as b

    rows = []
    ctx = make_context(tmp / "w", "windows", registry=FakeRegistry(b.registry_tree(b.WINDOWS11_ORDINARY)))
    found = _findings(InstalledProgramsCheck, ctx)
    rows.append(("Windows 11 Uninstall keys", len(b.WINDOWS11_ORDINARY), len(found), len(above_info(found))))
    ctx = make_context(tmp / "m", "macos")
    for name, bundle_id, shown in b.MACOS14_ORDINARY:
        folder = ctx.files.path("/Applications")
        if "/" in name:
            folder, name = folder / name.split("/")[0], name.split("/")[1]
        b.app_bundle(folder, name, bundle_id, shown)
    found = _findings(InstalledProgramsCheck, ctx)
    rows.append(("macOS 14 /Applications", len(b.MACOS14_ORDINARY), len(found), len(above_info(found))))
    ctx = make_context(tmp / "u", "linux")
    b.dpkg_status(ctx.files.path("/var/lib/dpkg/status"), b.UBUNTU2404_ORDINARY)
    found = _findings(InstalledProgramsCheck, ctx)
    rows.append(("Ubuntu 24.04 dpkg", len(b.UBUNTU2404_ORDINARY), len(found), len(above_info(found))))
    return rows


def history_false_alarms(tmp: Path) -> tuple[int, int, int]:
    from datetime import datetime, timezone

    from digisafe.checks.web_traces import WebTracesCheck

    from tests.browsers import builders as bb
    from tests.fakes import make_context
    from tests.indicators.benign_corpus import EVERYDAY_HOSTS
    from tests.traces.builders import chromium_history

    ctx = make_context(tmp / "h", "windows")
    profile = bb.chrome_profile(ctx.files.home, "windows", "Default", bb.preferences())
    when = datetime(2026, 1, 1, tzinfo=timezone.utc)
    chromium_history(profile / "History", [(f"https://{h}/", when) for h in EVERYDAY_HOSTS])
    found = _findings(WebTracesCheck, ctx)
    return len(EVERYDAY_HOSTS), len(found), len(above_info(found))


def _observations(product, system: str):
    """(kind, matcher method, argument) built from the product's own indicators."""
    from digisafe.indicators import patterns

    host = product.host(system)
    for name in host.processes:
        yield "program", "process", (patterns.example_for(patterns.fold(name, system)), None)
    for path in host.paths:
        for glob in patterns.expand_path_pattern(path, system):
            yield "program", "path", (patterns.example_for(glob),)
    for service in host.services:
        yield "program", "service", (patterns.example_for(service),)
    for bundle in host.bundle_ids:
        yield "program", "bundle_id", (bundle,)
    for domain in (*product.domains, *product.websites, *product.download_hosts, *product.ips):
        yield "web", "domain", ("a1." + domain[2:] if domain.startswith("*.") else domain,)


def recall(db) -> dict[str, dict[str, Counter]]:
    """category -> system -> Counter(program, web, missed, phone-only)."""
    table: dict[str, dict[str, Counter]] = {}
    for system in SYSTEMS:
        matcher = db.matcher(system)
        for product in db.products:
            counts = table.setdefault(product.category, {s: Counter() for s in SYSTEMS})[system]
            seen = set()
            for kind, method, args in _observations(product, system):
                matches = [m for m in getattr(matcher, method)(*args) if m.product.id == product.id]
                if matches:
                    seen.add(kind)
            if any(m.product.id == product.id for m in matcher.program(product.name)):
                counts["name"] += 1  # DS-PROC-030: its own name in the installed programs
            if "program" in seen:
                counts["program"] += 1
            elif "web" in seen:
                counts["web"] += 1
            elif any(not product.host(s).is_empty() for s in SYSTEMS) or product.domains or product.websites:
                counts["missed"] += 1
            else:
                counts["phone-only"] += 1
    return table


def print_recall(label: str, db) -> None:
    print(f"\nRecall on the products' own indicators: {label} ({len(db.products)} products)")
    print(f"{'category':14} {'system':8} {'by program':>10} {'web only':>9} {'missed':>7} {'phone-only':>10} "
          f"{'by installed name':>17}")
    for category, systems in recall(db).items():
        for system, c in systems.items():
            print(f"{category:14} {system:8} {c['program']:10} {c['web']:9} {c['missed']:7} {c['phone-only']:10} "
                  f"{c['name']:17}")


def main() -> None:
    from digisafe.indicators import load_database
    from digisafe.indicators.database import build_database, load_builtin

    started = time.perf_counter()
    print("False alarms on ordinary laptops (findings above information):")
    for name, total, alarms in listings_false_alarms():
        print(f"  process listing {name:24} {total:3} findings, {alarms} above information")
    with tempfile.TemporaryDirectory(prefix="digisafe-bench-") as folder:
        for name, programs, total, alarms in inventory_false_alarms(Path(folder)):
            print(f"  installed: {name:27} {programs:3} programs, {total} findings, {alarms} above information")
        hosts, total, alarms = history_false_alarms(Path(folder))
        print(f"  browser history: {hosts} everyday sites          {total} findings, {alarms} above information")
    meta, curated, system_programs = load_builtin()
    print_recall("curated entries alone (peer)", build_database(meta, curated, system_programs))
    print_recall("built-in data with the derived feeds (this release)", load_database())
    print(f"\n(bench ran in {time.perf_counter() - started:.1f} s)")


if __name__ == "__main__":
    main()
