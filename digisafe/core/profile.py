"""Profiles: a TOML file that fixes an audit's selection, threshold and per-check options.

    fail_on = "high"                  # or "never"
    only = ["DS-NET-010"]             # check IDs
    skip = ["DS-PHOTO-010"]
    categories = ["remote-access"]
    known = ["TeamViewer"]            # tools known and consented: reported as information only
    format = "json"

    [checks."DS-PHOTO-010"]           # options for one check
    folders = ["~/Pictures", "~/Desktop"]

Every error names the file and, where it can, the line.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from digisafe.core.errors import InputError

_LIST_KEYS = ("only", "skip", "categories", "known")
_KNOWN_KEYS = {*_LIST_KEYS, "fail_on", "format", "checks"}


@dataclass(frozen=True)
class Profile:
    only: tuple[str, ...] = ()
    skip: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    known: tuple[str, ...] = ()
    fail_on: str | None = None
    format: str | None = None
    options: dict[str, dict[str, Any]] = field(default_factory=dict)


def _toml():  # noqa: ANN202
    if sys.version_info >= (3, 11):
        import tomllib

        return tomllib
    import tomli

    return tomli


def _line_of(text: str, key: str) -> str:
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith((key, f'"{key}"', f'[checks."{key}"', f"[checks.{key}")):
            return f", line {number}"
    return ""


def load_profile(path: Path) -> Profile:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read profile {path}: {getattr(exc, 'strerror', None) or exc}") from None
    toml = _toml()
    try:
        data = toml.loads(text)
    except toml.TOMLDecodeError as exc:
        message = str(exc).replace("at end of document", f"at the end of the file, line {text.count(chr(10)) + 1}")
        raise InputError(f"profile {path} is not valid TOML: {message}") from None

    def bad(key: str, message: str) -> InputError:
        return InputError(f"profile {path}{_line_of(text, key)}: {message}")

    unknown = sorted(set(data) - _KNOWN_KEYS)
    if unknown:
        raise bad(unknown[0], f"unknown setting {unknown[0]!r} (known: {', '.join(sorted(_KNOWN_KEYS))})")
    lists: dict[str, tuple[str, ...]] = {}
    for key in _LIST_KEYS:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise bad(key, f"{key!r} must be a list of strings")
        lists[key] = tuple(value)
    for key in ("fail_on", "format"):
        if key in data and not isinstance(data[key], str):
            raise bad(key, f"{key!r} must be a string")
    checks = data.get("checks", {})
    if not isinstance(checks, dict) or not all(isinstance(v, dict) for v in checks.values()):
        raise bad("checks", '[checks] must hold one table per check ID, e.g. [checks."DS-PHOTO-010"]')
    options = {str(k).upper(): dict(v) for k, v in checks.items()}
    return Profile(
        only=tuple(v.upper() for v in lists["only"]),
        skip=tuple(v.upper() for v in lists["skip"]),
        categories=lists["categories"],
        known=lists["known"],
        fail_on=data.get("fail_on"),
        format=data.get("format"),
        options=options,
    )
