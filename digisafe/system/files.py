"""Real file locations. Tests use ``RootedFiles`` (tests/fakes.py) with the same interface."""

from __future__ import annotations

import os
import re
from pathlib import Path

_WINDOWS_DRIVE = re.compile(r"^([A-Za-z]):[\\/]?")


class RootedFiles:
    """Maps system paths into ``root`` and ``~`` into ``home``; the real machine uses root '/'."""

    def __init__(self, root: Path, home: Path, environ: dict[str, str] | None = None) -> None:
        self.root = Path(root)
        self.home = Path(home)
        self._environ = dict(os.environ if environ is None else environ)

    def path(self, path: str) -> Path:
        if path == "~" or path.startswith(("~/", "~\\")):
            return self.home.joinpath(*[x for x in path[2:].replace("\\", "/").split("/") if x])
        if self.root == Path("/"):
            return Path(path)
        # A fake root maps system paths under it: POSIX /etc/x -> root/etc/x, and Windows drive
        # paths C:\x\y -> root/C/x/y (on any OS, so Windows checks run in Linux tests).
        drive = _WINDOWS_DRIVE.match(path)
        if drive:
            rest = [x for x in path[drive.end():].replace("\\", "/").split("/") if x]
            return self.root.joinpath(drive.group(1).upper(), *rest)
        p = Path(path)
        if not p.is_absolute():
            return p
        return self.root.joinpath(*[part for part in p.parts if part not in ("/", "\\")])

    def env(self, name: str, default: str | None = None) -> str | None:
        return self._environ.get(name, default)


class RealFiles(RootedFiles):
    def __init__(self) -> None:
        super().__init__(Path(Path.cwd().anchor or "/"), Path.home())

    def path(self, path: str) -> Path:
        return Path(os.path.expanduser(path))
