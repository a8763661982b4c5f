"""The report model: what a check found, how each check ended, and the whole audit.

Everything here is frozen and JSON-safe. ``Report.to_dict`` is the one serialisation path: the
JSON renderer, the tests and ``digisafe report`` (through ``Report.from_dict``) all use it.
The schema is documented in docs/report-schema.md; bump ``SCHEMA_VERSION`` on any change.

NOTE: ``Finding``, ``Limitation``, ``CheckResult`` and ``Report`` are defined in
``digisafe.core.findings`` and loaded from here on first use: every check module imports this
module for ``Severity``, and `digisafe checks` (which imports them all) must not pay for four
dataclass definitions it never uses (about a millisecond each).
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any, Iterable, Mapping

if TYPE_CHECKING:
    from digisafe.core.findings import CheckResult, Finding, Limitation, Report

__all__ = [
    "SCHEMA_VERSION", "CheckResult", "Confidence", "Finding", "Limitation", "Report", "ReportFormatError",
    "Severity", "Status", "sort_findings",
]  # fmt: skip

SCHEMA_VERSION = "2.0"
READABLE_MAJORS = ("1", "2")  # 1.x reports (no subject, platform skips as "skipped") still read back
_OLD_NOT_HERE = "not on this platform"  # how 1.x reports wrote a check for another operating system


class ReportFormatError(ValueError):
    """A saved report could not be read back (wrong shape, wrong version)."""


class _Ordered(enum.Enum):
    """An enum whose members compare by declaration order and print as their lower-case name."""

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, type(self)):
            return NotImplemented
        members = list(type(self))
        return members.index(self) < members.index(other)

    def __le__(self, other: object) -> bool:
        return self == other or self < other  # type: ignore[operator]

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, type(self)):
            return NotImplemented
        return other < self

    def __ge__(self, other: object) -> bool:
        return self == other or self > other  # type: ignore[operator]

    def __str__(self) -> str:
        return self.value

    @classmethod
    def parse(cls, text: str):  # noqa: ANN206 - returns the subclass
        try:
            return cls(text.strip().lower())
        except ValueError:
            names = ", ".join(m.value for m in cls)
            raise ValueError(f"unknown {cls.__name__.lower()} {text!r} (choose from {names})") from None


class Severity(_Ordered):
    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class Confidence(_Ordered):
    """How sure the check is: a bare name match is weaker than name + path + autostart."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Status(enum.Enum):
    PASS = "pass"  # the check ran fully and found nothing (which still does not prove safety)
    FINDINGS = "findings"
    SKIPPED = "skipped"  # could not run here (no rights, no data); ``reason`` says why
    NOT_APPLICABLE = "not_applicable"  # for another platform of the same subject; ``reason`` says which
    ERROR = "error"  # the check failed; ``reason`` holds the message

    def __str__(self) -> str:
        return self.value


def _json_safe(value: Any) -> Any:
    """Freeze evidence into plain JSON types so a Finding can be hashed, compared and dumped."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, Mapping):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_json_safe(v) for v in value]
    return str(value)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Most severe first, then most confident, then by check and subject: a stable reading order."""
    return sorted(
        findings,
        key=lambda f: (
            -list(Severity).index(f.severity),
            -list(Confidence).index(f.confidence),
            f.check_id,
            f.subject,
            f.title,
        ),
    )


def __getattr__(name: str) -> Any:
    if name in ("CheckResult", "Finding", "Limitation", "Report"):
        from digisafe.core import findings

        return getattr(findings, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
