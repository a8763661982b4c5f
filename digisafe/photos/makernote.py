"""Place names that cameras keep in their maker notes (the fields exiftool shows), blanked in place.

- Panasonic (maker note ``Panasonic\\0\\0\\0`` + IFD, offsets from the TIFF header): Country (0x69),
  State (0x6B), City (0x6D), Landmark (0x6F) and City2 (0x80), text the camera fills from its GPS
  or its travel-destination setting; unset fields hold "---".
- Casio type 2 (``QVC\\0``/``DCI\\0`` + 2 bytes + IFD): HometownCity (0x3006), a city name string; the
  same table in the ``AOC\\0`` maker notes of the Pentax Optio 330RS/430RS (Casio-made).

Each value is overwritten with zeros, same length: the entry stays and reads as an empty string, so
no offset moves. A maker note whose IFD cannot be read in either byte order is left alone (no reader
can see fields in it either).
"""

from __future__ import annotations

import re
import struct
from typing import Any

from digisafe.photos.types import LocationItem, Patch

TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8}
PANASONIC = {0x69: "country", 0x6B: "state", 0x6D: "city", 0x6F: "landmark", 0x80: "city"}
CASIO = {0x3006: "hometown_city"}
MAX_ENTRIES = 512
UNSET = {"", "---"}
CASIO_MADE_PENTAX = re.compile(r"Optio ?[34]30RS")


def _table(t: Any, start: int, end: int) -> tuple[str, int] | None:
    """The byte order in which the IFD at ``start`` reads plausibly, and its entry count."""
    raw = bytes(t.data[start:start + 2]) if start + 2 <= end else b""
    if len(raw) < 2:
        return None
    for order in dict.fromkeys((t.end, "<", ">")):
        (count,) = struct.unpack(order + "H", raw)
        if 0 < count <= MAX_ENTRIES and start + 2 + 12 * count <= end:
            return order, count
    return None


def makernote_places(t: Any, e: Any, label: str) -> None:
    """``t`` is the tiff._Tiff walker, ``e`` its MakerNote (0x927C) entry."""
    if e.size < 16 or e.value_off + e.size > len(t.data):
        return
    head = t.read(e.value_off, 12)
    if head.startswith(b"Panasonic\0"):
        start, names, maker = e.value_off + 12, PANASONIC, "Panasonic"
    elif head[:4] in (b"QVC\0", b"DCI\0") or (
            head[:4] == b"AOC\0" and CASIO_MADE_PENTAX.search(str(t.result.info.get("model", "")))):
        start, names, maker = e.value_off + 6, CASIO, "Casio"
    else:
        return
    found = _table(t, start, e.value_off + e.size)
    if found is None:
        return
    order, count = found
    values: dict[str, object] = {}
    raw = t.read(start + 2, 12 * count)
    for i in range(count):
        tag, typ, n, value = struct.unpack(order + "HHII", raw[12 * i:12 * i + 12])
        if tag not in names:
            continue
        size = TYPE_SIZES.get(typ, 0) * n
        at = start + 2 + 12 * i + 8 if size <= 4 else value
        if size == 0 or size > 4096 or at + size > len(t.data):
            continue
        data = t.read(at, size)
        text = data.split(b"\0", 1)[0].decode("utf-8", "replace").strip()
        if text in UNSET:
            continue
        values.setdefault(names[tag], text[:200])
        t.result.patches.append(Patch(t.base + at, bytes(size), f"{maker} maker note place field blanked"))
    if values:
        t.result.items.append(LocationItem("makernote", f"{t.where} > {label} > {maker} MakerNote", values))
