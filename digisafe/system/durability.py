"""Operating-system helpers for making written files durable."""

from __future__ import annotations

import sys
from typing import Any


def libc_syncfs() -> Any:
    """libc's syncfs(fd) on Linux, or None elsewhere (callers then fsync file by file).

    NOTE: syncfs(2) writes back and waits for all dirty data of one filesystem, and reports
    write-back errors since Linux 5.8; Python has no wrapper, so it is reached through libc.
    """
    if not sys.platform.startswith("linux"):
        return None
    try:
        import ctypes

        return getattr(ctypes.CDLL(None, use_errno=True), "syncfs", None)
    except (OSError, AttributeError):
        return None
