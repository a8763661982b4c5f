"""Profiles: a TOML file that fixes an audit's selection, threshold and per-check options.

    fail_on = "high"                  # or "never"
    only = ["DS-NET-010"]             # check IDs
    skip = ["DS-PHOTO-010"]
    categories = ["remote-access"]
    known = ["TeamViewer"]            # tools known and consented: reported as information only
    format = "json"

    [checks."DS-PHOTO-010"]           # options for one check (each check declares its options)
    folders = ["~/Pictures", "~/Desktop"]

Every error names the file and, where it can, the line. ``load_profile`` checks what needs no
registry (syntax, kinds, ``fail_on``); ``validate_profile`` checks the rest against the installed
checks: check IDs, categories, the format, and each option against the check's declared options.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from digisafe.core.errors import InputError

if TYPE_CHECKING:
    from digisafe.core.registry import Registry

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
    path: Path | None = field(default=None, compare=False)
    text: str = field(default="", repr=False, compare=False)  # the TOML, to name lines in later errors

    def error(self, message: str, key: str | None, table: str | None = None) -> InputError:
        """'profile FILE, line N: message' (the line of ``key``, in [checks."table"] if given)."""
        number = line_of(self.text, key, table) if key or table else None
        return InputError(f"profile {self.path}{f', line {number}' if number else ''}: {message}")


def _header_matches(line: str, table: str) -> bool:
    """Is ``line`` the header [checks."TABLE"] (or [checks.TABLE]), whatever the case of the ID?"""
    match = re.match(r"^\[\s*checks\s*\.\s*(\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+)\s*\]", line)
    return match is not None and match.group(1).strip("\"'").upper() == table.upper()


def line_of(text: str, key: str | None, table: str | None = None) -> int | None:
    """The line where ``key`` is set: at the top (before any table) or inside [checks."table"]
    (``key`` None: the line of that table's header)."""
    lines = text.splitlines()
    start = 0
    if table is not None:
        start = next((i + 1 for i, line in enumerate(lines) if _header_matches(line.strip(), table)), -1)
        if start < 0:  # a dotted key or an inline table: the first line naming both
            return next((i + 1 for i, line in enumerate(lines)
                         if table.upper() in line.upper() and (key or "") in line), None)
    if key is None:
        return start if table is not None else None
    pattern = re.compile(rf"^(?:{re.escape(key)}|\"{re.escape(key)}\"|'{re.escape(key)}')\s*[=.]")
    for number in range(start, len(lines)):
        stripped = lines[number].strip()
        if stripped.startswith("["):
            if table is None and stripped.strip("[] ").split(".")[0].strip("\"' ") == key:
                return number + 1  # a table where a setting was expected, e.g. [only]
            break
        if pattern.match(stripped):
            return number + 1
    return None


def load_profile(path: Path) -> Profile:
    """Read and check a profile's shape; one InputError naming the file and line otherwise."""
    from digisafe.core.safefile import read_limited
    from digisafe.core.userfiles import MAX_PROFILE_BYTES, NestingError, toml_loads

    raw = read_limited(path, MAX_PROFILE_BYTES, "profile")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"cannot read profile {path}: not UTF-8 text (byte {exc.start})") from None
    try:
        data = toml_loads(text)
    except NestingError as exc:
        raise InputError(f"profile {path} is not a usable profile: {exc}") from None
    except ValueError as exc:  # TOMLDecodeError, or e.g. an integer too long to convert
        message = str(exc).replace("at end of document", f"at the end of the file, line {text.count(chr(10)) + 1}")
        raise InputError(f"profile {path} is not valid TOML: {message}") from None
    blank = Profile(path=Path(path), text=text)
    unknown = sorted(set(data) - _KNOWN_KEYS)
    if unknown:
        raise blank.error(f"unknown setting {unknown[0]!r} (known: {', '.join(sorted(_KNOWN_KEYS))})", unknown[0])
    lists: dict[str, tuple[str, ...]] = {}
    for key in _LIST_KEYS:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise blank.error(f"{key!r} must be a list of strings", key)
        lists[key] = tuple(value)
    for key in ("fail_on", "format"):
        if key in data and not isinstance(data[key], str):
            raise blank.error(f"{key!r} must be a string", key)
    _check_fail_on(blank, data.get("fail_on"))
    checks = data.get("checks", {})
    if not isinstance(checks, dict) or not all(isinstance(v, dict) for v in checks.values()):
        raise blank.error('[checks] must hold one table per check ID, e.g. [checks."DS-PHOTO-010"]', "checks")
    return Profile(
        only=tuple(v.upper() for v in lists["only"]),
        skip=tuple(v.upper() for v in lists["skip"]),
        categories=lists["categories"],
        known=lists["known"],
        fail_on=data.get("fail_on"),
        format=data.get("format"),
        options={str(k).upper(): dict(v) for k, v in checks.items()},
        path=Path(path),
        text=text,
    )


def _check_fail_on(profile: Profile, value: str | None) -> None:
    from digisafe.core.model import Severity

    if value is None or value.strip().lower() == "never":
        return
    try:
        Severity.parse(value)
    except ValueError as exc:
        raise profile.error(f"fail_on: {exc} or 'never'", "fail_on") from None


def _suggest(wrong: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(wrong, list(choices), n=1, cutoff=0.75)
    return f"; did you mean {close[0]}?" if close else ""


def validate_profile(profile: Profile, registry: Registry) -> None:
    """Check the profile against the installed checks; InputError naming the file and line."""
    from digisafe.core.check import CATEGORIES

    if profile.path is None:
        return  # the empty default profile
    ids = [c.id for c in registry.checks]
    for key in ("only", "skip"):
        for check_id in getattr(profile, key):
            if registry.get(check_id) is None:
                hint = _suggest(check_id, ids)
                raise profile.error(f"{key}: unknown check ID {check_id} (see 'digisafe checks'){hint}", key)
    for name in profile.categories:
        if name.strip().lower() not in CATEGORIES:
            raise profile.error(f"categories: unknown category {name!r} (choose from {', '.join(CATEGORIES)})",
                                "categories")
    if profile.format is not None:
        from digisafe.render import report_formats

        if profile.format not in report_formats():
            raise profile.error(f"format {profile.format!r} is not one of {', '.join(report_formats())}", "format")
    for check_id, values in profile.options.items():
        _validate_options(profile, registry, check_id, values, ids)


def _validate_options(profile: Profile, registry: Registry, check_id: str, values: dict[str, Any],
                      ids: list[str]) -> None:
    entry = registry.get(check_id)
    if entry is None:
        raise profile.error(f"options for unknown check {check_id} (see 'digisafe checks'){_suggest(check_id, ids)}",
                            None, check_id)
    declared = entry.cls.options
    if not declared and entry.origin != "built-in":
        return  # NOTE: a plugin check that declares no options reads its table unchecked, as before
    for name, value in values.items():
        spec = declared.get(name)
        if spec is None:
            known = f"its options: {', '.join(sorted(declared))}" if declared else "it takes no options"
            hint = _suggest(name, declared)
            raise profile.error(f"{check_id} has no option {name!r} ({known}){hint}", name, check_id)
        problem = spec.problem(value)
        if problem:
            raise profile.error(f"{check_id} option {name} {problem}", name, check_id)
