"""Helpers shared by the commands: options, output, colour, reading saved reports.

Reports go to stdout or ``--output`` (atomic, 0600); status and progress go to stderr.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from digisafe.commands.echo import echo
from digisafe.core.errors import InputError

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 3 ms of a photo scan's start-up)
if TYPE_CHECKING:  # NOTE: `photos scan` and `strip` use this module: the report model is not theirs
    from typing import Callable

    from digisafe.core.model import Report, Severity


def split_ids(values: tuple[str, ...]) -> frozenset[str]:
    """``--only A --only B,C`` -> {A, B, C}, upper-cased."""
    return frozenset(v.strip().upper() for value in values for v in value.split(",") if v.strip())


def parse_fail_on(value: str) -> Severity | None:
    from digisafe.core.session import parse_fail_on as parse

    return parse(value)


def output_option(f: Callable) -> Callable:
    import click  # (this module is also used by `photos scan` and `strip` run without click: quick.py)

    return click.option(
        "--output",
        "-o",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Write to this file (private to you, replaced atomically) instead of the screen.",
    )(f)


def log_option(f: Callable) -> Callable:
    """``--log LOGDIR``: also add the JSON report, encrypted, to the incident log (digisafe log)."""
    import click

    return click.option(
        "--log",
        "log_dir",
        type=click.Path(file_okay=False, path_type=Path),
        help="Also add the report (JSON), encrypted, to the incident log in this folder (digisafe log).",
    )(f)


def fail_on_option(f: Callable) -> Callable:
    import click

    return click.option(
        "--fail-on",
        default=None,
        metavar="SEVERITY|never",
        help="Exit 1 if anything at or above this severity is found (default: medium).",
    )(f)


def use_color(output: Path | None) -> bool:
    """Colour only on a terminal, never into files or pipes, and never when NO_COLOR is set."""
    if output is not None or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()


def emit(data: str | bytes, output: Path | None) -> None:
    """Write the result to ``output`` (atomically, 0600) or to stdout."""
    if output is not None:
        from digisafe.core.safefile import write_private

        write_private(output, data)
        return
    if isinstance(data, bytes):
        if sys.stdout.isatty():
            raise InputError("this format is binary: give --output FILE to save it")
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    echo(data, nl=False)


def load_report(path: Path) -> Report:
    """Read a saved JSON report; any problem is one clear InputError (exit 2)."""
    from digisafe.core.model import Report, ReportFormatError
    from digisafe.core.userfiles import read_report

    data = read_report(path)  # regular files only, size and nesting capped
    try:
        return Report.from_dict(data)
    except ReportFormatError as exc:
        raise InputError(f"{path}: {exc}") from None


def render_report(report: Report, fmt: str, output: Path | None) -> str:
    from digisafe.render import render
    from digisafe.render.fit import terminal_width

    # A file gets 80 columns; the screen gets the terminal's width.
    return render(report, fmt, color=use_color(output) and fmt == "table",
                  width=80 if output is not None else terminal_width())


def status(message: str, quiet: bool = False) -> None:
    if not quiet:
        echo(message, err=True)


def session_ui(output: Path | None, progress: bool = True):  # noqa: ANN201 - a digisafe.core.session.SessionUI
    """How `audit`-like commands print a session: progress on a terminal only (one overwritten
    line on stderr), the report through ``emit``, colour only on a terminal."""
    from digisafe.core.session import SessionUI

    def show(done: int, total: int, title: str) -> None:
        line = f"[{done}/{total}] {title}"[:78]
        echo(f"\r{line:<78}", err=True, nl=False)

    def clear() -> None:
        echo("\r" + " " * 78 + "\r", err=True, nl=False)

    on_terminal = progress and sys.stderr.isatty()
    return SessionUI(
        emit=emit,
        status=status,
        progress=show if on_terminal else None,
        progress_done=clear if on_terminal else None,
        color=use_color(output),
    )


class NullBar:
    """What a command uses instead of click.progressbar when no bar is shown (not a terminal)."""

    def __enter__(self) -> NullBar:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: int) -> None:
        return None
