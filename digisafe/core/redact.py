"""Keep the person's identity out of reports unless they ask for it (``--include-identity``).

Evidence is full of paths such as /home/alice/... or C:\\Users\\alice\\..., process owners and
the computer's name (a captured listing carries the names of the computer it came from). A report
saved to a USB stick or printed can be found, so by default the subject's home folder becomes
``~``, the user name ``<user>`` and the computer's name ``<computer>``, in the findings, the
subject, the sources and the attachments. Other accounts' names stay: they may be the finding.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, Callable

from digisafe.core.model import CheckResult, Finding, Report
from digisafe.core.visible import visible


def _replacer(hostname: str, user: str, home: str) -> Callable[[str], str]:
    rules: list[tuple[re.Pattern[str], str]] = []
    if len(home) > 1:
        # NOTE: Windows paths may appear with either slash and any case (C:\Users\Alice, c:/users/alice).
        pattern = r"[\\/]".join(re.escape(part) for part in re.split(r"[\\/]", home.rstrip("\\/")))
        rules.append((re.compile(pattern + r"(?=$|[\\/])", re.IGNORECASE), "~"))
    if len(user) >= 3:  # shorter names would match ordinary words
        rules.append((re.compile(rf"(?<![\w.-]){re.escape(user)}(?![\w-])", re.IGNORECASE), "<user>"))
    short_host = hostname.split(".")[0]
    for name in sorted({hostname, short_host}, key=len, reverse=True):
        if len(name) >= 3:
            rules.append((re.compile(rf"(?<![\w.-]){re.escape(name)}(?![\w-])", re.IGNORECASE), "<computer>"))

    def replace(text: str) -> str:
        for pattern, token in rules:
            text = pattern.sub(token, text)
        return text

    return replace


def _deep(value: Any, replace: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return replace(value)
    if isinstance(value, dict):
        return {k: _deep(v, replace) for k, v in value.items()}
    if isinstance(value, list):
        return [_deep(v, replace) for v in value]
    return value


def redact_identity(report: Report, hostname: str, user: str, home: str) -> Report:
    replace = _replacer(hostname, user, home)

    def finding(f: Finding) -> Finding:
        return dataclasses.replace(
            f,
            title=replace(f.title),
            subject=replace(f.subject),
            detail=replace(f.detail),
            advice=replace(f.advice),
            evidence=_deep(dict(f.evidence), replace),
        )

    def result(r: CheckResult) -> CheckResult:
        return dataclasses.replace(
            r,
            findings=tuple(finding(f) for f in r.findings),
            reason=replace(r.reason),
            limitations=tuple(replace(x) for x in r.limitations),
        )

    subject = report.subject
    if subject is not None:
        subject = dataclasses.replace(
            subject,
            description=replace(subject.description),
            source=_deep(dict(subject.source), replace) if subject.source is not None else None,
        )
    return dataclasses.replace(
        report,
        results=tuple(result(r) for r in report.results),
        subject=subject,
        sources=_deep(dict(report.sources), replace),
        attachments=_deep(dict(report.attachments), replace),
    )


def _shown(value: Any) -> Any:
    """``value`` with controls made visible; the very same object when it holds none (fast)."""
    if type(value) is str:  # NOTE: not enums such as Platform, which subclass str
        return visible(value)
    if isinstance(value, (int, float, bool)) or value is None:
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for item in dataclasses.fields(value):
            if item.init:
                old = getattr(value, item.name)
                new = _shown(old)
                if new is not old:
                    changes[item.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    if isinstance(value, dict) or (hasattr(value, "items") and hasattr(value, "keys")):
        pairs = [(k, v, _shown(k), _shown(v)) for k, v in value.items()]
        if all(k2 is k and v2 is v for k, v, k2, v2 in pairs):
            return value
        return {k2: v2 for _k, _v, k2, v2 in pairs}
    if isinstance(value, (list, tuple)):
        items = [_shown(v) for v in value]
        return value if all(a is b for a, b in zip(items, value)) else type(value)(items)
    return value


def without_controls(report: Report) -> Report:
    """The report with terminal escapes, other control characters and bidi overrides shown as
    visible codes (``\\x1b``, ``<U+202E>``), for every format a person reads.

    NOTE: a process name, file name or a saved report from someone else can carry ESC sequences
    that clear the screen, move the cursor up over a finding or hide text, or a right-to-left
    override that shows "gpj.exe" as "exe.jpg". JSON escapes them itself and keeps the evidence.
    """
    return _shown(report)
