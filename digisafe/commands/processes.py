"""`digisafe processes`: check running programs (here, or in a listing captured elsewhere) for
monitoring software, keyloggers and remote-access tools (check DS-PROC-010)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Sequence

import click

from digisafe.commands.common import emit, fail_on_option, output_option, parse_fail_on, render_report, status
from digisafe.core.context import ProcessInfo
from digisafe.core.errors import InputError
from digisafe.render import REPORT_FORMATS

CHECK_ID = "DS-PROC-010"
_PLATFORMS = ("windows", "darwin", "linux")


class _Recorded:
    """Wraps a process source and keeps what it returned, so JSON output can carry the rows."""

    def __init__(self, source) -> None:  # noqa: ANN001
        self.source = source
        self.rows: list[ProcessInfo] = []

    def processes(self) -> Sequence[ProcessInfo]:
        self.rows = list(self.source.processes())
        return self.rows


class _Listed:
    def __init__(self, rows: Sequence[ProcessInfo]) -> None:
        self.rows = list(rows)

    def processes(self) -> Sequence[ProcessInfo]:
        return list(self.rows)


class _Nothing:
    """Network, sessions and commands of a machine we are not on: there is nothing to read."""

    def listening(self):  # noqa: ANN201
        from digisafe.core.context import SocketListing

        return SocketListing((), complete=False, reason="not available for a captured listing")

    def sessions(self) -> list:
        return []

    def run(self, argv, timeout: float = 10.0):  # noqa: ANN001, ANN201
        from digisafe.core.context import CommandUnavailable

        raise CommandUnavailable("not available for a captured listing")


def _read_listing(path: Path):  # noqa: ANN202
    from digisafe.listings import MAX_LISTING_BYTES, parse_listing

    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_LISTING_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    return parse_listing(data, str(path)), hashlib.sha256(data).hexdigest()


def _captured_context(path: Path, platform: str | None, known: frozenset[str]):  # noqa: ANN202
    from digisafe.core.context import Context
    from digisafe.system import user_data_dir
    from digisafe.system.files import RootedFiles

    listing, digest = _read_listing(path)
    chosen = platform or listing.platform
    if chosen is None:
        raise InputError(f"{path}: cannot tell which system this listing comes from; give --platform")
    nowhere = Path("/nonexistent/digisafe-captured-listing")  # never read: the files are elsewhere
    nothing = _Nothing()
    ctx = Context(
        platform=chosen,
        files=RootedFiles(nowhere, nowhere, environ={}),
        processes=_Listed(listing.processes),
        network=nothing,
        sessions=nothing,
        commands=nothing,
        data_dir=user_data_dir(),
        options={CHECK_ID: {"captured": f"{listing.format} file {path.name}"}},
        known_tools=known,
    )
    ctx.sources["listing"] = {
        "file": str(path),
        "format": listing.format,
        "sha256": digest,
        "processes": len(listing.processes),
        "platform": chosen,
    }
    platform_info = {"system": chosen, "release": "captured listing", "machine": path.name, "python": ""}
    return ctx, platform_info


def _warn_unknown_known(ctx, known: frozenset[str]) -> None:  # noqa: ANN001
    """A misspelt --known would silently mark nothing: say so on stderr."""
    if not known:
        return
    from digisafe.indicators import load_database
    from digisafe.monitoring.judgement import is_known

    db = load_database(ctx.data_dir)
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
@click.option("--platform", type=click.Choice(_PLATFORMS), help="The system the listing comes from (if not obvious).")
@click.option("--known", multiple=True, metavar="NAME", help="A tool the person knows about and agreed to.")
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default="table", show_default=True)
@output_option
@fail_on_option
def processes(from_file, platform, known, fmt, output, fail_on) -> int:  # noqa: ANN001
    """Check running programs for monitoring software, keyloggers and remote-access tools.

    Without --from it looks at this laptop (read-only). With --from FILE it reads a listing
    captured elsewhere (see docs/monitoring.md for the capture commands). --format json also
    saves the program list, so the file can be read back with --from.
    """
    from digisafe.core.exitcodes import exit_code_for
    from digisafe.core.registry import load_registry
    from digisafe.core.runner import run_audit
    from digisafe.core.safefile import check_writable
    from digisafe.listings import JSON_KEY, listing_block
    from digisafe.system import build_context, platform_info

    threshold = parse_fail_on(fail_on or "medium")
    if output is not None:
        check_writable(output)
    known_tools = frozenset(k.strip().lower() for k in known if k.strip())
    if from_file is not None:
        ctx, info = _captured_context(from_file, platform, known_tools)
    else:
        if platform is not None:
            raise InputError("--platform only applies to a listing read with --from")
        ctx, info = build_context(None, known_tools), platform_info()
    _warn_unknown_known(ctx, known_tools)
    recorder = _Recorded(ctx.processes)
    ctx.processes = recorder
    registry = load_registry()
    entry = registry.get(CHECK_ID)
    if entry is None:
        raise InputError(f"check {CHECK_ID} is not installed")
    report = run_audit(registry, [entry], ctx, platform=info)
    if fmt == "json":
        data = json.loads(render_report(report, fmt, output))
        data[JSON_KEY] = listing_block(recorder.rows, ctx.platform, report.started_at)
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    else:
        text = render_report(report, fmt, output)
    emit(text, output)
    if output is not None:
        status(f"Report written to {output}")
    return exit_code_for(report, threshold)
