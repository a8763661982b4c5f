"""digisafe.render.json writes JSON without json.dumps's pure-Python indent encoder (and without
importing json): its text must be json.dumps's, byte for byte, for every value, and `photos scan` /
`photos strip` JSON exactly what they wrote before (``old_dumps`` below is the old algorithm)."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digisafe.photos.outcome import CLEANED, NO_LOCATION, NOT_CLEANED, WOULD_CLEAN, Outcome
from digisafe.photos.render import render_scan, render_strip
from digisafe.photos.scan import UNREADABLE, WITH_LOCATION, WITHOUT, ScanRecord
from digisafe.photos.types import LocationItem
from digisafe.render.json import dumps, json_text, utf8_safe

_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\\\u{code:04x}"


def old_dumps(data: Any, **kwargs: Any) -> str:
    """digisafe.render.json.dumps as it was: json.dumps, then each lone surrogate written out."""
    text = json.dumps(data, ensure_ascii=False, **kwargs)
    return _SURROGATE.sub(_escape, text) if _SURROGATE.search(text) else text


HOSTILE_NAMES = [
    "caf\udce9.jpg",  # a Latin-1 byte in a name (surrogateescape)
    "\udcff\udc80\udcc3.jpg",
    "lone \ud800 high and \udbff.jpg",
    "bell\a tab\t newline\n cr\r esc\x1b[31m nul\x00 del\x7f.jpg",
    'quote " and \\ backslash \\" and \\\\.jpg',
    "'single' and `tick` and $(echo hi).jpg",
    "bidi \u202e gpj.exe and \u2066isolate\u2069.jpg",
    "wide 写真 emoji \U0001f4f7 combining e\u0301 nbsp\u00a0 ls\u2028 ps\u2029.jpg",
    "\ufeffbom and \ufffe noncharacter and \uffff.jpg",
    "{[brackets]}, \"k\": [1, 2], commas,\n  indented.jpg",
    "x" * 5000 + ".jpg",
    "/" + "/".join(["deep"] * 300) + "/a.jpg",
    "",
]
VALUES: list[dict[str, Any]] = [
    {"latitude": 51.5, "longitude": -0.1275, "altitude": 12},
    {"latitude": 0.0, "longitude": -0.0, "GPSVersionID": "2.2.0.0"},
    {"latitude": 1e-7, "longitude": 179.99999999999997, "altitude": -1e300},
    {"city": "Leeds", "country": "caf\udce9", "tags": ["a", "b\udc80", 3, None, True]},
    {"weird": float("nan"), "big": 2**80, "neg": -(2**70), "flag": False, "none": None},
    {"nested": {"deeper": {"deepest": [1, [2, [3, {}]], []]}}, "empty": {}, "list": []},
    {},
]


def scan_records() -> list[ScanRecord]:
    records = []
    for i, name in enumerate(HOSTILE_NAMES):
        items = [LocationItem("exif-gps", f"JPEG APP1 EXIF > IFD0 > GPS IFD {name}", VALUES[i % len(VALUES)]),
                 LocationItem("xmp", "JPEG APP1 XMP", VALUES[(i + 3) % len(VALUES)])][: i % 3]
        status = [WITH_LOCATION, UNREADABLE, WITHOUT][i % 3] if items else [UNREADABLE, WITHOUT][i % 2]
        info = {"make": name[:20], "model": f"Model {i}", "date_taken": None if i % 4 else f"2024:01:0{i % 9}"}
        doubts = [f"doubt {name}"] if i % 5 == 1 else []
        error = f"error: {name}" if status == UNREADABLE else ""
        records.append(ScanRecord(Path(name or "."), status, "jpeg", items, info, doubts, error))
    return records


def strip_outcomes() -> list[Outcome]:
    outcomes = []
    for i, name in enumerate(HOSTILE_NAMES):
        status = [CLEANED, NO_LOCATION, NOT_CLEANED, WOULD_CLEAN][i % 4]
        items = [LocationItem("iptc", name, VALUES[i % len(VALUES)])] if status != NO_LOCATION else []
        outcomes.append(Outcome(Path(name or "."), Path("out", name) if i % 3 else None, status,
                                f"reason {name}" if status == NOT_CLEANED else "", "jpeg", items,
                                "ab" * 32, None if i % 2 else "cd" * 32,
                                changes=[{"offset": i, "length": 8, "what": name}] if status == CLEANED else []))
    return outcomes


def old_render_scan(records: list[ScanRecord], summary: dict[str, int], complete: bool = True) -> str:
    data = {"summary": summary, "complete": complete,
            "files": [r.to_dict() for r in records if r.status in (WITH_LOCATION, UNREADABLE)]}
    return old_dumps(data, indent=2) + "\n"


def test_scan_json_is_what_it_was_for_hostile_names():
    records = scan_records()
    summary = {"scanned": len(records), "with_location": 3, "without_location": 2, "unreadable": 1, "not_photos": 0}
    for complete in (True, False):
        new = render_scan(records, summary, "json", complete=complete)
        assert new == old_render_scan(records, summary, complete)
        new.encode("utf-8")  # (the point of writing surrogates out)
    assert "caf\\\\xe9.jpg" in render_scan(records, summary, "json")


def test_scan_json_of_nothing_is_what_it_was():
    summary = {"scanned": 0, "with_location": 0, "without_location": 0, "unreadable": 0, "not_photos": 0}
    assert render_scan([], summary, "json") == old_render_scan([], summary)


def test_strip_json_is_what_it_was_for_hostile_names():
    from digisafe.photos.render import strip_summary

    outcomes = strip_outcomes()
    expected = old_dumps({"summary": strip_summary(outcomes), "files": [o.to_dict() for o in outcomes]},
                         indent=2) + "\n"
    assert render_strip(outcomes, "json") == expected


def test_audit_report_json_is_what_it_was():
    from digisafe.render.json import render
    from tests.render.big_report import big_report

    report = big_report()
    assert render(report) == old_dumps(report.to_dict(), indent=2) + "\n"


@pytest.mark.parametrize("kwargs", [{}, {"indent": 2}, {"indent": 0}, {"indent": 4}, {"sort_keys": True},
                                    {"indent": 2, "sort_keys": True}, {"separators": (",", ":")}, {"indent": "\t"}])
def test_dumps_is_what_it_was_with_any_options(kwargs):
    records = [r.to_dict() for r in scan_records()]
    for data in [VALUES, HOSTILE_NAMES, records, {"a": VALUES, "b": {"c": HOSTILE_NAMES}}]:
        assert dumps(data, **kwargs) == old_dumps(data, **kwargs)


@pytest.mark.parametrize("data", [
    None, True, False, 0, -1, 2**100, 1.5, -0.0, float("inf"), float("-inf"), "", "x", "caf\udce9", [], {}, (),
    [[]], [{}], {"a": []}, {"a": {}}, [1, [2, [3]]], (1, (2, ("3",))), {"k": (1, 2)},
    {3: "int key", 2.5: "float key", True: "bool key", None: "none key"},  # json turns them into strings
    {"outer": {1: "int key below", 1.0e20: "x", False: 0}},
    {"outer": {"inner": {7: "int key in a dict with a dict"}}, 8: {9: [10]}},
])
@pytest.mark.parametrize("indent", [None, 0, 1, 2, 3])
@pytest.mark.parametrize("ensure_ascii", [False, True])
def test_json_text_is_json_dumps(data, indent, ensure_ascii):
    assert json_text(data, indent, ensure_ascii) == json.dumps(data, indent=indent, ensure_ascii=ensure_ascii)


def test_nan_is_written_as_json_dumps_writes_it():
    data = {"a": [math.nan, {"b": math.nan}], "c": math.nan}
    assert json_text(data, 2) == json.dumps(data, indent=2, ensure_ascii=False)


class Odd:
    pass


class Text(str):
    pass


class Number(int):
    def __repr__(self) -> str:
        return "not this"


class Real(float):
    def __repr__(self) -> str:
        return "nor this"


def test_subclasses_are_written_as_json_dumps_writes_them():
    data = {Text("key"): [Text("value"), Number(7), Real(1.25)], "d": {Text("k"): Number(3)},
            "e": {"f": Real(2.5), "g": {Text("h"): [Text("i")]}}}
    for indent in (None, 2):
        assert json_text(data, indent) == json.dumps(data, indent=indent, ensure_ascii=False)


@pytest.mark.parametrize("data", [Odd(), [Odd()], {"a": [1, {"b": Odd()}]}, {"a": {(1, 2): "tuple key"}},
                                  {"a": {"b": {(1,): 2}}}, {"a": b"bytes"}])
@pytest.mark.parametrize("indent", [None, 2])
def test_what_json_refuses_is_refused_the_same_way(data, indent):
    with pytest.raises(TypeError) as expected:
        json.dumps(data, indent=indent, ensure_ascii=False)
    with pytest.raises(TypeError) as got:
        json_text(data, indent)
    assert str(got.value) == str(expected.value)


@pytest.mark.parametrize("indent", [None, 2])
def test_a_cycle_is_refused_as_json_refuses_it(indent):
    loop: list[Any] = [1]
    loop.append({"again": loop})
    with pytest.raises(ValueError, match="Circular reference"):
        json_text(loop, indent)


def test_utf8_safe_writes_out_only_lone_surrogates():
    assert utf8_safe("plain") == "plain"
    assert utf8_safe("写真 \U0001f4f7") == "写真 \U0001f4f7"
    assert utf8_safe("caf\udce9 \ud800") == "caf\\\\xe9 \\\\ud800"


# Keys json accepts (it writes int, float, bool and None keys as strings), values of every JSON type
# and the text that file names bring (surrogates, controls, quotes, backslashes, any code point).
_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=12) | st.sampled_from(HOSTILE_NAMES[:10])
_keys = _text | st.integers() | st.floats(allow_nan=False) | st.booleans() | st.none()
_leaves = st.none() | st.booleans() | st.integers() | st.floats() | _text
_json = st.recursive(_leaves, lambda inner: st.lists(inner, max_size=5) | st.tuples(inner, inner)
                     | st.dictionaries(_keys, inner, max_size=5), max_leaves=40)


@settings(max_examples=400, deadline=None)
@given(data=_json, indent=st.none() | st.integers(0, 4), ensure_ascii=st.booleans())
def test_json_text_is_json_dumps_for_any_value(data, indent, ensure_ascii):
    assert json_text(data, indent, ensure_ascii) == json.dumps(data, indent=indent, ensure_ascii=ensure_ascii)


@settings(max_examples=200, deadline=None)
@given(data=_json, indent=st.sampled_from([None, 2]))
def test_dumps_is_what_it_was_for_any_value(data, indent):
    kwargs = {} if indent is None else {"indent": indent}
    assert dumps(data, **kwargs) == old_dumps(data, **kwargs)
