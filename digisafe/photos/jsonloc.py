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


def _span_with_comma(data: bytes, start: int, end: int) -> tuple[int, int]:
    back = start - 1
    while back >= 0 and data[back] in b" \t\r\n":
        back -= 1
    if back >= 0 and data[back:back + 1] == b",":
        return back, end
    forward = end
    while forward < len(data) and data[forward] in b" \t\r\n":
        forward += 1
    if forward < len(data) and data[forward:forward + 1] == b",":
        return start, forward + 1
    return start, end


def walk_json_location(data: bytes, base: int, where: str) -> WalkResult:
    result = WalkResult()
    values: dict[str, object] = {}
    taken: list[tuple[int, int]] = []
    for m in MEMBER.finditer(data):
        lo, hi = _span_with_comma(data, m.start(), m.end())
        if any(lo < t_hi and t_lo < hi for t_lo, t_hi in taken):
            continue
        taken.append((lo, hi))
        value = m.group(2).strip(b'"').decode("utf-8", "replace")[:200]
        values.setdefault(m.group(1).decode("ascii", "replace"), value)
        result.patches.append(Patch(base + lo, bytes(b if b in (0x0A, 0x0D) else 0x20 for b in data[lo:hi])))
    if values:
        result.items.append(LocationItem("c2pa", where, values))
    return result
