"""Files a user names, read and parsed so that hostile input is one clear line (exit 2).

Every file a user hands digisafe (a saved report, a profile, a process listing, a feed) is read
through ``safefile.read_limited``: regular files only (a FIFO would hang, /dev/zero never ends),
and never more than its limit below. Its text is parsed here with a cap on nesting depth.

NOTE: json and tomllib recurse once per nesting level and raise RecursionError about 1,000 levels
down; PyYAML's C loader recurses in C and kills the process (SIGSEGV) on ``[`` x 100,000. So YAML
is first walked through libyaml's event stream (iterative, about a sixth of the load time; aliases
refused, so the result is a tree as deep as its events), and JSON and TOML catch RecursionError
and have their result checked against ``MAX_DEPTH``, so that no renderer later recurses deeply on
what was read. Real files are far shallower (a report about 8 levels, a feed about 5).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Callable

from digisafe.core.errors import InputError

MB = 1024 * 1024
# Limits on what is read, documented in the README ("Limits on input files"). Each is many times
# the largest real file, and keeps memory and time proportional. Listings and feeds have theirs in
# digisafe/listings and digisafe/indicators.
MAX_REPORT_BYTES = 64 * MB  # a real report is well under 1 MB; 64 MB loads in about a second
MAX_PROFILE_BYTES = 1 * MB  # a profile is a few lines
MAX_DEPTH = 64


# NOTE: Python 3.11+ refuses to convert an integer of more than 4,300 digits (a ValueError that
# is not a syntax error); said in words rather than with its advice to call sys.set_int_max_str_digits.
TOO_LONG = "it holds a number too long to read"


class NestingError(ValueError):
    """Data nested deeper than ``MAX_DEPTH``: refused before anything recurses on it."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"nested more than {limit} levels deep")


def exceeds_depth(data: Any, limit: int = MAX_DEPTH) -> bool:
    """True if lists/dicts in ``data`` nest more than ``limit`` levels (iterative: never recurses).

    NOTE: level by level with exact type tests (parsers build plain dicts and lists): three times
    faster than a stack of (node, depth) pairs, 0.2 s on a 60 MB report.
    """
    containers = (dict, list)
    level = [data] if type(data) in containers else []
    for _ in range(limit):
        below: list[Any] = []
        for node in level:
            below += [v for v in (node.values() if type(node) is dict else node) if type(v) in containers]
        if not below:
            return False
        level = below
    return bool(level)


def json_loads(text: str, limit: int = MAX_DEPTH) -> Any:
    """json.loads; ValueError (JSONDecodeError for syntax) or NestingError on hostile input."""
    return _parse_nested(json.loads, json.JSONDecodeError, text, limit)


def _parse_nested(loads: Callable[[str], Any], syntax_error: type[ValueError], text: str, limit: int) -> Any:
    """``loads(text)``: its syntax error as is, any other ValueError as TOO_LONG, deep nesting as NestingError."""
    try:
        data = loads(text)
    except RecursionError:
        raise NestingError(limit) from None
    except syntax_error:
        raise
    except ValueError:
        raise ValueError(TOO_LONG) from None
    if exceeds_depth(data, limit):
        raise NestingError(limit)
    return data


def yaml_loads(text: str, limit: int = MAX_DEPTH) -> Any:
    """A YAML document with the safe loader; yaml.YAMLError, ValueError or NestingError.

    NOTE: anchors and aliases (&a, *a) are refused: no feed uses them, and they build shared or
    cyclic structures ("billion laughs": 40 lines that expand to 2^40 items) that any walk over
    the result, this module's depth check included, would never finish.
    """
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    depth = 0
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > limit:
                    raise NestingError(limit)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent):
                raise ValueError(f"it uses YAML aliases (*{event.anchor}), which digisafe does not accept")
    except yaml.YAMLError as exc:
        # NOTE: PyYAML 6.0.4's libyaml has a nesting limit of its own; its scanner, reading ahead,
        # reaches it before the parser hands us the 65th level.
        if "maximum nesting depth" in str(exc):
            raise NestingError(limit) from None
        raise
    try:
        return yaml.load(text, Loader=loader)  # noqa: S506 - a SafeLoader: no Python objects
    except RecursionError:
        raise NestingError(limit) from None
    except ValueError:
        raise ValueError(TOO_LONG) from None


def _toml():  # noqa: ANN202
    if sys.version_info >= (3, 11):
        import tomllib

        return tomllib
    import tomli

    return tomli


def toml_loads(text: str, limit: int = MAX_DEPTH) -> dict[str, Any]:
    """TOML text -> dict; TOMLDecodeError (a ValueError) or NestingError."""
    toml = _toml()
    return _parse_nested(toml.loads, toml.TOMLDecodeError, text, limit)


def read_report(path: Path) -> Any:
    """The parsed JSON of a saved report (not yet a Report); one InputError on any problem."""
    from digisafe.core.safefile import read_limited

    raw = read_limited(path, MAX_REPORT_BYTES, "report")
    try:
        return json_loads(raw.decode("utf-8-sig"))
    except NestingError as exc:
        raise InputError(f"{path} is not a readable JSON report ({exc})") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path} is not a readable JSON report (not UTF-8 text: {exc.reason})") from None
    except ValueError as exc:
        raise InputError(f"{path} is not a readable JSON report ({exc})") from None
