"""Collectors for the monitoring checks (DS-PROC-010, DS-PROC-020): typed snapshots of what runs,
what starts automatically and which install folders exist. The checks only judge these.

Each reading is made once per audit (``ctx.cached``): DS-PROC-010 and DS-PROC-020 share one
reading of the running programs and one of the autostart places.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Mapping

from digisafe.core.platforms import Platform
from digisafe.core.subject import SubjectKind
from digisafe.monitoring.running import running_processes

if TYPE_CHECKING:
    from digisafe.core.context import Context, ProcessInfo
    from digisafe.indicators import IndicatorDatabase, Matcher
    from digisafe.monitoring.autostart_sources import AutostartScan

_WILDCARD = ("*", "?", "<", "[")
NOT_HASHED = "not hashed: the listing was captured on another machine"


@dataclass(frozen=True)
class Indicators:
    """What the monitoring judges compare with: the database, compiled for one platform."""

    db: IndicatorDatabase
    matcher: Matcher
    known_tools: frozenset[str] = frozenset()
    version: str | None = None
    warning: str | None = None  # the database is old

    @classmethod
    def for_platform(cls, platform: str, known_tools: frozenset[str] = frozenset()) -> Indicators:
        """The built-in database (tests; no context)."""
        from digisafe.indicators import load_database

        db = load_database(None)
        return cls(db, db.matcher(platform), known_tools, db.version)


def indicators(ctx: Context) -> Indicators:
    from digisafe.monitoring.judgement import load_indicators, stale_warning

    db, matcher = load_indicators(ctx)
    version = (ctx.sources.get("indicators") or {}).get("version")
    return Indicators(db, matcher, ctx.known_tools, version, stale_warning(ctx))


def autostart_scan(ctx: Context) -> AutostartScan:
    """Every autostart entry of this laptop, read once per audit."""
    from digisafe.monitoring.autostart_sources import AutostartScan, collect_autostart

    if ctx.files is None:
        return AutostartScan()
    return ctx.cached("autostart", lambda: collect_autostart(ctx))


def _no_fingerprint(_proc: ProcessInfo) -> dict[str, Any]:
    return {"hash_note": NOT_HASHED} if _proc.exe else {}


@dataclass(frozen=True)
class ProcessSnapshot:
    """The running programs (live, or from a captured listing) and what belongs with them."""

    platform: Platform
    processes: tuple[ProcessInfo, ...]
    captured: str | None = None  # "cim-csv file c.csv" for a captured listing; None when live
    is_admin: bool = False
    autostart: AutostartScan | None = None  # None for a listing (nothing else of that machine is here)
    bundle_ids: Mapping[str, str | None] = field(default_factory=dict)  # macOS: .app folder -> bundle ID
    # Reads a program file for the evidence (SHA-256, size...), only for programs a finding names.
    fingerprint: Callable[[ProcessInfo], dict[str, Any]] = _no_fingerprint


def captured_label(ctx: Context) -> str | None:
    """"cim-csv file c.csv" for a captured listing; None for a live laptop."""
    if ctx.subject is None or ctx.subject.kind is not SubjectKind.LISTING:
        return None
    source = ctx.subject.source or {}
    return f"{source.get('format', 'listing')} file {source.get('file', '')}".strip()


def collect_processes(ctx: Context) -> ProcessSnapshot:
    processes = tuple(running_processes(ctx))
    captured = captured_label(ctx)
    if captured is not None or ctx.files is None:
        return ProcessSnapshot(ctx.platform, processes, captured or "a listing", ctx.is_admin)
    bundles: dict[str, str | None] = {}
    if ctx.platform is Platform.MACOS:
        for proc in processes:
            for app in app_bundles(proc.exe):
                if app not in bundles:
                    bundles[app] = bundle_id(ctx.files.path(app + "/Contents/Info.plist"))
    return ProcessSnapshot(
        ctx.platform, processes, None, ctx.is_admin, autostart_scan(ctx), bundles, _fingerprinter(ctx)
    )


def app_bundles(exe: str | None) -> list[str]:
    """The .app folders a macOS program file lives in, outermost first."""
    return [(exe or "")[: m.end()] for m in re.finditer(r"\.app(?=/)", exe or "")]


def bundle_id(info_plist: Any) -> str | None:
    import plistlib

    from digisafe.core.safefile import open_regular

    try:
        with open_regular(info_plist) as handle:
            data = plistlib.loads(handle.read(1024 * 1024))
    except Exception:  # noqa: BLE001 - a missing or damaged Info.plist just gives no bundle ID
        return None
    value = data.get("CFBundleIdentifier") if isinstance(data, dict) else None
    return value if isinstance(value, str) and value else None


def _fingerprinter(ctx: Context) -> Callable[[ProcessInfo], dict[str, Any]]:
    from digisafe.monitoring.judgement import HASH_MAX_BYTES, file_fingerprint

    files = ctx.files
    limit = int(ctx.option("DS-PROC-010", "hash_max_bytes", HASH_MAX_BYTES))
    linux = ctx.platform is Platform.LINUX

    def fingerprint(proc: ProcessInfo) -> dict[str, Any]:
        if not proc.exe or files is None:
            return {}
        evidence: dict[str, Any] = {}
        target = files.path(proc.exe)
        if linux and not os.path.lexists(target):
            # NOTE: the file was deleted while running (spyware does this to hide; psutil drops the
            # " (deleted)" mark); the kernel still serves its content through /proc/<pid>/exe.
            via_proc = files.path(f"/proc/{proc.pid}/exe")
            if os.path.exists(via_proc):
                evidence["deleted_from_disk"] = True
                target = via_proc
        evidence.update(file_fingerprint(target, limit))
        return evidence

    return fingerprint


@dataclass(frozen=True)
class InstalledSnapshot:
    """What starts automatically, which products' install folders exist, and what runs (DS-PROC-020)."""

    platform: Platform
    autostart: AutostartScan
    install_paths: Mapping[str, list[tuple[str, str]]]  # product id -> [(indicator path, folder found)]
    processes: tuple[ProcessInfo, ...] = ()
    registry_missing: bool = False  # Windows, but the registry could not be opened


def collect_installed(ctx: Context, db: IndicatorDatabase) -> InstalledSnapshot:
    return InstalledSnapshot(
        platform=ctx.platform,
        autostart=autostart_scan(ctx),
        install_paths=present_install_paths(ctx, db),
        processes=tuple(running_processes(ctx)),
        registry_missing=ctx.platform is Platform.WINDOWS and ctx.registry is None,
    )


def present_install_paths(ctx: Context, db: IndicatorDatabase) -> dict[str, list[tuple[str, str]]]:
    """product id -> [(indicator path, where it was found)] for literal install paths that exist."""
    from digisafe.monitoring.autostart_sources import expand_windows_vars

    found: dict[str, list[tuple[str, str]]] = {}
    files = ctx.files
    if files is None:
        return found
    for product in db.products:
        for pattern in product.host(ctx.platform).paths:
            literal = pattern.rstrip("\\/")
            if literal.endswith(("\\*", "/*")):
                literal = literal[:-2]
            if ctx.platform is Platform.WINDOWS:
                literal = expand_windows_vars(literal, files)
            if not literal or any(ch in literal for ch in (*_WILDCARD, "%")):
                continue
            try:
                exists = files.path(literal).exists()
            except OSError:
                exists = False
            if exists:
                found.setdefault(product.id, []).append((pattern, literal))
    return found
