"""Runs read-only system programs (gsettings, systemctl, profiles...) with a timeout."""

from __future__ import annotations

import shutil
import subprocess
from typing import Sequence

from digisafe.context import CommandResult, CommandUnavailable


class SubprocessRunner:
    def run(self, argv: Sequence[str], timeout: float = 10.0) -> CommandResult:
        program = shutil.which(argv[0])
        if program is None:
            raise CommandUnavailable(f"{argv[0]} is not installed")
        try:
            done = subprocess.run(  # noqa: S603 - fixed argv, no shell
                [program, *argv[1:]],
                capture_output=True,
                text=True,
                errors="replace",
                timeout=timeout,
                stdin=subprocess.DEVNULL,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise CommandUnavailable(f"{argv[0]} could not be run: {exc}") from None
        return CommandResult(done.returncode, done.stdout, done.stderr)
