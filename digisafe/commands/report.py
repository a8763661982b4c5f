"""`digisafe report FILE.json`: re-render a saved JSON report (run as JSON now, print later)."""

from __future__ import annotations

from pathlib import Path

import click

from digisafe.commands.common import emit, load_report, output_option, render_report, status
from digisafe.render import FORMAT_NAMES, format_for_output, report_formats


@click.command()
@click.argument("report_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(report_formats()), default=None,
              help="table, json, markdown or html (default: from --output's suffix, else table).")
@output_option
@click.option("--quiet", "-q", is_flag=True, help="Do not say where the file was written.")
def report(report_file: Path, fmt: str | None, output: Path | None, quiet: bool) -> int:
    """Show a saved JSON report again, in another format (e.g. html to print).

    With --output, the format follows the file's suffix (.html, .md, .json, .txt)."""
    fmt = format_for_output(output, fmt)
    if output is not None:
        from digisafe.core.safefile import check_writable, refuse_replacing_input

        check_writable(output)
        refuse_replacing_input(output, [report_file], "the report read")
    saved = load_report(report_file)
    emit(render_report(saved, fmt, output), output)
    if output is not None:
        status(f"digisafe: wrote the report to {output} ({FORMAT_NAMES.get(fmt, fmt)}, readable by you only).",
               quiet)
    return 0
