"""``SubjectInfo`` (what the report records about its subject), ``Identity`` (the names kept out of a
report) and the ``Subject`` base class. Import them from ``digisafe.core.subject``."""

from __future__ import annotations

import abc
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping

from digisafe.core.platforms import Platform
from digisafe.core.subject import SubjectKind

if TYPE_CHECKING:
    from pathlib import Path

    from digisafe.core.context import Context


@dataclass(frozen=True)
class SubjectInfo:
    """What was audited, as the report records it."""

    kind: SubjectKind
    platform: Platform | None
    description: str  # "this laptop", "process list from tasklist.csv, captured 2026-12-01 14:02"
    captured_at: str | None = None  # ISO 8601 UTC, for captures
    source: Mapping[str, Any] | None = None  # e.g. {"file": ..., "format": ..., "sha256": ...}

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": self.kind.value,
            "platform": self.platform.value if self.platform is not None else None,
            "description": self.description,
            "captured_at": self.captured_at,
        }
        if self.source is not None:
            data["source"] = dict(self.source)
        return data

    @classmethod
    def from_dict(cls, data: Any) -> SubjectInfo:
        """Read back a report's subject; ValueError on a shape that is not one."""
        if not isinstance(data, Mapping):
            raise ValueError("'subject' is not an object")
        kind = SubjectKind(str(data.get("kind")))
        raw_platform = data.get("platform")
        platform = None if raw_platform is None else Platform.parse(str(raw_platform))
        captured = data.get("captured_at")
        source = data.get("source")
        return cls(
            kind=kind,
            platform=platform,
            description=str(data.get("description") or kind.label),
            captured_at=str(captured) if captured is not None else None,
            source=dict(source) if isinstance(source, Mapping) else None,
        )

    @classmethod
    def laptop(cls, platform: Platform | str | None) -> SubjectInfo:
        """The live laptop; also what a 1.x report (which had no subject) was about."""
        chosen = Platform.parse_optional(platform) if platform is not None else None
        return cls(SubjectKind.LAPTOP, chosen, "this laptop")


@dataclass(frozen=True)
class Identity:
    """Names to keep out of a report unless ``--include-identity`` (see digisafe.core.redact)."""

    hostname: str = ""
    user: str = ""
    home: str = ""

    def to_dict(self) -> dict[str, str]:
        return {"hostname": self.hostname, "user": self.user}


class Subject(abc.ABC):
    """What one audit looks at; builds the Context (and its providers) for its checks."""

    info: SubjectInfo

    @abc.abstractmethod
    def context(
        self,
        options: Mapping[str, Mapping[str, Any]],
        known_tools: frozenset[str],
        data_dir: Path | None,
    ) -> Context:
        """The Context for this subject's checks; may raise InputError (unreadable capture, no phone)."""

    def platform_info(self) -> dict[str, str]:
        """The report's ``platform`` block (system, release, machine, python)."""
        platform = self.info.platform.value if self.info.platform is not None else ""
        return {"system": platform, "release": "", "machine": "", "python": ""}

    def identity(self) -> Identity:
        """The person's and the computer's names as they appear in this subject's data."""
        return Identity()

    def close(self) -> None:  # noqa: B027 - most subjects hold nothing to release
        """Release transports (a phone's connection). The default holds nothing."""
