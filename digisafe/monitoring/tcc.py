"""macOS privacy grants (TCC.db): which apps may record keys, the screen, the camera or microphone.

The database is read from a private, immutable copy (digisafe/core/sqlite_snapshot.py), so the live
file is never locked or changed. Two schemas exist: macOS 11 and later
store ``auth_value`` (2 = allowed, 3 = limited); older versions store ``allowed`` (1 = allowed).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from digisafe.core.context import Context

SERVICES = {
    "kTCCServiceListenEvent": "Input Monitoring (can record every key you press)",
    "kTCCServiceScreenCapture": "Screen Recording (can see and record your screen)",
    "kTCCServiceAccessibility": "Accessibility (can read and control other apps)",
    "kTCCServicePostEvent": "Accessibility input (can type and click as you)",
    "kTCCServiceCamera": "Camera",
    "kTCCServiceMicrophone": "Microphone",
    "kTCCServiceSystemPolicyAllFiles": "Full Disk Access (can read all your files)",
}
# NOTE: auth_reason values per community documentation: 6 MDM policy, 7 override policy.
MANAGED_REASONS = {6: "device-management (MDM) policy", 7: "override policy"}


class TccUnreadable(Exception):
    """The database could not be read; the message says why."""


@dataclass(frozen=True)
class TccGrant:
    service: str
    client: str
    client_type: int  # 0 bundle ID, 1 absolute path
    allowed: bool
    auth_reason: int | None
    last_modified: int | None  # seconds since the epoch
    database: str


def read_tcc(path: Path) -> list[TccGrant]:
    """Every row of the ``access`` table, in either schema; TccUnreadable on any problem."""
    import sqlite3

    from digisafe.core.sqlite_snapshot import UnreadableFile, sqlite_snapshot

    if not path.exists():
        raise TccUnreadable(f"{path}: not found")
    try:
        with sqlite_snapshot(path) as conn:
            columns = {row[1] for row in conn.execute("PRAGMA table_info(access)")}
            if not columns:
                raise TccUnreadable(f"{path}: no 'access' table (not a TCC database?)")
            rows = conn.execute(_query(columns)).fetchall()
    except UnreadableFile as exc:
        if exc.permission:
            raise TccUnreadable(f"{path}: permission denied (needs Full Disk Access)") from None
        raise TccUnreadable(str(exc)) from None
    except sqlite3.Error as exc:
        raise TccUnreadable(f"{path}: {exc}") from None
    return [
        TccGrant(
            service=str(service),
            client=str(client),
            client_type=int(client_type or 0),
            allowed=bool(allowed),
            auth_reason=int(reason) if isinstance(reason, int) else None,
            last_modified=int(modified) if isinstance(modified, (int, float)) else None,
            database=str(path),
        )
        for service, client, client_type, allowed, reason, modified in rows
    ]


def _query(columns: set[str]) -> str:
    if "auth_value" in columns:
        allowed = "auth_value IN (2, 3)"
    elif "allowed" in columns:
        allowed = "allowed = 1"
    else:
        raise TccUnreadable("unknown TCC schema (neither auth_value nor allowed)")
    reason = "auth_reason" if "auth_reason" in columns else "NULL"
    modified = "last_modified" if "last_modified" in columns else "NULL"
    client_type = "client_type" if "client_type" in columns else "0"
    return f"SELECT service, client, {client_type}, {allowed}, {reason}, {modified} FROM access"  # noqa: S608


TCC_DATABASES = (
    "~/Library/Application Support/com.apple.TCC/TCC.db",
    "/Library/Application Support/com.apple.TCC/TCC.db",
)


@dataclass(frozen=True)
class TccSnapshot:
    """DS-INPUT-020: the grants in the privacy databases that could be read."""

    grants: tuple[TccGrant, ...] = ()
    problems: tuple[str, ...] = ()  # one per database that could not be read
    databases: int = len(TCC_DATABASES)


def collect_tcc(ctx: Context) -> TccSnapshot:
    grants: list[TccGrant] = []
    problems = []
    for location in TCC_DATABASES:
        try:
            grants += read_tcc(ctx.files.path(location))
        except TccUnreadable as exc:
            problems.append(str(exc))
    return TccSnapshot(tuple(grants), tuple(problems))
