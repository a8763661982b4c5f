"""The temp files strip writes before a verified rename: recognisable names, a register of the ones
this process is writing, and the sweep that removes those an interrupted run left behind.

Name: ``.NAME.<pid>-<random>.digisafe-tmp`` in the destination folder (beside the original for
--in-place: the rename must stay on one filesystem to be atomic). ``<pid>`` is the id of the
strip command's main process: a temp whose owner is no longer running is stale and removed by the
next run (and by the guardian process the moment its owner is killed). Names written by older
versions (``.NAME.<random>.digisafe-tmp``) are stale by definition.
"""

from __future__ import annotations

import _thread
import errno
import os
import re
import stat
from pathlib import Path

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: ~3 ms of a small strip's start)
if TYPE_CHECKING:
    from typing import Iterable

SUFFIX = ".digisafe-tmp"
# (patterns compiled on first use, by re's cache: only a sweep that finds a temp name needs them)
_NEW = r"(?s)\A\..*\.(\d+)-[A-Za-z0-9_]{8}\.digisafe-tmp\Z"
_OLD = r"(?s)\A\..*\.[a-z0-9_]{8}\.digisafe-tmp\Z"

_owner = os.getpid()
_live: set[str] = set()
# (re-entered by a signal handler that cleans up; _thread's lock is threading's, without importing
# threading: ~1 ms of every strip's start)
_lock = _thread.RLock()


def claim() -> int:
    """Make the calling process the owner of the temp files written from now on (by it and by the
    workers it forks); returns its id."""
    global _owner
    _owner = os.getpid()
    return _owner


# NOTE: what tempfile.mkstemp does (exclusive create, 0600, never through a symlink, binary and not
# inherited on Windows), without importing tempfile (with shutil and random: ~3 ms of every start).
_FLAGS = (os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
          | getattr(os, "O_NOINHERIT", 0))
_LETTERS = "abcdefghijklmnopqrstuvwxyz234567"  # 32: one letter per 5 random bits (matches _NEW and _OLD)
_ATTEMPTS = 10000


def _random_letters() -> str:
    return "".join(_LETTERS[b & 31] for b in os.urandom(8))


def create(folder: Path, name: str) -> tuple[int, Path]:
    """A new temp file (0600, opened read-write) for ``name`` in ``folder``, registered as live."""
    where = os.path.abspath(folder)
    prefix = f".{name[:96]}.{_owner}-"
    for _ in range(_ATTEMPTS):
        path = os.path.join(where, prefix + _random_letters() + SUFFIX)
        try:
            fd = os.open(path, _FLAGS, 0o600)
        except FileExistsError:
            continue
        except PermissionError:
            # NOTE: Windows says "permission denied" when a folder has the name: try another name.
            if os.name == "nt" and os.path.isdir(where) and os.access(where, os.W_OK):
                continue
            raise
        with _lock:
            _live.add(path)
        return fd, Path(path)
    raise FileExistsError(errno.EEXIST, "No usable temporary file name found", where)


def forget(path: Path) -> None:
    """``path`` was renamed into place or removed: no longer ours to clean."""
    with _lock:
        _live.discard(str(path))


def remove(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
    forget(path)


def remove_live() -> None:
    """Remove every temp file this process is still writing (on interrupt or parent death)."""
    with _lock:
        paths = list(_live)
        _live.clear()
    for path in paths:
        try:
            os.unlink(path)
        except OSError:
            pass


def owner_of(name: str) -> int | None:
    """The owner id in a temp name, 0 for an old-style name, None if not one of ours."""
    match = re.match(_NEW, name)
    if match:
        return int(match.group(1))
    return 0 if re.match(_OLD, name) else None


def _alive(pid: int) -> bool:
    from digisafe.system.lifetime import process_alive  # (only when a temp name is found: start-up cost)

    return process_alive(pid)


def sweep(folders: Iterable[Path], owner: int | None = None) -> list[Path]:
    """Remove our temp files in ``folders`` (not recursive): those of ``owner`` if given (cleaning
    up after an interrupted run of ours), else every stale one (owner no longer running).
    Returns what was removed. Only regular files with our exact name pattern are touched."""
    removed = []
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if not entry.name.endswith(SUFFIX):
                continue
            who = owner_of(entry.name)
            if who is None or (owner is not None and who != owner):
                continue
            if owner is None and who and who != os.getpid() and _alive(who):
                continue  # another strip is running right now
            try:
                if not stat.S_ISREG(entry.stat(follow_symlinks=False).st_mode):
                    continue
                os.unlink(entry.path)
            except OSError:
                continue
            removed.append(Path(entry.path))
    return removed
