"""Run a command exactly as we print it, through a real POSIX shell, as a person would paste it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from digisafe.render.fit import protect


def printed_commands(text: str) -> list[str]:
    """Every `digisafe ...` command in ``text``, whole (the wrapper's own idea of a command)."""
    found = []
    for line in text.splitlines():
        for word in protect(line).split(" "):
            if word.startswith("digisafe\u00a0"):
                found.append(word.replace("\u00a0", " ").rstrip(".,;:"))
    return found


def run_pasted(command: str, home: Path, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """``command`` in ``sh -c`` with HOME=home and the `digisafe` of this interpreter first on PATH."""
    bindir = Path(sys.executable).parent
    shim = home.parent / "shim-bin"
    shim.mkdir(exist_ok=True)
    launcher = shim / "digisafe"
    if not launcher.exists():  # the console script if installed, else `python -m digisafe`
        target = bindir / "digisafe"
        body = f'exec "{target}" "$@"' if target.exists() else f'exec "{sys.executable}" -m digisafe "$@"'
        launcher.write_text(f"#!/bin/sh\n{body}\n")
        launcher.chmod(0o755)
    env = {**os.environ, "HOME": str(home), "PATH": f"{shim}{os.pathsep}{os.environ.get('PATH', '')}",
           "NO_COLOR": "1", "COLUMNS": "80"}
    return subprocess.run(["/bin/sh", "-c", command], env=env, cwd=cwd or home, capture_output=True, text=True,
                          timeout=timeout, check=False)
