"""JSON for scripted sessions: ``Report.to_dict()`` as is. Schema: docs/report-schema.md."""

from __future__ import annotations

import json as _json
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from digisafe.core.model import Report

# NOTE: a file name that is not valid UTF-8 (``caf\xe9.jpg``) reaches us as a str with lone
# surrogates (surrogateescape); encoding that to UTF-8 fails. Such a byte is written as the four
# characters \xe9 (so the name stays recognisable), any other lone surrogate as \udXXX.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\\\u{code:04x}"


def dumps(data: Any, **kwargs: Any) -> str:
    """``json.dumps(ensure_ascii=False)`` whose result always encodes to UTF-8."""
    text = _json.dumps(data, ensure_ascii=False, **kwargs)
    return _SURROGATE.sub(_escape, text) if _SURROGATE.search(text) else text


def render(report: Report) -> str:
    return dumps(report.to_dict(), indent=2) + "\n"
