"""`digisafe checklist`: a printable safety checklist, tailored to a saved report if given."""

from __future__ import annotations

from pathlib import Path

import click

from digisafe.commands.common import emit, load_report, output_option, status
from digisafe.commands.guide import format_option, page_format, page_width, paper_option, parse_platforms
from digisafe.core.errors import InputError


@click.command()
@click.option("--from-report", "report_file", type=click.Path(dir_okay=False, path_type=Path),
              help="A JSON report from `digisafe audit --format json`: what it found comes first.")
@format_option
@output_option
@paper_option
@click.option("--include-findings", is_flag=True,
              help="Add what was found, with its evidence (off by default: paper can be found).")
@click.option("--log-pages", type=click.IntRange(0, 50), default=0, show_default=True,
              help="Add this many blank incident-log pages.")
@click.option("--platform", "platforms", multiple=True, metavar="NAME",
              help="Only steps for these devices: iphone, android, windows, macos, linux (repeat or comma-separate).")
def checklist(report_file: Path | None, fmt: str | None, output: Path | None, paper: str,
              include_findings: bool, log_pages: int, platforms: tuple[str, ...]) -> int:
    """A checklist to print: tick boxes, a date, room for notes and who to call on every page.

    With --from-report, the steps that match what digisafe found come first, and the checks
    that could not run are listed so they can be done by hand.
    """
    from digisafe.guidance.checklist import build_checklist

    if include_findings and report_file is None:
        raise InputError("--include-findings needs --from-report REPORT.json")
    fmt = page_format(fmt, output)
    report = load_report(report_file) if report_file is not None else None
    data = build_checklist(report, fmt, paper=paper, include_findings=include_findings, log_pages=log_pages,
                           width=page_width(output, 100), platforms=parse_platforms(platforms))
    emit(data, output)
    if output is not None:
        note = " It includes the findings and their evidence." if include_findings else ""
        status(f"digisafe: checklist written to {output}.{note} Keep it somewhere safe.")
    return 0
