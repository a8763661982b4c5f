"""Operating-system helpers for making written files durable."""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: ~3 ms of a small strip's start)
if TYPE_CHECKING:
    from typing import Any, Callable, Iterable, Mapping

_loaded: list[Callable[[int], int] | None] = []  # libc's syncfs (or None), once looked up


def libc_syncfs() -> Any:
    """libc's syncfs(fd) on Linux, or None elsewhere (callers then fsync file by file).

    NOTE: syncfs(2) writes back and waits for all dirty data of one filesystem, and reports
    write-back errors since Linux 5.8; Python has no wrapper, so it is reached through libc.
    NOTE: what is returned on Linux looks libc up (ctypes, ~2-4 ms) on its first call, not here: a
    strip of a handful of files never syncs a whole filesystem. Where libc has no syncfs it returns
    -1, a failed sync, and the callers fsync file by file as they do on any failure.
    """
    if not sys.platform.startswith("linux"):
        return None
    return _syncfs


def _syncfs(fd: int) -> int:
    if not _loaded:
        _loaded.append(_lookup())
    call = _loaded[0]
    return -1 if call is None else call(fd)


def _lookup() -> Callable[[int], int] | None:
    try:
        import ctypes

        return getattr(ctypes.CDLL(None, use_errno=True), "syncfs", None)
    except (OSError, AttributeError):
        return None


def sync_filesystems(folders: Iterable[str | bytes | os.PathLike[str]], call: Callable[[int], int],
                     opened: Mapping[int, int] | None = None) -> bool:
    """``call`` (a syncfs) once per filesystem holding ``folders``, on the descriptor ``opened`` holds
    for that device or else on the folder opened now. False if a sync failed or a folder could not
    be read: then nothing is assumed durable and the caller fsyncs file by file."""
    done: set[int] = set()
    try:
        for folder in folders:
            device = os.stat(folder).st_dev
            if device in done:
                continue
            done.add(device)
            if opened is not None and device in opened:
                if call(opened[device]) != 0:
                    return False
                continue
            fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
            try:
                if call(fd) != 0:
                    return False
            finally:
                os.close(fd)
    except OSError:
        return False
    return True
