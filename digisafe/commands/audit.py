"""`digisafe audit`: run the checks that apply here, read-only, and report."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from digisafe.commands.common import (
    emit,
    fail_on_option,
    output_option,
    parse_fail_on,
    render_report,
    split_ids,
    status,
)
from digisafe.core.errors import InputError
from digisafe.render import report_formats


def _progress(total: int, quiet: bool):  # noqa: ANN202
    """Progress on stderr, only on a terminal: one overwritten line per check."""
    if quiet or not sys.stderr.isatty():
        return None
    count = {"n": 0}

    def show(entry) -> None:  # noqa: ANN001
        count["n"] += 1
        line = f"[{count['n']}/{total}] {entry.cls.title}"[:78]
        click.echo(f"\r{line:<78}", err=True, nl=False)

    return show


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
def audit(only, skip, category, fmt, output, fail_on, profile, known, include_identity, checklist, quiet) -> int:  # noqa: ANN001, PLR0913
    """Check this laptop, read-only, and report what was found.

    Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage or input
    error; 3 digisafe failed; 4 a check failed, so the audit is incomplete; 130 interrupted.
    """
    from digisafe.core.exitcodes import exit_code_for
    from digisafe.core.profile import Profile, load_profile
    from digisafe.core.registry import load_registry
    from digisafe.core.runner import Selection, SelectionError, run_audit, select
    from digisafe.core.safefile import check_writable
    from digisafe.system import build_context, identity, platform_info

    prof = load_profile(profile) if profile else Profile()
    fmt = fmt or prof.format or "table"
    formats = report_formats()
    if fmt not in formats:
        raise InputError(f"profile format {fmt!r} is not one of {', '.join(formats)}")
    threshold = parse_fail_on(fail_on or prof.fail_on or "medium")
    for path in (output, checklist):
        if path is not None:
            check_writable(path)  # fail before a long run, and leave no file behind
    if checklist is not None:
        from digisafe.guidance.checklist import format_for

        format_for(checklist, None)  # an unknown suffix fails now, not after the audit
    registry = load_registry()
    unknown_options = sorted(set(prof.options) - {c.id for c in registry.checks})
    if unknown_options:
        raise InputError(f"profile {profile}: options for unknown check {unknown_options[0]}")
    selection = Selection(
        only=split_ids(only) | frozenset(prof.only),
        skip=split_ids(skip) | frozenset(prof.skip),
        categories=frozenset(c.strip().lower() for c in (*category, *prof.categories) if c.strip()),
    )
    try:
        chosen = select(registry, selection)
    except SelectionError as exc:
        raise InputError(str(exc)) from None
    ctx = build_context(prof.options, frozenset(n.lower() for n in (*known, *prof.known)))
    who = identity()
    progress = _progress(len(chosen), quiet)
    report = run_audit(
        registry,
        chosen,
        ctx,
        platform=platform_info(),
        identity=who if include_identity else None,
        progress=progress,
    )
    if progress is not None:
        click.echo("\r" + " " * 78 + "\r", err=True, nl=False)  # clear the line once all checks ran
    if not include_identity:
        from digisafe.core.redact import redact_identity

        report = redact_identity(report, who["hostname"], who["user"], str(ctx.files.home))
    if output is not None or not quiet:
        emit(render_report(report, fmt, output), output)
    if checklist is not None:
        from digisafe.guidance.checklist import write_checklist

        write_checklist(report, checklist)
        status(f"Checklist written to {checklist}", quiet)
    if output is not None:
        status(f"Report written to {output}", quiet)
    return exit_code_for(report, threshold)
