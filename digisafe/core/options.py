"""Per-check options a profile may set, declared by each check and checked when a profile loads.

A check that reads ``ctx.option(self.id, NAME)`` declares NAME in its ``options`` mapping::

    options = {
        "folders": OptionSpec("texts", "folders to look in, e.g. [\"~/Pictures\"]"),
        "max_files": OptionSpec("integer", "stop after this many files", minimum=1),
    }

A profile value of the wrong kind (``folders = 5``) or an option a check does not declare is then
one clear error naming the profile file and the line (exit 2), never a TypeError mid-audit. A
plugin check that declares no options gets whatever its profile table holds, unchecked, as before.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

KINDS = {
    "text": "a text in quotes",
    "texts": 'a list of texts, e.g. ["a", "b"]',
    "integer": "a whole number",
    "number": "a number",
    "flag": "true or false",
}


@dataclass(frozen=True)
class OptionSpec:
    """One option: its kind (one of ``KINDS``), a line of help, and an optional lowest value."""

    kind: str
    help: str = ""
    minimum: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown option kind {self.kind!r} (choose from {', '.join(KINDS)})")

    def problem(self, value: Any) -> str | None:
        """Why ``value`` does not fit this option, or None if it does."""
        if not self._has_kind(value):
            return f"must be {KINDS[self.kind]}, not {_shown(value)}"
        if isinstance(value, float) and not math.isfinite(value):  # TOML allows nan and inf
            return f"must be a finite number, not {value}"
        if self.minimum is not None and self.kind in ("integer", "number") and value < self.minimum:
            return f"must be at least {self.minimum:g}, not {value}"
        return None

    def _has_kind(self, value: Any) -> bool:
        if isinstance(value, bool):
            return self.kind == "flag"
        if self.kind == "text":
            return isinstance(value, str)
        if self.kind == "texts":  # one text is taken as a list of one
            return isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))
        if self.kind == "integer":
            return isinstance(value, int)
        if self.kind == "number":
            return isinstance(value, (int, float))
        return False


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return "a text"
    if isinstance(value, list):
        return "a list holding something other than texts"
    if isinstance(value, dict):
        return "a table"
    return f"a {type(value).__name__}"
