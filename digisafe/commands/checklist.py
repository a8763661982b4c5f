"""`digisafe checklist`: a printable safety checklist, tailored to a saved report if given."""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from digisafe.commands.common import emit, load_report, output_option, status
from digisafe.errors import InputError


@click.command()
@click.option("--from-report", "report_file", type=click.Path(dir_okay=False, path_type=Path),
              help="A JSON report from `digisafe audit --format json`: what it found comes first.")
@click.option("--format", "fmt", type=click.Choice(("text", "markdown", "html", "pdf")), default=None,
              help="text (default on screen), markdown, html or pdf; from --output's suffix if not given.")
@output_option
@click.option("--paper", type=click.Choice(("a4", "letter")), default="a4", show_default=True,
              help="Paper size for html and pdf.")
@click.option("--include-findings", is_flag=True,
              help="Add what was found, with its evidence (off by default: paper can be found).")
@click.option("--log-pages", type=click.IntRange(0, 50), default=0, show_default=True,
              help="Add this many blank incident-log pages.")
def checklist(report_file: Path | None, fmt: str | None, output: Path | None, paper: str,
              include_findings: bool, log_pages: int) -> int:
    """A checklist to print: tick boxes, a date, room for notes and who to call on every page.

    With --from-report, the steps that match what digisafe found come first, and the checks
    that could not run are listed so they can be done by hand.
    """
    from digisafe.guidance.checklist import build_checklist, format_for

    if include_findings and report_file is None:
        raise InputError("--include-findings needs --from-report REPORT.json")
    if fmt is None:
        fmt = format_for(output, None) if output is not None else "text"
    report = load_report(report_file) if report_file is not None else None
    width = 80 if output is not None else max(40, min(100, shutil.get_terminal_size((80, 24)).columns - 1))
    data = build_checklist(report, fmt, paper=paper, include_findings=include_findings, log_pages=log_pages,
                           width=width)
    emit(data, output)
    if output is not None:
        note = " It includes the findings and their evidence." if include_findings else ""
        status(f"digisafe: checklist written to {output}.{note} Keep it somewhere safe.")
    return 0
