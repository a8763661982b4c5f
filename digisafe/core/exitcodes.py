"""Exit codes, documented in the README. Decided in one place: ``exit_code_for``."""

from __future__ import annotations

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 3 ms of a photo scan's start-up)

if TYPE_CHECKING:  # the CLI imports this module at start-up: keep it free of the model
    from digisafe.core.model import Report, Severity

OK = 0  # nothing at or above --fail-on
FINDINGS = 1  # findings at or above --fail-on (or, for photos strip, files not cleaned)
USAGE = 2  # usage or input error
INTERNAL = 3  # digisafe itself failed
INCOMPLETE = 4  # a check errored and nothing else failed: a partial scan never looks clean
INTERRUPTED = 130


def exit_code_for(report: Report, fail_on: Severity | None) -> int:
    """``fail_on`` None means 'never fail on findings'."""
    from digisafe.core.model import Status

    if fail_on is not None and any(f.severity >= fail_on for f in report.findings):
        return FINDINGS
    if report.results_with(Status.ERROR):
        return INCOMPLETE
    return OK
