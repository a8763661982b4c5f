"""The Check base class: class-level metadata plus one ``run(ctx)`` method.

A check judges; it never prints, writes files, exits or looks at ``sys.platform``. It declares the
subject kinds it applies to (this laptop by default; a captured listing, a phone...) and the
platforms; the runner never shows it for another subject, and marks it NOT_APPLICABLE on another
platform of its subject. To say it cannot run (no rights, no data)
it raises ``CheckSkipped``; to say it saw only part of the picture it yields a ``Limitation``
alongside its findings. The module docstring of a check is its user documentation
(``digisafe explain ID``), so write it for a caseworker: what it looks at, why it matters, false
positives, what to do.
"""

from __future__ import annotations

import re
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, Iterable, Mapping, Union

from digisafe.core.model import Confidence, Severity
from digisafe.core.options import OptionSpec
from digisafe.core.platforms import LAPTOP_PLATFORMS, Platform
from digisafe.core.subject import SubjectKind

if TYPE_CHECKING:
    from digisafe.core.context import Context
    from digisafe.core.model import Finding, Limitation

CATEGORIES = ("remote-access", "monitoring", "location", "accounts", "photos", "system", "other")
CHECK_ID = re.compile(r"^DS-(?:X-[A-Z0-9]+(?:-[A-Z]+)?|[A-Z]+)-\d{3}$")  # DS-AREA-NNN; plugins DS-X-VENDOR-NNN

# Said on every finding that could tempt someone to remove something.
SAFETY_CAUTION = (
    "Do not remove, uninstall or block anything yet: the other person may notice, which can raise "
    "the risk, and it destroys evidence. Record what you see first (photos of the screen, this "
    "report) and talk to a stalking advocate (ISAC) or the National Stalking Helpline "
    "(0808 802 0300). In an emergency call 999."
)

# NOTE: forward references: the records are loaded on first use (see digisafe.core.model).
Yielded = Union["Finding", "Limitation"]


class CheckSkipped(Exception):
    """Raised by a check that cannot run here; the message is shown as the reason."""


class Check:
    """Subclass, set the metadata, implement ``run``."""

    id: ClassVar[str] = ""
    title: ClassVar[str] = ""
    category: ClassVar[str] = "other"
    subjects: ClassVar[frozenset[SubjectKind]] = frozenset({SubjectKind.LAPTOP})
    platforms: ClassVar[frozenset[Platform]] = LAPTOP_PLATFORMS
    requires: ClassVar[tuple[str, ...]] = ()  # human words, e.g. "administrator rights"
    why: ClassVar[str] = ""  # one sentence: why this matters to someone being stalked
    # The profile options run() reads with ctx.option (see digisafe/core/options.py).
    options: ClassVar[Mapping[str, OptionSpec]] = MappingProxyType({})

    def run(self, ctx: Context) -> Iterable[Yielded]:
        raise NotImplementedError

    # Helpers so checks stay short and every finding carries the check's ID.
    def finding(
        self,
        severity: Severity,
        title: str,
        *,
        subject: str = "",
        detail: str = "",
        confidence: Confidence = Confidence.MEDIUM,
        evidence: dict[str, Any] | None = None,
        advice: str = "",
        guidance: str = "",
    ) -> Finding:
        from digisafe.core.model import Finding

        return Finding(
            check_id=self.id,
            severity=severity,
            confidence=confidence,
            title=title,
            subject=subject,
            detail=detail,
            evidence=evidence or {},
            advice=advice,
            guidance=guidance,
        )

    @staticmethod
    def limitation(message: str) -> Limitation:
        from digisafe.core.model import Limitation

        return Limitation(message)

    @classmethod
    def documentation(cls) -> str:
        import inspect
        import sys

        module = sys.modules.get(cls.__module__)
        doc = inspect.getdoc(module) if module else None
        return (doc or inspect.getdoc(cls) or cls.why or "").strip()


def validate_check_class(obj: object) -> str | None:
    """Return why ``obj`` is not a usable check class, or None if it is."""
    if not (isinstance(obj, type) and issubclass(obj, Check)):
        return f"{obj!r} is not a digisafe Check subclass"
    if not CHECK_ID.match(obj.id or ""):
        return f"{obj.__name__} has an invalid ID {obj.id!r} (expected DS-AREA-NNN, plugins DS-X-VENDOR-NNN)"
    if not obj.title:
        return f"{obj.id} has no title"
    unknown = sorted(str(p) for p in obj.platforms if Platform.parse_optional(p) is None)
    if unknown or not obj.platforms:
        return f"{obj.id} declares unknown platforms {unknown} (choose from {', '.join(p.value for p in Platform)})"
    kinds = sorted(str(k) for k in obj.subjects if k not in set(SubjectKind))
    if kinds or not obj.subjects:
        return f"{obj.id} declares unknown subjects {kinds} (choose from {', '.join(k.value for k in SubjectKind)})"
    if not isinstance(obj.options, Mapping) or not all(isinstance(v, OptionSpec) for v in obj.options.values()):
        return f"{obj.id} declares options that are not a mapping of name to OptionSpec"
    if obj.category not in CATEGORIES:
        return f"{obj.id} has unknown category {obj.category!r} (choose from {', '.join(CATEGORIES)})"
    return None
