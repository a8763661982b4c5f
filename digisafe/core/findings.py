"""The report records: what a check found (``Finding``), what it could not see (``Limitation``), how
each check ended (``CheckResult``) and the whole audit (``Report``). Import them from
``digisafe.core.model``; this module holds them so that importing the model stays cheap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping

from digisafe.core import notices
from digisafe.core.model import (
    _OLD_NOT_HERE,
    READABLE_MAJORS,
    SCHEMA_VERSION,
    Confidence,
    ReportFormatError,
    Severity,
    Status,
    _json_safe,
)

if TYPE_CHECKING:
    from digisafe.core.subject_info import SubjectInfo


@dataclass(frozen=True)
class Finding:
    """One thing a check found. Plain words in ``title``/``advice``; precise ``evidence``."""

    check_id: str
    severity: Severity
    title: str
    subject: str = ""
    detail: str = ""
    confidence: Confidence = Confidence.MEDIUM
    evidence: Mapping[str, Any] = field(default_factory=dict)
    advice: str = ""
    guidance: str = ""  # a topic or item key in the guidance content

    def __post_init__(self) -> None:
        object.__setattr__(self, "evidence", _json_safe(dict(self.evidence)))

    def __hash__(self) -> int:
        return hash((self.check_id, self.severity, self.title, self.subject, self.detail))

    def to_dict(self) -> dict[str, Any]:
        return {
            "check_id": self.check_id,
            "severity": self.severity.value,
            "confidence": self.confidence.value,
            "title": self.title,
            "subject": self.subject,
            "detail": self.detail,
            "evidence": dict(self.evidence),
            "advice": self.advice,
            "guidance": self.guidance,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        return cls(
            check_id=str(data["check_id"]),
            severity=Severity.parse(str(data["severity"])),
            confidence=Confidence.parse(str(data.get("confidence", "medium"))),
            title=str(data["title"]),
            subject=str(data.get("subject", "")),
            detail=str(data.get("detail", "")),
            evidence=dict(data.get("evidence") or {}),
            advice=str(data.get("advice", "")),
            guidance=str(data.get("guidance", "")),
        )


@dataclass(frozen=True)
class Limitation:
    """Something a check could not see (e.g. other users' sockets). Shown; never silent."""

    message: str


@dataclass(frozen=True)
class CheckResult:
    check_id: str
    title: str
    category: str
    status: Status
    findings: tuple[Finding, ...] = ()
    reason: str = ""  # why SKIPPED, or the ERROR message
    limitations: tuple[str, ...] = ()  # partial coverage, even when the status is PASS
    duration_s: float = 0.0
    origin: str = "built-in"  # or "plugin NAME VERSION"

    def to_dict(self) -> dict[str, Any]:
        return {
            "check_id": self.check_id,
            "title": self.title,
            "category": self.category,
            "status": self.status.value,
            "reason": self.reason,
            "limitations": list(self.limitations),
            "duration_s": round(self.duration_s, 4),
            "origin": self.origin,
            "findings": [f.to_dict() for f in self.findings],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CheckResult:
        status, reason = Status(str(data["status"])), str(data.get("reason", ""))
        if status is Status.SKIPPED and reason.startswith(_OLD_NOT_HERE):
            # 1.x: "not on this platform (runs on macOS)" -> NOT_APPLICABLE, "runs on macOS"
            status, reason = Status.NOT_APPLICABLE, reason[len(_OLD_NOT_HERE) :].strip(" ()") or reason
        return cls(
            check_id=str(data["check_id"]),
            title=str(data.get("title", "")),
            category=str(data.get("category", "")),
            status=status,
            findings=tuple(Finding.from_dict(f) for f in data.get("findings") or ()),
            reason=reason,
            limitations=tuple(str(x) for x in data.get("limitations") or ()),
            duration_s=float(data.get("duration_s", 0.0)),
            origin=str(data.get("origin", "built-in")),
        )


@dataclass(frozen=True)
class Report:
    tool_version: str
    started_at: str  # ISO 8601, UTC
    finished_at: str
    platform: Mapping[str, str]  # system, release, machine, python
    results: tuple[CheckResult, ...]
    sources: Mapping[str, Any] = field(default_factory=dict)  # e.g. indicator database version
    identity: Mapping[str, str] | None = None  # hostname/user only with --include-identity
    schema_version: str = SCHEMA_VERSION
    subject: SubjectInfo | None = None  # what was audited; None (1.x reports) is read as this laptop
    # Data a command keeps with the report so it can be read back, e.g. {"process_listing": {...}}
    # for `digisafe processes --from`. Renderers ignore it.
    attachments: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.subject is None:
            from digisafe.core.subject_info import SubjectInfo

            object.__setattr__(self, "subject", SubjectInfo.laptop(self.platform.get("system")))

    @property
    def findings(self) -> list[Finding]:
        return [f for r in self.results for f in r.findings]

    def results_with(self, status: Status) -> list[CheckResult]:
        return [r for r in self.results if r.status is status]

    def highest_severity(self) -> Severity | None:
        return max((f.severity for f in self.findings), default=None)

    def count_by_severity(self) -> dict[Severity, int]:
        counts = {s: 0 for s in Severity}
        for f in self.findings:
            counts[f.severity] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        caution = notices.json_standing_words(bool(self.findings), len(self.results_with(Status.SKIPPED)),
                                              len(self.results_with(Status.ERROR)))
        data: dict[str, Any] = {
            "schema_version": self.schema_version,
            "tool": {"name": "digisafe", "version": self.tool_version},
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "subject": self.subject.to_dict() if self.subject is not None else None,
            "platform": dict(self.platform),
            "sources": _json_safe(dict(self.sources)),
            "summary": {
                "checks": len(self.results),
                **{s.value: len(self.results_with(s)) for s in Status},
                "by_severity": {s.value: n for s, n in self.count_by_severity().items()},
            },
            "results": [r.to_dict() for r in self.results],
            "notices": [notices.about(caution, self.subject.kind if self.subject else "laptop"),
                        notices.READ_ONLY, notices.HELP_LINE],
        }
        if self.identity is not None:
            data["identity"] = dict(self.identity)
        if self.attachments:
            data["attachments"] = _json_safe(dict(self.attachments))
        return data

    @classmethod
    def from_dict(cls, data: Any) -> Report:
        """Read a report back; any shape problem becomes one ``ReportFormatError``."""
        if not isinstance(data, Mapping) or "schema_version" not in data:
            raise ReportFormatError("not a digisafe report (no schema_version)")
        version = str(data["schema_version"])
        if version.split(".")[0] not in READABLE_MAJORS:
            raise ReportFormatError(f"report schema {version} is not supported (this is {SCHEMA_VERSION})")
        from digisafe.core.subject_info import SubjectInfo

        try:
            subject = SubjectInfo.from_dict(data["subject"]) if data.get("subject") is not None else None
            attachments = data.get("attachments") or {}
            if not isinstance(attachments, Mapping):
                raise TypeError("'attachments' is not an object")
            return cls(
                schema_version=version,
                tool_version=str(data["tool"]["version"]),
                started_at=str(data["started_at"]),
                finished_at=str(data["finished_at"]),
                platform={str(k): str(v) for k, v in dict(data.get("platform") or {}).items()},
                results=tuple(CheckResult.from_dict(r) for r in data["results"]),
                sources=dict(data.get("sources") or {}),
                identity=dict(data["identity"]) if data.get("identity") else None,
                subject=subject,
                attachments=dict(attachments),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ReportFormatError(f"report is damaged or incomplete ({type(exc).__name__}: {exc})") from None
