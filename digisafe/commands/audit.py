"""`digisafe audit`: run the checks that apply here, read-only, and report."""

from __future__ import annotations

from pathlib import Path

import click

from digisafe.commands.common import fail_on_option, log_option, output_option, session_ui, split_ids
from digisafe.render import report_formats


@click.command()
@click.option("--only", multiple=True, metavar="ID", help="Run only these checks (repeat, or comma-separate).")
@click.option("--skip", multiple=True, metavar="ID", help="Do not run these checks.")
@click.option("--category", multiple=True, metavar="NAME", help="Run only checks in this category.")
@click.option(
    "--format", "fmt", type=click.Choice(report_formats()), default=None, help="Report format (default: table)."
)
@output_option
@fail_on_option
@click.option("--profile", type=click.Path(dir_okay=False, path_type=Path), help="TOML profile (see docs).")
@click.option(
    "--known",
    multiple=True,
    metavar="NAME",
    help="A tool the person knows about and agreed to (reported as information only).",
)
@click.option("--include-identity", is_flag=True, help="Put the computer and user name into the report.")
@click.option(
    "--checklist",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write a printable checklist tailored to the findings (.pdf/.html/.md/.txt).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress and no report on screen; the exit code says it.")
@log_option
def audit(only, skip, category, fmt, output, fail_on, profile, known, include_identity, checklist, quiet,  # noqa: ANN001, PLR0913
          log_dir=None) -> int:
    """Check this laptop, read-only, and report what was found.

    Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage or input
    error; 3 digisafe failed; 4 a check failed, so the audit is incomplete; 130 interrupted.
    """
    from digisafe.core.session import SessionOptions, run_session
    from digisafe.system import LaptopSubject

    opts = SessionOptions(
        only=split_ids(only),
        skip=split_ids(skip),
        categories=frozenset(category),
        fmt=fmt,
        output=output,
        fail_on=fail_on,
        profile=profile,
        known=frozenset(known),
        include_identity=include_identity,
        checklist=checklist,
        quiet=quiet,
        log=log_dir,
    )
    return run_session(LaptopSubject(), opts, ui=session_ui(output, progress=not quiet))
