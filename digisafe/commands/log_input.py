"""Input for `digisafe log`: the passphrase (never on the command line) and the entry prompts.

The passphrase comes, in this order, from ``--passphrase-fd N`` (one line read from an open file
descriptor, for scripts), the DIGISAFE_LOG_PASSPHRASE environment variable (scripts; visible to
programs running as you), or a hidden prompt on the terminal. Prompts run in this process: no
external editor is ever opened (editors keep backup and swap copies).
"""

from __future__ import annotations

import os
import sys
from typing import Any, Callable

import click

from digisafe.core.errors import InputError
from digisafe.records.entry import FIELDS

PASSPHRASE_ENV = "DIGISAFE_LOG_PASSPHRASE"
MIN_PASSPHRASE = 10


def passphrase_fd_option(f: Callable) -> Callable:
    return click.option("--passphrase-fd", type=int, metavar="N",
                        help=f"Read the passphrase from file descriptor N (scripts). Or set {PASSPHRASE_ENV}.")(f)


def _from_fd(fd: int) -> str:
    try:
        with os.fdopen(os.dup(fd), "rb") as handle:
            line = handle.readline(4096)
    except OSError as exc:
        raise InputError(f"--passphrase-fd {fd}: cannot read: {exc.strerror or exc}") from None
    except OverflowError:  # NOTE: os.dup raises this, not OSError, for a number beyond a C int
        raise InputError(f"--passphrase-fd {fd}: cannot read: Bad file descriptor") from None
    return line.decode("utf-8", "replace").rstrip("\r\n")


def read_passphrase(fd: int | None, confirm: bool = False) -> str:
    if fd is not None:
        value = _from_fd(fd)
    elif os.environ.get(PASSPHRASE_ENV):
        value = os.environ[PASSPHRASE_ENV]
    elif sys.stdin.isatty():
        value = click.prompt("Passphrase", hide_input=True, confirmation_prompt=confirm, err=True)
    else:
        raise InputError(f"the log needs its passphrase: type it at a terminal, or use --passphrase-fd N or "
                         f"{PASSPHRASE_ENV} in a script (never on the command line)")
    if not value:
        raise InputError("the passphrase is empty")
    if confirm and len(value) < MIN_PASSPHRASE:
        raise InputError(f"choose a passphrase of at least {MIN_PASSPHRASE} characters (a few unrelated words "
                         "are easy to remember and hard to guess)")
    return value


def field_options(f: Callable) -> Callable:
    for field in reversed(FIELDS):
        f = click.option(field.flag, field.key, default=None, metavar="TEXT",
                         help=f"{field.label}." + (f" {field.hint}" if field.hint else ""))(f)
    return f


def _stdin_limited(limit: int) -> bytes:
    """Standard input, capped as a named --json file is (``cat /dev/zero | ... --json -`` must end)."""
    stream = getattr(sys.stdin, "buffer", None)
    data = stream.read(limit + 1) if stream is not None else sys.stdin.read(limit + 1).encode()
    if len(data) > limit:
        raise InputError(f"--json - (standard input) is larger than {limit // (1024 * 1024)} MB, the most digisafe "
                         "reads as a --json file; not read")
    return data


def load_json_fields(source: str | None) -> dict[str, Any]:
    """``--json FILE`` or ``--json -`` (stdin): the fields as a JSON object (no shell history)."""
    if source is None:
        return {}
    from digisafe.core.safefile import read_limited
    from digisafe.core.userfiles import MAX_PROFILE_BYTES, json_loads

    try:  # NOTE: a named file must be a regular one (a FIFO hung), capped and not nested deeply
        raw = _stdin_limited(MAX_PROFILE_BYTES) if source == "-" else read_limited(source, MAX_PROFILE_BYTES,
                                                                                  "--json file")
        data = json_loads(raw.decode())
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"--json {source}: not a readable JSON object ({exc})") from None
    if not isinstance(data, dict) or not all(isinstance(v, (str, type(None))) for v in data.values()):
        raise InputError(f"--json {source}: must be one object of text fields")
    return {k: v for k, v in data.items() if v is not None}


def _ask_lines(label: str) -> str:
    click.echo(f"{label} (finish with an empty line):", err=True)
    lines = []
    while True:
        line = click.prompt("", default="", show_default=False, prompt_suffix="> ", err=True)
        if not line:
            return "\n".join(lines)
        lines.append(line)


def prompt_missing(values: dict[str, Any], ask_when: bool) -> dict[str, Any]:
    """Ask, in plain words, for every field not given yet; an empty answer skips it."""
    click.echo("Answer what you can; press Enter to skip a question. Nothing is saved until the end.", err=True)
    if ask_when:
        values["when"] = click.prompt("When did it happen? (YYYY-MM-DD HH:MM, or 'now')", default="now", err=True)
    for field in FIELDS:
        if values.get(field.key):
            continue
        if field.hint:
            click.echo(f"  ({field.hint})", err=True)
        if field.multiline:
            values[field.key] = _ask_lines(field.label)
        else:
            values[field.key] = click.prompt(field.label, default="", show_default=False, err=True)
    return values
