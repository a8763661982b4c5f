"""Location in JSON text embedded in a container (C2PA/JUMBF assertions in JPEG APP11, e.g.
``{"location": "Salem, Oregon"}`` or JSON-LD ``"exif:GPSLatitude": "39,21.102N"``).

Each location member is blanked *with its comma* (same length, spaces), so the JSON stays valid and
the member is gone rather than left with an empty value. NOTE: editing anything in a C2PA-signed
file already invalidates its signature; that is true of every metadata edit, ours included.
"""

from __future__ import annotations

import re

from digisafe.photos.types import LocationItem, Patch, WalkResult

MEMBER = re.compile(
    rb'"((?:[\w.-]+:)?(?:location|city|country|countrycode|state|province(?:state)?|sublocation|'
    rb'gps\w*|latitude|longitude|geo\w*))"\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)',
    re.IGNORECASE,
)


def _span_with_comma(data: bytes, start: int, end: int, used: set[int]) -> tuple[int, int]:
    """The member plus one comma: the one before it if still free, else the one after it."""
    back = start - 1
    while back >= 0 and data[back] in b" \t\r\n":
        back -= 1
    if back >= 0 and data[back:back + 1] == b"," and back not in used:
        used.add(back)
        return back, end
    forward = end
    while forward < len(data) and data[forward] in b" \t\r\n":
        forward += 1
    if forward < len(data) and data[forward:forward + 1] == b"," and forward not in used:
        used.add(forward)
        return start, forward + 1
    return start, end


def walk_json_location(data: bytes, base: int, where: str) -> WalkResult:
    result = WalkResult()
    values: dict[str, object] = {}
    commas: set[int] = set()
    for m in MEMBER.finditer(data):
        lo, hi = _span_with_comma(data, m.start(), m.end(), commas)
        value = m.group(2).strip(b'"').decode("utf-8", "replace")[:200]
        values.setdefault(m.group(1).decode("ascii", "replace"), value)
        result.patches.append(Patch(base + lo, bytes(b if b in (0x0A, 0x0D) else 0x20 for b in data[lo:hi])))
    if values:
        result.items.append(LocationItem("c2pa", where, values))
    return result
