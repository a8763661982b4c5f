"""JSON for scripted sessions: ``Report.to_dict()`` as is. Schema: docs/report-schema.md."""

from __future__ import annotations

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 3 ms of a photo scan's start-up)
if TYPE_CHECKING:
    import re
    from typing import Any, Callable

    from digisafe.core.model import Report

# NOTE: `import json` costs ~2 ms of a fresh process (json.decoder and json.encoder compile six
# regular expressions), a third of a `photos scan --format json` of 48 photos; and with ``indent``
# json.dumps uses its pure-Python encoder (~1.3 ms for those 48 records). The C encoder (_json, which
# json.dumps uses when there is no indent) writes each container without containers inside it, at
# the indentation of its level (its item separator is ",\n" + that indentation); the containers
# above those are written here. Byte-identical to json.dumps (tests/render/test_json_text.py);
# anything unusual (a non-str key above the innermost level, a value json cannot write, a cycle)
# falls back to json.dumps itself, for the same text or the same error.
try:
    from _json import encode_basestring, encode_basestring_ascii
    from _json import make_encoder as _make_encoder

    C_ENCODER = True
except ImportError:  # (a Python without the C accelerator: json.dumps does it all)
    C_ENCODER = False

_FLAT = frozenset({str, int, float, bool, type(None)})  # (exactly these types: a subclass is written one by one)
_flat_encoders: dict[tuple[str, bool], Callable[..., Any]] = {}  # (indentation, ensure_ascii): encoder


class _Fallback(Exception):
    """Something json.dumps may write (or refuse) differently: let it do the whole document."""


def _unknown(value: object) -> Any:
    raise _Fallback


def _c_encoder(item_separator: str, ensure_ascii: bool, markers: dict[int, Any] | None) -> Callable[..., Any]:
    string = encode_basestring_ascii if ensure_ascii else encode_basestring
    return _make_encoder(markers, _unknown, string, None, ": ", item_separator, False, False, True)


def _indented(data: Any, step: int, ensure_ascii: bool) -> str:
    string = encode_basestring_ascii if ensure_ascii else encode_basestring
    pads: list[str] = []  # pads[i]: a new line and the indentation of level i
    flats: list[Callable[..., Any]] = []  # flats[i]: writes a flat container whose items are at level i
    flat_types = _FLAT.issuperset

    def grow(level: int) -> None:
        while len(pads) <= level:
            pad = "\n" + " " * (step * len(pads))
            encoder = _flat_encoders.get((pad, ensure_ascii))
            if encoder is None:
                encoder = _flat_encoders[pad, ensure_ascii] = _c_encoder("," + pad, ensure_ascii, None)
            pads.append(pad)
            flats.append(encoder)

    def text(o: Any, level: int) -> str:
        if len(pads) <= level + 1:
            grow(level + 1)
        inner, outer = pads[level + 1], pads[level]
        if isinstance(o, dict):
            if not o:
                return "{}"
            if flat_types(map(type, o.values())):
                return "{" + inner + "".join(flats[level + 1](o, 0))[1:-1] + outer + "}"
            # (a key other than a str here: TypeError from string(), so json.dumps does it)
            items = [string(k) + ": " + (string(v) if type(v) is str else text(v, level + 1)) for k, v in o.items()]
            return "{" + inner + ("," + inner).join(items) + outer + "}"
        if isinstance(o, (list, tuple)):
            if not o:
                return "[]"
            if flat_types(map(type, o)):
                return "[" + inner + "".join(flats[level + 1](o, 0))[1:-1] + outer + "]"
            items = [string(v) if type(v) is str else text(v, level + 1) for v in o]
            return "[" + inner + ("," + inner).join(items) + outer + "]"
        return "".join(flats[level]([o], 0))[1:-1]  # (a number, true, false, null, or _Fallback)

    return string(data) if type(data) is str else text(data, 0)


def json_text(data: Any, indent: int | None = None, ensure_ascii: bool = False) -> str:
    """``json.dumps(data, indent=indent, ensure_ascii=ensure_ascii)``, same text, without importing
    json when the C encoder is there."""
    if C_ENCODER and (indent is None or (type(indent) is int and indent >= 0)):
        try:
            if indent is None:
                return "".join(_c_encoder(", ", ensure_ascii, {})(data, 0))
            return _indented(data, indent, ensure_ascii)
        except (_Fallback, RecursionError, TypeError):
            pass
    import json

    return json.dumps(data, indent=indent, ensure_ascii=ensure_ascii)


# NOTE: a file name that is not valid UTF-8 (``caf\xe9.jpg``) reaches us as a str with lone
# surrogates (surrogateescape); encoding that to UTF-8 fails. Such a byte is written as the four
# characters \xe9 (so the name stays recognisable), any other lone surrogate as \udXXX.
_surrogate: re.Pattern[str] | None = None


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\\\u{code:04x}"


def utf8_safe(text: str) -> str:
    """``text`` with each lone surrogate written out as above (so it always encodes to UTF-8)."""
    global _surrogate
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:  # (UTF-8 refuses nothing else)
        pass
    if _surrogate is None:
        import re

        _surrogate = re.compile("[\ud800-\udfff]")
    return _surrogate.sub(_escape, text)


def dumps(data: Any, **kwargs: Any) -> str:
    """``json.dumps(ensure_ascii=False)`` whose result always encodes to UTF-8."""
    if set(kwargs) <= {"indent"}:
        return utf8_safe(json_text(data, kwargs.get("indent")))
    import json

    return utf8_safe(json.dumps(data, ensure_ascii=False, **kwargs))


def render(report: Report) -> str:
    return dumps(report.to_dict(), indent=2) + "\n"
