"""`digisafe photos scan` and `digisafe photos strip` command lines, parsed without importing click.

Importing click is 30 ms of every run: most of a scan of a few dozen photos (bench/photos.py).
``parse`` reads a plain, valid command line of these two commands exactly as click would and
returns the same parameters; for anything else it returns None and click parses it, so help,
usage errors, suggestions and shell completion all still come from click. Plain means: only these
commands' own options, each at most once, written ``--name VALUE``, ``--name=VALUE`` or ``-o
VALUE``; no value that is empty or starts with "-"; every path accepted by its click.Path type (an
existing path of the wrong kind or that cannot be read is left to click, which refuses it).
tests/core/test_quick.py checks ``parse`` against click's own parsing, also on random command lines.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 3 ms of a photo scan's start-up)
if TYPE_CHECKING:
    from typing import Any

FORMATS = ("table", "json", "markdown", "html")  # (photos_run.FORMATS: a test checks they agree)

# option -> (parameter, kind); kind: "flag", "choice", or a path kind: "any", "file" (a folder is
# refused: click.Path(dir_okay=False)), "folder" (a file is refused: click.Path(file_okay=False)).
OPTIONS: dict[str, dict[str, tuple[str, str]]] = {
    "scan": {"--format": ("fmt", "choice"), "--output": ("output", "file"), "-o": ("output", "file")},
    "strip": {"--out": ("out", "folder"), "--in-place": ("in_place", "flag"), "--dry-run": ("dry_run", "flag"),
              "--manifest": ("manifest", "file"), "--format": ("fmt", "choice"), "--log": ("log_dir", "folder")},
}
DEFAULTS: dict[str, dict[str, Any]] = {
    "scan": {"fmt": None, "output": None},
    "strip": {"out": None, "in_place": False, "dry_run": False, "manifest": None, "fmt": "table", "log_dir": None},
}


def parse(argv: list[str]) -> tuple[str, dict[str, Any]] | None:
    """``argv`` after the program's name, e.g. ["photos", "scan", "DIR", "--format", "json"] ->
    ("scan", the parameters click would pass), or None when click should parse it."""
    if len(argv) < 3 or argv[0] != "photos" or argv[1] not in OPTIONS:
        return None
    from digisafe import system

    if system.on_windows():  # (click also expands wildcards in the arguments there)
        return None
    if "_DIGISAFE_COMPLETE" in os.environ:  # click's shell completion
        return None
    command = argv[1]
    options = OPTIONS[command]
    params = dict(DEFAULTS[command])
    seen: set[str] = set()
    paths: list[Path] = []
    rest = argv[2:]
    i = 0
    while i < len(rest):
        token = rest[i]
        i += 1
        if token == "--":
            for value in rest[i:]:
                if not _path_ok(value, "any"):
                    return None
                paths.append(Path(value))
            break
        if not token.startswith("-"):
            if not _path_ok(token, "any"):
                return None
            paths.append(Path(token))
            continue
        name, eq, value = token.partition("=")
        if token == "-" or name not in options or (eq and not name.startswith("--")):
            return None
        param, kind = options[name]
        if param in seen:
            return None
        seen.add(param)
        if kind == "flag":
            if eq:
                return None
            params[param] = True
            continue
        if not eq:
            if i >= len(rest):
                return None
            value = rest[i]
            i += 1
        if not value or value.startswith("-"):
            return None
        if kind == "choice":
            if value not in FORMATS:
                return None
            params[param] = value
        elif _path_ok(value, kind):
            params[param] = Path(value)
        else:
            return None
    if not paths:
        return None
    params["paths"] = tuple(paths)
    return command, params


def _path_ok(value: str, kind: str) -> bool:
    """Would click.Path accept ``value``? It stats it: a missing path is fine; an existing one must
    be of an allowed kind and readable."""
    if not value or "\0" in value:  # (a NUL cannot come from a command line; click says what it makes of it)
        return False
    try:
        st = os.stat(value)
    except OSError:
        return True
    if kind == "folder" and stat.S_ISREG(st.st_mode):
        return False
    if kind == "file" and stat.S_ISDIR(st.st_mode):
        return False
    return os.access(value, os.R_OK)


def run(command: str, params: dict[str, Any]) -> int:
    from digisafe.commands import photos_run

    if command == "scan":
        return photos_run.run_scan(**params)
    return photos_run.run_strip(**params)
