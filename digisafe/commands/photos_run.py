"""What `digisafe photos scan` and `digisafe photos strip` do once their command line is parsed.

Click-free: commands/photos.py (click) and commands/quick.py (the same command lines parsed
without importing click) both call ``run_scan`` and ``run_strip``.

Exit codes. scan: 0 no location found; 1 some files show a location; 4 no location found but some
files could not be read (a partial look never looks clean); 2 usage or input error.
strip: 0 every file was cleaned (or had nothing to remove); 1 some files were NOT cleaned (they are
listed with the reason and nothing was written for them); 2 usage or input error.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from digisafe.commands.common import NullBar, emit, status
from digisafe.core import exitcodes
from digisafe.core.errors import InputError
from digisafe.core.visible import visible

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 3 ms of a photo scan's start-up)
if TYPE_CHECKING:
    from typing import Any

FORMATS = ("table", "json", "markdown", "html")


def _existing(paths: tuple[Path, ...]) -> list[Path]:
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise InputError(f"not found: {', '.join(missing)}")
    return list(paths)


def _progress(count: int, label: str) -> Any:
    """A progress bar on stderr, only when stderr is a terminal and there is more than one file."""
    if count > 1 and sys.stderr is not None and sys.stderr.isatty():  # (None: started with stderr closed, 2>&-)
        import click

        return click.progressbar(length=count, label=label, file=sys.stderr, show_pos=True)
    return NullBar()


def run_scan(paths: tuple[Path, ...], fmt: str | None, output: Path | None) -> int:
    """`photos scan` (see commands/photos.py for its options)."""
    from digisafe.photos.pool import scan_many, total_size
    from digisafe.photos.render import render_scan
    from digisafe.photos.scan import iter_files, summary
    from digisafe.render import format_for_output

    fmt = format_for_output(output, fmt)

    if output is not None:
        from digisafe.core.safefile import check_writable

        check_writable(output)
    files = [(path, folder is None) for path, folder in iter_files(_existing(paths))]
    if output is not None:
        from digisafe.core.safefile import refuse_replacing_input

        refuse_replacing_input(output, [path for path, _named in files], "one of the photos scanned")
    records = []
    size = total_size(path for path, _named in files)
    stream = scan_many(files, size)
    try:
        with _progress(len(files), "Scanning") as bar:
            for record in stream:
                records.append(record)
                bar.update(1)
    finally:
        stream.close()  # (its workers, if any, stop at once: contextlib.closing without contextlib's 0.5 ms)
    totals = summary(records)
    emit(render_scan(records, totals, fmt, roots=[p.absolute() for p in paths], home=Path.home()), output)
    if totals["with_location"]:
        return exitcodes.FINDINGS
    return exitcodes.INCOMPLETE if totals["unreadable"] else exitcodes.OK


def _make_output_folder(out: Path) -> None:
    """Create --out now (0700): a folder that cannot be made is one input error (exit 2) before any
    photo is read, not a "NOT cleaned" row for every file."""
    from digisafe.core.safefile import make_private_dirs

    try:
        make_private_dirs(out)
    except OSError as exc:
        raise InputError(f"cannot create the output folder {out}: {exc.strerror or exc}") from None


def _plan(files: list[tuple[Path, Path | None]], out: Path | None, in_place: bool) -> list[tuple[Path, Path | None]]:
    """Each file and where its cleaned version goes (``out`` mirrors each folder argument's tree)."""
    plan = []
    for path, folder in files:
        if in_place:
            plan.append((path, path))
        elif out is not None:
            plan.append((path, out / (path.relative_to(folder) if folder is not None else Path(path.name))))
        else:
            plan.append((path, None))
    return plan


def run_strip(paths: tuple[Path, ...], out: Path | None, in_place: bool, dry_run: bool, manifest: Path | None,
              fmt: str, log_dir: Path | None = None) -> int:
    """`photos strip` (see commands/photos.py for its options)."""
    from digisafe.photos.formats import PHOTO_EXTENSIONS
    from digisafe.photos.render import render_strip
    from digisafe.photos.scan import iter_files
    from digisafe.photos.strip import NOT_CLEANED, Outcome
    from digisafe.photos.striprun import StripRun

    if out is not None and in_place:
        raise InputError("choose either --out FOLDER or --in-place, not both")
    if out is None and not in_place and not dry_run:
        raise InputError("say where the cleaned files go: --out FOLDER (keeps the originals) or --in-place")
    if manifest is not None:
        from digisafe.core.safefile import check_writable

        check_writable(manifest)
    if log_dir is not None:
        from digisafe.records.api import check_log

        check_log(log_dir, needs=manifest, option="--manifest FILE")
    if out is not None and not dry_run:
        _make_output_folder(out)
    files = list(iter_files(_existing(paths), exclude=out, only_photos=False))
    if in_place and manifest is None and not dry_run:
        status("digisafe: --in-place replaces the original files, which may be evidence. To keep a record "
               "of each original (SHA-256) and what was removed, stop now (Ctrl-C) and add --manifest FILE.")
    plan = _plan(files, out, in_place)
    if manifest is not None:
        _refuse_manifest_over_photos(manifest, plan)
    refused: list[Outcome] = []
    targets: set[str] = set()
    jobs, named = [], {}
    for (source, target), (_p, folder) in zip(plan, files):
        problem = _target_problem(source, target, in_place, targets)
        if problem:
            refused.append(Outcome(source, target, NOT_CLEANED, problem))
        else:
            jobs.append((source, target))
            named[source] = folder is None

    def keep(outcome: Outcome) -> bool:  # other files inside a folder (documents, ...) are not our business
        return named[outcome.source] or not outcome.failed or not outcome.reason.startswith("not a photo") \
            or outcome.source.suffix.lower() in PHOTO_EXTENSIONS

    with _progress(len(jobs), "Cleaning") as bar:
        run = StripRun(jobs, dry_run=dry_run, manifest=manifest, mode="in-place" if in_place else "out",
                       keep=keep, tick=lambda: bar.update(1))
        if run.stale:
            status(f"Removed {len(run.stale)} temporary {'file' if len(run.stale) == 1 else 'files'} left by an "
                   "interrupted earlier strip "
                   f"(for example {visible(str(run.stale[0]))}).")
        run.add_early(refused)
        outcomes = run.run()
    if manifest is not None and not dry_run:
        status(f"digisafe: wrote the manifest to {visible(str(manifest))}. It holds the coordinates and place names "
               "that were removed: keep it private, like the originals.")
    if log_dir is not None and manifest is not None:
        from digisafe.records.api import add_file_to_log

        seq = add_file_to_log(log_dir, manifest, source="digisafe photos strip --manifest")
        status(f"Added the manifest to the log as #{seq}.")
    from digisafe.render.fit import terminal_width

    emit(render_strip(outcomes, fmt, dry_run=dry_run, width=terminal_width()), None)
    if any(o.failed for o in outcomes):
        status("Some files were NOT cleaned: see the list above.")
        return exitcodes.FINDINGS
    return exitcodes.OK


def _refuse_manifest_over_photos(manifest: Path, plan: list[tuple[Path, Path | None]]) -> None:
    """--manifest must not replace an original (evidence) or be replaced by a cleaned copy."""
    from digisafe.core.safefile import refuse_replacing_input

    refuse_replacing_input(manifest, [source for source, _target in plan], "one of the files to clean")
    key = os.path.normcase(os.path.abspath(manifest))
    if any(target is not None and os.path.normcase(os.path.abspath(target)) == key for _source, target in plan):
        raise InputError(f"cannot write {manifest}: a cleaned copy goes there; give a new file name")


def _target_problem(source: Path, target: Path | None, in_place: bool, targets: set[str]) -> str:
    if target is None:
        return ""
    key = os.path.normcase(os.path.abspath(target))
    if key in targets:
        return f"another file would be written to the same place ({target})"
    targets.add(key)
    if not in_place and target.exists() and os.path.samefile(target, source):
        return "the output would replace the original; use --in-place if that is what you want"
    if not in_place and os.path.lexists(target) and (target.is_symlink() or not target.is_file()):
        return f"{target} is not a regular file (a link, folder, pipe or device): it is left alone"
    if in_place and source.is_symlink():
        return "a symbolic link: clean the file it points to instead"
    return ""
