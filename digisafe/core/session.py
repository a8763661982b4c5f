"""One audit session, outside click: the sequence every audit command shares.

load the profile -> select the checks for the subject -> build its context -> run (with progress)
-> keep identity out -> render -> emit -> checklist -> exit code.

``digisafe audit`` runs it on ``LaptopSubject()``, ``digisafe processes --from F`` on
``ListingSubject(F)``, and phone commands on their subjects; commands only parse options and
choose how to print (``SessionUI``).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping

from digisafe.core.errors import InputError

if TYPE_CHECKING:
    from digisafe.core.context import Context
    from digisafe.core.model import Report, Severity
    from digisafe.core.profile import Profile
    from digisafe.core.subject import Subject


@dataclass(frozen=True)
class SessionOptions:
    only: frozenset[str] = frozenset()
    skip: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()
    fmt: str | None = None  # None: the profile's format, else "table"
    output: Path | None = None
    fail_on: str | None = None  # None: the profile's, else "medium"
    profile: Path | None = None
    known: frozenset[str] = frozenset()
    include_identity: bool = False
    checklist: Path | None = None
    quiet: bool = False
    data_dir: Path | None = None  # None: the subject's default (the user's digisafe data folder)
    log: Path | None = None  # an incident log folder (digisafe log): the JSON report is added to it
    # Data to keep with the report once the checks ran (Report.attachments), e.g. the process rows.
    attachments: Callable[[Context], Mapping[str, Any]] | None = field(default=None, compare=False)


def _write_plain(data: str | bytes, output: Path | None) -> None:
    if output is not None:
        from digisafe.core.safefile import write_private

        write_private(output, data)
    elif isinstance(data, bytes):
        sys.stdout.buffer.write(data)
    else:
        sys.stdout.write(data)


def _say(message: str) -> None:
    print(message, file=sys.stderr)


@dataclass(frozen=True)
class SessionUI:
    """How a session talks: the report out, status lines and progress to stderr."""

    emit: Callable[[str | bytes, Path | None], None] = _write_plain
    status: Callable[[str], None] = _say
    progress: Callable[[int, int, str], None] | None = None  # (done, total, check title)
    progress_done: Callable[[], None] | None = None  # clears the progress line
    color: bool = False  # colour a table on a terminal


@dataclass(frozen=True)
class _Plan:
    profile: Profile
    fmt: str
    threshold: Severity | None


def _plan(opts: SessionOptions) -> _Plan:
    """Everything that can be wrong with the options, found before a long run (and no file left)."""
    from digisafe.core.profile import Profile, load_profile, validate_profile
    from digisafe.core.registry import load_registry
    from digisafe.core.safefile import check_writable
    from digisafe.render import report_formats

    prof = load_profile(opts.profile) if opts.profile else Profile()
    if opts.profile:
        validate_profile(prof, load_registry())  # IDs, categories, format, check options: naming the line
    from digisafe.render import format_for_output

    # --format, else the --output suffix (r.html is HTML), else the profile's, else a table;
    # a suffix that contradicts --format is refused (issue 12)
    fmt = format_for_output(opts.output, opts.fmt, default="") or prof.format or "table"
    formats = report_formats()
    if fmt not in formats:
        raise InputError(f"profile format {fmt!r} is not one of {', '.join(formats)}")
    threshold = parse_fail_on(opts.fail_on or prof.fail_on or "medium")
    for path in (opts.output, opts.checklist):
        if path is not None:
            check_writable(path)
    if opts.log is not None:
        from digisafe.records.api import check_log

        check_log(opts.log)
    if opts.checklist is not None:
        from digisafe.guidance.checklist import SUFFIXES

        if opts.checklist.suffix.lower() not in SUFFIXES:  # fails now, not after the audit
            # NOTE: not format_for's "or give --format": here --format is the report's format
            raise InputError(f"--checklist {opts.checklist}: cannot tell the format of the checklist from its name; "
                             "end it in .pdf, .html, .md or .txt")
    return _Plan(prof, fmt, threshold)


def parse_fail_on(value: str) -> Severity | None:
    from digisafe.core.model import Severity

    if value.strip().lower() == "never":
        return None
    try:
        return Severity.parse(value)
    except ValueError as exc:
        raise InputError(f"--fail-on: {exc} or 'never'") from None


def _select(opts: SessionOptions, prof: Profile, subject: Subject):  # noqa: ANN202 - (Registry, checks)
    from digisafe.core.registry import load_registry
    from digisafe.core.runner import Selection, SelectionError, select

    registry = load_registry()
    selection = Selection(
        only=frozenset(opts.only) | frozenset(prof.only),
        skip=frozenset(opts.skip) | frozenset(prof.skip),
        categories=frozenset(c.strip().lower() for c in (*opts.categories, *prof.categories) if c.strip()),
    )
    try:
        return registry, select(registry, selection, subject.info.kind)
    except SelectionError as exc:
        from digisafe.commands.suggest import did_you_mean

        known = [c.id for c in registry.checks]
        typo = sorted((selection.only | selection.skip) - set(known))
        hint = did_you_mean(typo[0], known, "{}") if typo else ""
        raise InputError(f"{exc}.{hint}" if hint else str(exc)) from None


def run_session(subject: Subject, opts: SessionOptions, *, ui: SessionUI | None = None) -> int:
    """Audit ``subject`` as ``opts`` say; return the exit code (digisafe.core.exitcodes)."""
    try:
        return _run(subject, opts, ui or SessionUI())
    finally:
        subject.close()


def audit_report(subject: Subject, opts: SessionOptions, *, ui: SessionUI | None = None) -> Report:
    """Select, build the context, run and keep identity out: the report, before rendering."""
    ui = ui or SessionUI()
    plan = _plan(opts)
    return _report(subject, opts, plan, ui)


def _report(subject: Subject, opts: SessionOptions, plan: _Plan, ui: SessionUI) -> Report:
    from digisafe.core.runner import run_audit

    registry, chosen = _select(opts, plan.profile, subject)
    known = frozenset(n.strip().lower() for n in (*opts.known, *plan.profile.known) if n.strip())
    ctx = subject.context(plan.profile.options, known, opts.data_dir)
    who = subject.identity()
    progress = None
    if ui.progress is not None and not opts.quiet:
        total, show, counter = len(chosen), ui.progress, iter(range(1, len(chosen) + 1))

        def progress(entry) -> None:  # noqa: ANN001 - a RegisteredCheck
            show(next(counter), total, entry.cls.title)

    report = run_audit(
        registry,
        chosen,
        ctx,
        platform=subject.platform_info(),
        identity=who.to_dict() if opts.include_identity else None,
        progress=progress,
        attachments=opts.attachments,
    )
    if progress is not None and ui.progress_done is not None:
        ui.progress_done()
    from digisafe.monitoring.products import merge_product_findings

    report = merge_product_findings(report)  # one finding per product across the monitoring checks
    if not opts.include_identity:
        from digisafe.core.redact import redact_identity

        report = redact_identity(report, who.hostname, who.user, who.home)
    return report


def _run(subject: Subject, opts: SessionOptions, ui: SessionUI) -> int:
    from digisafe.core.exitcodes import exit_code_for

    plan = _plan(opts)
    report = _report(subject, opts, plan, ui)
    _nothing_checked(report, subject)
    if opts.output is not None or not opts.quiet:
        from digisafe.render import render

        color = ui.color and opts.output is None and plan.fmt == "table"
        ui.emit(render(report, plan.fmt, color=color, width=80 if opts.output is not None else None), opts.output)
    if opts.checklist is not None:
        from digisafe.guidance.checklist import write_checklist

        write_checklist(report, opts.checklist)
        if not opts.quiet:
            ui.status(f"digisafe: wrote the checklist to {opts.checklist}. Keep it somewhere safe.")
    if opts.output is not None and not opts.quiet:
        from digisafe.render import FORMAT_NAMES

        ui.status(f"digisafe: wrote the report to {opts.output} ({FORMAT_NAMES.get(plan.fmt, plan.fmt)}, "
                  "readable by you only).")
    if opts.log is not None:
        from digisafe.records.api import add_report_to_log

        seq = add_report_to_log(opts.log, report)
        if not opts.quiet:
            ui.status(f"Report added to the incident log as #{seq}")
    if opts.output is not None and not opts.quiet:
        from digisafe.render.fit import terminal_width
        from digisafe.render.table import closing

        ui.status("\n".join(closing(report, terminal_width(), saved=True)))  # what was found stays on screen
    return exit_code_for(report, plan.threshold)


def _nothing_checked(report: Report, subject: Subject) -> None:
    """Zero checks ran (--only DS-MAC-010 on Linux, --only X --skip X): say so, exit 2, write nothing."""
    from digisafe.core.model import Status

    if any(r.status is not Status.NOT_APPLICABLE for r in report.results):
        return
    why = "; ".join(f"{r.check_id} {r.reason}" for r in report.results if r.reason)
    raise InputError("nothing was checked: " + (f"{why} (not {subject.info.description})" if why else
                     "no check was selected (see --only, --skip, --category and the profile)"))
