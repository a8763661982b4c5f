"""Runs read-only system programs (gsettings, systemctl, profiles...) with a timeout."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from typing import Iterator, Sequence

from digisafe.core.context import CommandResult, CommandUnavailable


class SubprocessRunner:
    def run(self, argv: Sequence[str], timeout: float = 10.0) -> CommandResult:
        program = shutil.which(argv[0])
        if program is None:
            raise CommandUnavailable(f"{argv[0]} is not installed")
        with _private_runtime_dir() as env:
            try:
                done = subprocess.run(  # noqa: S603 - fixed argv, no shell
                    [program, *argv[1:]],
                    capture_output=True,
                    text=True,
                    errors="replace",
                    timeout=timeout,
                    stdin=subprocess.DEVNULL,
                    check=False,
                    env=env,
                )
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise CommandUnavailable(f"{argv[0]} could not be run: {exc}") from None
        return CommandResult(done.returncode, done.stdout, done.stderr)


@contextlib.contextmanager
def _private_runtime_dir() -> Iterator[dict[str, str] | None]:
    """The environment for a read-only helper program.

    NOTE: without XDG_RUNTIME_DIR (sudo, ssh, a bare console), dconf (behind gsettings) falls back
    to writing ~/.cache/dconf/user: a file the audit would leave behind. Give it a private temporary
    runtime folder instead, removed afterwards. In a desktop session the variable is set already.
    """
    if os.name == "nt" or os.environ.get("XDG_RUNTIME_DIR"):
        yield None
        return
    with tempfile.TemporaryDirectory(prefix="digisafe-run-") as folder:
        yield {**os.environ, "XDG_RUNTIME_DIR": folder}
