"""Real file locations. Tests use ``RootedFiles`` (tests/fakes.py) with the same interface."""

from __future__ import annotations

import os
from pathlib import Path


class RootedFiles:
    """Maps system paths into ``root`` and ``~`` into ``home``; the real machine uses root '/'."""

    def __init__(self, root: Path, home: Path, environ: dict[str, str] | None = None) -> None:
        self.root = Path(root)
        self.home = Path(home)
        self._environ = dict(os.environ if environ is None else environ)

    def path(self, path: str) -> Path:
        if path == "~" or path.startswith(("~/", "~\\")):
            return self.home / path[2:] if len(path) > 1 else self.home
        p = Path(path)
        if self.root == Path("/") or not p.is_absolute():
            return p
        # Windows drive paths (C:\...) become root/C/...; POSIX paths root/etc/...
        parts = [part.rstrip(":\\/") for part in p.parts if part not in ("/", "\\")]
        return self.root.joinpath(*[x for x in parts if x])

    def env(self, name: str, default: str | None = None) -> str | None:
        return self._environ.get(name, default)


class RealFiles(RootedFiles):
    def __init__(self) -> None:
        super().__init__(Path(Path.cwd().anchor or "/"), Path.home())

    def path(self, path: str) -> Path:
        return Path(os.path.expanduser(path))
