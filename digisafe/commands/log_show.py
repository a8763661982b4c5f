"""The bodies of `digisafe log attach | list | show | verify | export` (click glue is in log.py).

Whenever part of the log is damaged or changed, everything else is still shown, the problem is
one line on stderr naming the entry, and the exit code is 2.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from tabulate import tabulate

from digisafe.commands.common import NullBar, status
from digisafe.core import exitcodes
from digisafe.core.errors import InputError
from digisafe.core.redact import visible
from digisafe.records.timeline import Timeline, build_timeline, render_text


def _finish(problems: list[str]) -> int:
    """Exit 2 with one line per problem, the first broken entry named first."""
    if not problems:
        return exitcodes.OK
    for line in problems[:20]:
        status(f"digisafe: error: {line}")
    if len(problems) > 20:
        status(f"digisafe: error: ... and {len(problems) - 20} more")
    return exitcodes.USAGE


def _open_to_attach(path: Path, added: list[int]) -> Any:
    from digisafe.core.safefile import NotARegularFile, open_regular

    try:
        return open_regular(path)
    except (OSError, NotARegularFile) as exc:
        done = ("nothing was added" if not added else
                f"added {', '.join(f'#{n}' for n in added)} before it; the files after it were not added")
        raise InputError(f"cannot read {visible(str(path))}: {exc.strerror or exc}; {done}") from None


def attach_files(folder: Path, files: tuple[Path, ...], entry: int | None, note: str) -> None:
    """Add every file, or (when one cannot be read) none: all are opened and checked first.

    NOTE: each is opened and closed in the check, then opened again to add, so a long list does not
    hold one descriptor per file; one that vanishes in between is named with what was added."""
    from digisafe.records.api import add_attachment_from_stream

    added: list[int] = []
    for path in files:
        _open_to_attach(path, added).close()
    for path in files:
        with _open_to_attach(path, added) as handle:
            size = max(1, _size(handle))
            show_bar = sys.stderr.isatty() and size > 64 << 20
            with click.progressbar(length=size, label=path.name, file=sys.stderr) if show_bar else NullBar() as bar:
                done = [0]

                def progress(total: int, bar: Any = bar, done: list[int] = done) -> None:
                    bar.update(total - done[0])
                    done[0] = total

                seq = add_attachment_from_stream(folder, handle, path.name, note, "file", entry, progress)
        added.append(seq)
        click.echo(f"Added #{seq}: {visible(path.name)} (encrypted; the original was not changed)")


def _size(handle: Any) -> int:
    import os

    return os.fstat(handle.fileno()).st_size


def list_records(log: Any) -> int:
    timeline = build_timeline(log)
    rows = []
    for item in timeline.items:
        when = item.data.get("recorded_at", "")
        rows.append([f"#{item.seq}", "file" if item.is_attachment else "entry", visible(str(when)),
                     "" if item.is_attachment else visible(item.occurred()), visible(item.title())])
    if rows:
        click.echo(tabulate(rows, headers=["#", "Kind", "Recorded (UTC)", "Happened", "Summary"]))
    else:
        click.echo("The log is empty.")
    return _finish(timeline.errors)


def show_records(log: Any, numbers: tuple[int, ...]) -> int:
    timeline = build_timeline(log, numbers)
    missing = [f"there is no #{n} in this log" for n in numbers if n not in {i.seq for i in timeline.items}]
    # NOTE: a stored file name or typed text can hold a terminal escape or a right-to-left override
    click.echo(visible(render_text(timeline)), nl=False)
    return _finish(missing + timeline.errors)


def verify_log(store: Any, unlocked: Any) -> int:
    from digisafe.records.chain import verify_chain

    chain = verify_chain(store)
    problems = [p.line() for p in chain.problems] + ([chain.unreadable] if chain.unreadable else [])
    if unlocked is not None:
        problems += _decrypt_everything(unlocked)
    click.echo(f"Checked {chain.count} records. Head hash: {chain.head.hex()}")
    if problems:
        click.echo(f"BROKEN: the first problem is at {problems[0]}")
    else:
        what = "every entry and file decrypts and matches its SHA-256" if unlocked is not None else \
            "the hash chain is intact"
        click.echo(f"OK: {what}. Write the head hash down (or keep an export) to compare later.")
    return _finish(problems)


def _decrypt_everything(log: Any) -> list[str]:
    from digisafe.records.errors import LogError

    class _Discard:
        def write(self, data: bytes) -> int:
            return len(data)

    problems = []
    for opened in log.records():
        if opened.error:
            problems.append(opened.error)
        elif opened.is_attachment:
            try:
                log.write_attachment(opened, _Discard())
            except LogError as exc:
                problems.append(str(exc))
    return problems


EXPORT_SUFFIXES = {".pdf": "pdf", ".html": "html", ".htm": "html", ".csv": "csv"}


def export_format(fmt: str | None, output: Path) -> str:
    """``--format`` if given, else what the output's suffix names, else pdf; a contradiction is an error."""
    suffix = output.suffix.lower()
    implied = EXPORT_SUFFIXES.get(suffix)
    if fmt and implied and fmt != implied:
        raise InputError(f"--format {fmt} does not match the output name {output} (a {suffix} file is {implied}): "
                         "change the name or the format")
    return fmt or implied or "pdf"


def export_log(log: Any, fmt: str, paper: str, output: Path, attachments: Path | None) -> int:
    from digisafe.core.safefile import check_writable, write_private

    check_writable(output)
    timeline = build_timeline(log)
    problems = list(timeline.errors)
    if attachments is not None:
        from digisafe.records.export_files import export_attachments

        problems += export_attachments(log, timeline, attachments)
    write_private(output, _render(timeline, fmt, paper))
    click.echo(f"Wrote {output} ({len(timeline.items)} records).")
    return _finish(problems)


def _render(timeline: Timeline, fmt: str, paper: str) -> bytes | str:
    if fmt == "csv":
        from digisafe.records.export_csv import render_csv

        return render_csv(timeline)
    if fmt == "html":
        from digisafe.records.export_html import render_html

        return render_html(timeline, paper)
    from digisafe.records.export_pdf import render_pdf

    return render_pdf(timeline, paper)
