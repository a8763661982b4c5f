"""`digisafe report FILE.json`: re-render a saved JSON report (run as JSON now, print later)."""

from __future__ import annotations

from pathlib import Path

import click

from digisafe.commands.common import emit, load_report, output_option, render_report
from digisafe.render import report_formats


@click.command()
@click.argument("report_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(report_formats()), default="table", show_default=True)
@output_option
def report(report_file: Path, fmt: str, output: Path | None) -> int:
    """Show a saved JSON report again, in another format (e.g. html to print)."""
    saved = load_report(report_file)
    emit(render_report(saved, fmt, output), output)
    return 0
