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
            return "~" if str(rel) == "." else "~/" + quote(rel.as_posix())
    return quote(str(path))


def quote(text: str) -> str:
    """``shlex.quote``, except for a name holding control characters or bidi overrides: those are
    written ``$'...\\x1b...'`` (bash, zsh, ksh and POSIX sh since 2024), so the command names the
    real file and nothing raw reaches the screen (photos/render.py shows raw ones as codes)."""
    from digisafe.core.visible import visible

    if visible(text) == text:
        return shlex.quote(text)
    out = []
    for ch in text:
        if ch in "\\'":
            out.append("\\" + ch)
        elif visible(ch) != ch:
            code = ord(ch)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(ch)
    return "$'" + "".join(out) + "'"


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
