"""Select checks, run each inside an error firewall, and build the Report."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Mapping, Sequence

from digisafe._version import __version__
from digisafe.core.check import CheckSkipped
from digisafe.core.context import Context
from digisafe.core.model import CheckResult, Finding, Limitation, Report, Status
from digisafe.core.platforms import Platform, labels
from digisafe.core.registry import RegisteredCheck, Registry
from digisafe.core.subject import SubjectKind


class SelectionError(ValueError):
    """--only/--skip/--category named something that does not exist."""


@dataclass(frozen=True)
class Selection:
    only: frozenset[str] = frozenset()
    skip: frozenset[str] = frozenset()
    categories: frozenset[str] = frozenset()


def _utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def applies_to(entry: RegisteredCheck, kind: SubjectKind) -> bool:
    """True when the check looks at this kind of subject (checks for other subjects are invisible)."""
    return kind in {SubjectKind(str(k)) for k in entry.cls.subjects}


def select(
    registry: Registry, selection: Selection, subject_kind: SubjectKind = SubjectKind.LAPTOP
) -> list[RegisteredCheck]:
    """The checks to run on one kind of subject, in registry order. Checks for other subjects are
    never selected (nor reported as skipped); naming one with --only is an error that says so."""
    known = {c.id for c in registry.checks}
    unknown = sorted((set(selection.only) | set(selection.skip)) - known)
    if unknown:
        raise SelectionError(f"unknown check ID {', '.join(unknown)} (see 'digisafe checks')")
    mine = [c for c in registry.checks if applies_to(c, subject_kind)]
    elsewhere = sorted(set(selection.only) - {c.id for c in mine})
    if elsewhere:
        named = ", ".join(elsewhere)
        raise SelectionError(f"check {named} does not look at {subject_kind.label} (see 'digisafe checks')")
    categories = {c.cls.category for c in mine}
    bad = sorted(set(selection.categories) - categories)
    if bad:
        raise SelectionError(f"unknown category {', '.join(bad)} (choose from {', '.join(sorted(categories))})")
    chosen = []
    for entry in mine:
        if selection.only and entry.id not in selection.only:
            continue
        if entry.id in selection.skip:
            continue
        if selection.categories and entry.cls.category not in selection.categories:
            continue
        chosen.append(entry)
    return chosen


def run_check(entry: RegisteredCheck, ctx: Context) -> CheckResult:
    """Run one check; whatever it does, return a CheckResult (the firewall)."""
    cls = entry.cls

    def result(
        status: Status,
        findings: Sequence[Finding] = (),
        reason: str = "",
        limitations: Sequence[str] = (),
        started: float = 0.0,
    ) -> CheckResult:
        return CheckResult(
            cls.id,
            cls.title,
            cls.category,
            status,
            tuple(findings),
            reason,
            tuple(limitations),
            time.perf_counter() - started if started else 0.0,
            entry.origin,
        )

    if ctx.platform not in {Platform.parse(p) for p in cls.platforms}:  # plugins may still say "darwin"
        return result(Status.NOT_APPLICABLE, reason=f"runs on {labels(cls.platforms)}")
    started = time.perf_counter()
    findings: list[Finding] = []
    limitations: list[str] = []
    try:
        for item in cls().run(ctx) or ():
            if isinstance(item, Limitation):
                limitations.append(item.message)
            elif isinstance(item, Finding):
                findings.append(item)
            else:
                raise TypeError(f"run() yielded {type(item).__name__}, not a Finding or Limitation")
    except CheckSkipped as skip:
        return result(Status.SKIPPED, reason=str(skip) or "skipped", limitations=limitations, started=started)
    except Exception as exc:  # noqa: BLE001 - the firewall: one broken check never stops the audit
        return result(Status.ERROR, findings, f"{type(exc).__name__}: {exc}", limitations, started)
    status = Status.FINDINGS if findings else Status.PASS
    return result(status, findings, limitations=limitations, started=started)


def run_audit(
    registry: Registry,
    checks: Iterable[RegisteredCheck],
    ctx: Context,
    *,
    platform: dict[str, str],
    identity: dict[str, str] | None = None,
    progress: Callable[[RegisteredCheck], None] | None = None,
    attachments: Callable[[Context], Mapping[str, Any]] | None = None,
) -> Report:
    """Run the chosen checks on ``ctx``'s subject; ``attachments`` picks data to keep with the report
    once the checks ran (so it shares what they collected through ``ctx.cached``)."""
    started = _utc_now()
    results = []
    for entry in checks:
        if progress is not None:
            progress(entry)
        results.append(run_check(entry, ctx))
    for broken in registry.broken:
        results.append(
            CheckResult(
                broken.id, "plugin could not be used", "other", Status.ERROR, reason=broken.error, origin=broken.origin
            )
        )
    return Report(
        tool_version=__version__,
        started_at=started,
        finished_at=_utc_now(),
        platform=platform,
        results=tuple(results),
        sources=dict(ctx.sources),
        identity=identity,
        subject=ctx.subject,
        attachments=dict(attachments(ctx)) if attachments is not None else {},
    )
