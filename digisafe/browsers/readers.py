"""Safe readers for files a running browser may be rewriting or holding open.

JSON (Chromium ``Preferences``/``Local State``, Firefox ``extensions.json``...) is read ONCE into
memory and parsed from that copy of the bytes; a half-written or damaged file becomes a
``JsonRead`` with a ``problem`` (shown as a limitation), never an exception.

SQLite (Firefox ``permissions.sqlite``) is never opened in place: see digisafe/core/sqlite_snapshot.py.

Parsed JSON is cached per (path, size, modification time) so the three browser checks of one run
share a single parse of each file. Callers must treat the returned data as read-only.
"""

from __future__ import annotations

import json
import stat
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

# The SQLite snapshot reader is shared with other live-file readers (macOS TCC.db); re-exported
# here because the browser checks read all their files through this module.
from digisafe.core.sqlite_snapshot import MAX_SQLITE_BYTES, UnreadableFile, sqlite_snapshot  # noqa: F401

MAX_JSON_BYTES = 64 * 1024 * 1024  # a real Preferences file is a few MB at most

_CHROME_EPOCH = datetime(1601, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class JsonRead:
    data: Any = None
    problem: str = ""  # why the file could not be used ("" when it was read, or is simply absent)
    missing: bool = False
    modified: str | None = None  # the file's last modification, UTC ISO 8601

    @property
    def ok(self) -> bool:
        return not self.problem and not self.missing


def iso_utc(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def from_unix(seconds: float | None) -> str | None:
    try:
        if seconds is None or seconds <= 0:
            return None
        return iso_utc(datetime.fromtimestamp(float(seconds), timezone.utc))
    except (OverflowError, OSError, ValueError, TypeError):
        return None


def from_unix_ms(millis: Any) -> str | None:
    """Firefox stores times as milliseconds since 1970 (UTC)."""
    if isinstance(millis, bool) or not isinstance(millis, (int, float)):
        return None
    return from_unix(millis / 1000.0)


def from_chrome_time(value: Any) -> str | None:
    """Chromium stores times as a decimal string of microseconds since 1601-01-01 UTC."""
    # NOTE: Chromium writes these 64-bit values as JSON strings ("13345678901234567") because
    # JSON numbers lose precision; older builds and other forks sometimes write plain numbers.
    if isinstance(value, bool):
        return None
    try:
        micros = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    if micros <= 0:
        return None
    try:
        return iso_utc(_CHROME_EPOCH + timedelta(microseconds=micros))
    except (OverflowError, ValueError):
        return None


def read_json(path: Path) -> JsonRead:
    """Read a JSON file once from a snapshot of its bytes. Never raises."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return JsonRead(missing=True)
    except OSError as exc:
        return JsonRead(problem=f"could not open {path} ({exc.strerror or exc})")
    if stat.S_ISDIR(st.st_mode):
        return JsonRead(problem=f"{path} is a folder, not a file")
    if not stat.S_ISREG(st.st_mode):
        # NOTE: a FIFO or device planted in place of a settings file would block or never end.
        return JsonRead(problem=f"{path} is not a regular file; not read")
    return _read_json_cached(str(path), st.st_size, st.st_mtime_ns)


@lru_cache(maxsize=64)
def _read_json_cached(path_text: str, size: int, mtime_ns: int) -> JsonRead:
    path = Path(path_text)
    modified = from_unix(mtime_ns / 1e9)
    if size > MAX_JSON_BYTES:
        return JsonRead(problem=f"{path} is unexpectedly large ({size} bytes); not read", modified=modified)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return JsonRead(problem=f"could not read {path} ({exc.strerror or exc}); it may be locked by "
                                "the browser: close the browser and run the check again", modified=modified)
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        return JsonRead(problem=f"{path} could not be read: the browser may have been writing it, or it is "
                                f"damaged ({type(exc).__name__}); close the browser and run the check again",
                        modified=modified)
    return JsonRead(data=data, modified=modified)


def read_text(path: Path, limit: int = 8 * 1024 * 1024) -> str | None:
    """A small text file (profiles.ini, prefs.js), decoded leniently; None if absent or unreadable."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return None
        with path.open("rb") as handle:
            raw = handle.read(limit + 1)
    except OSError:
        return None
    if len(raw) > limit:
        return None
    return raw.decode("utf-8", errors="replace")


def modified_time(path: Path) -> str | None:
    """A file's last modification as UTC ISO 8601, or None."""
    try:
        return from_unix(path.stat().st_mtime)
    except OSError:
        return None


def stat_signature(path: Path) -> tuple[int, int] | None:
    """(size, mtime_ns) of a file, or None; used in cache keys so an edited file is re-read."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns
