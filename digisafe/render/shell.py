"""Commands we print, built from real paths so that they work when pasted into a shell.

``~`` only expands outside quotes, so a folder under the home folder is written ``~/Pictures`` or
``~/'My Photos'``, never ``"~/Pictures"`` (which the shell takes literally, and which fails).
"""

from __future__ import annotations

import shlex
from pathlib import Path, PurePath

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 3 ms of a photo scan's start-up)
if TYPE_CHECKING:
    from typing import Iterable


def shell_path(path: str | PurePath, home: str | PurePath | None = None) -> str:
    """``path`` quoted for a POSIX shell (and PowerShell), home-relative as ``~/...`` when it can be."""
    path = PurePath(path)
    if home is not None:
        try:
            rel = path.relative_to(PurePath(home))
        except ValueError:
            rel = None
        if rel is not None:
            return "~" if str(rel) == "." else "~/" + shlex.quote(rel.as_posix())
    return shlex.quote(str(path))


def command(*words: str) -> str:
    """``digisafe`` and its already-quoted arguments, as one line."""
    return " ".join(("digisafe", *words))


def strip_commands(folders: Iterable[str | PurePath], home: str | PurePath | None) -> list[str]:
    """One ``digisafe photos strip`` per folder, each into a sibling '-no-location' folder (one
    command per folder: two folders into one --out could collide on equal file names)."""
    out = []
    for folder in folders:
        folder = Path(folder)
        target = folder.with_name(folder.name + "-no-location")
        out.append(command("photos", "strip", shell_path(folder, home), "--out", shell_path(target, home)))
    return out
