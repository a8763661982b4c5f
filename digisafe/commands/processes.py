"""`digisafe processes`: check running programs (here, or in a listing captured elsewhere) for
monitoring software, keyloggers and remote-access tools (check DS-PROC-010)."""

from __future__ import annotations

from pathlib import Path

import click

from digisafe.commands.common import fail_on_option, output_option, session_ui, status
from digisafe.core.errors import InputError
from digisafe.render import REPORT_FORMATS

CHECK_ID = "DS-PROC-010"
_PLATFORMS = ("windows", "macos", "linux")


def _parse_platform(value: str | None):  # noqa: ANN202 - Platform | None
    """--platform accepts the old spellings too (darwin, mac, win): one vocabulary, core/platforms.py."""
    if value is None:
        return None
    from digisafe.core.platforms import LAPTOP_PLATFORMS, Platform

    try:
        chosen = Platform.parse(value)
    except ValueError as exc:
        raise InputError(f"--platform: {exc}") from None
    if chosen not in LAPTOP_PLATFORMS:
        raise InputError(f"--platform: a process listing comes from {', '.join(_PLATFORMS)}, not {chosen.label}")
    return chosen


def _warn_unknown_known(known: frozenset[str]) -> None:
    """A misspelt --known would silently mark nothing: say so on stderr."""
    if not known:
        return
    from digisafe.indicators import load_database
    from digisafe.monitoring.judgement import is_known
    from digisafe.system import user_data_dir

    db = load_database(user_data_dir())
    for name in sorted(known):
        if not any(is_known(p, [name]) for p in db.products):
            status(f"note: --known {name}: no product of that name in the indicator database")


@click.command()
@click.option(
    "--from",
    "from_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read a process listing captured on another machine (tasklist CSV, Get-CimInstance CSV, ps, JSON).",
)
@click.option(
    "--platform",
    metavar="|".join(_PLATFORMS),
    help="The system the listing comes from (if not obvious); darwin and mac also mean macos.",
)
@click.option("--known", multiple=True, metavar="NAME", help="A tool the person knows about and agreed to.")
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default=None,
              help="table, json, markdown or html (default: from --output's suffix, else table).")
@output_option
@fail_on_option
@click.option("--include-identity", is_flag=True, help="Keep the user and computer names in the report.")
@click.option("--quiet", "-q", is_flag=True, help="No report on screen; the exit code says it.")
def processes(from_file, platform, known, fmt, output, fail_on, include_identity, quiet) -> int:  # noqa: ANN001, PLR0913
    """Check running programs for monitoring software, keyloggers and remote-access tools.

    Without --from it looks at this laptop (read-only). With --from FILE it reads a listing
    captured elsewhere (see docs/monitoring.md for the capture commands). --format json also
    saves the program list, so the file can be read back with --from. User and computer names
    are left out of the report unless --include-identity is given.
    """
    from digisafe.core.session import SessionOptions, run_session
    from digisafe.listings.subject import ListingSubject, process_listing_attachment

    chosen = _parse_platform(platform)
    if from_file is not None:
        subject = ListingSubject(from_file, chosen)
    else:
        if chosen is not None:
            raise InputError("--platform only applies to a listing read with --from")
        from digisafe.system import LaptopSubject

        subject = LaptopSubject()
    known_tools = frozenset(k.strip().lower() for k in known if k.strip())
    _warn_unknown_known(known_tools)
    from digisafe.render import format_for_output

    fmt = format_for_output(output, fmt)
    if from_file is not None:
        from digisafe.core.safefile import refuse_replacing_input

        refuse_replacing_input(output, [from_file], "the process listing read")
    opts = SessionOptions(
        # A listing runs every check for listings (DS-PROC-010 and plugins'); this laptop only DS-PROC-010.
        only=frozenset() if from_file is not None else frozenset({CHECK_ID}),
        fmt=fmt,
        quiet=quiet,
        output=output,
        fail_on=fail_on,
        known=known_tools,
        include_identity=include_identity,
        attachments=process_listing_attachment if fmt == "json" else None,
    )
    return run_session(subject, opts, ui=session_ui(output, progress=False))
