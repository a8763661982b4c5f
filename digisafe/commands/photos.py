"""`digisafe photos scan` and `digisafe photos strip`: their click commands. What they do is in
photos_run.py (exit codes there); quick.py runs the same command lines without importing click."""

from __future__ import annotations

from pathlib import Path

import click

from digisafe.commands.common import output_option
from digisafe.commands.photos_run import FORMATS, run_scan, run_strip


@click.group("photos")
def photos() -> None:
    """Find and remove location (GPS, place names) in photos and videos.

    `scan` only reads. `strip` writes cleaned copies (--out FOLDER) or, if you ask for it,
    replaces the files themselves (--in-place). Originals used as evidence should be kept:
    prefer --out.
    """


@photos.command("scan")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="table, json, markdown or html (default: from --output's suffix, else table).")
@output_option
def scan(paths: tuple[Path, ...], fmt: str | None, output: Path | None) -> int:
    """Show which photos and videos reveal where they were taken (read-only).

    PATHS are files or folders (searched recursively)."""
    return run_scan(paths, fmt, output)


@photos.command("strip")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path),
              help="Write cleaned copies into this folder, mirroring the input folders. Originals are not changed.")
@click.option("--in-place", is_flag=True, help="Replace each file with its cleaned version (atomic).")
@click.option("--dry-run", is_flag=True, help="Only say what would change; write nothing.")
@click.option("--manifest", type=click.Path(dir_okay=False, path_type=Path),
              help="Write an evidence record (JSON): SHA-256 before/after and what was removed, per file.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="Format of the summary.")
@click.option("--log", "log_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Also add the manifest, encrypted, to the incident log in this folder (digisafe log).")
def strip(paths: tuple[Path, ...], out: Path | None, in_place: bool, dry_run: bool, manifest: Path | None,
          fmt: str, log_dir: Path | None = None) -> int:
    """Remove location from photos and videos without touching the picture.

    Every cleaned file is re-read and checked before it is kept; a file that cannot be cleaned
    with certainty is reported as NOT cleaned and nothing is written for it."""
    return run_strip(paths, out, in_place, dry_run, manifest, fmt, log_dir)
