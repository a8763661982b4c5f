"""A TIFF/EXIF GPS IFD, for the TIFF walker (tiff.py): what position it holds, and the patches
that blank it (an empty IFD, every out-of-line value zeroed; its parent's pointer is removed by the
walker's ``unlink_gps``)."""

from __future__ import annotations

from digisafe.photos.types import LocationItem, Patch

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 3 ms of a photo scan's start-up)
if TYPE_CHECKING:
    from typing import Any

MAX_GPS_VALUE = 1 << 16  # real GPS values are a few bytes (GPSProcessingMethod: tens)
GPS_NAMES = {1: "latitude_ref", 2: "latitude", 3: "longitude_ref", 4: "longitude", 5: "altitude_ref",
             6: "altitude", 7: "timestamp", 29: "datestamp", 18: "map_datum", 27: "processing_method",
             28: "area_information", 31: "h_positioning_error"}
# GPS tags that say where: latitude, longitude, destination latitude/longitude, area information.
LOCATION_TAGS = {2, 4, 20, 22, 28}


def blank_gps_ifd(t: Any, off: int, label: str) -> None:
    """The GPS IFD at ``off`` of the TIFF walker ``t``: report its position (if it holds one) and
    blank it: an empty IFD, its out-of-line values zeroed."""
    parsed = t.entries(off, label)
    if parsed is None:
        return
    entries, _next = parsed
    if not entries:
        return
    if any(e.tag in LOCATION_TAGS and any(t.value(e) or b"") for e in entries):
        values = gps_values(t, entries)
        t.result.items.append(LocationItem("exif-gps", f"{t.where} > {label}", values))
    # (a GPS IFD without a position, e.g. only GPSVersionID/MapDatum or all-zero placeholders as
    # some phones write, is not reported as location, as exiftool shows none; it is blanked anyway)
    # Zeroed: an empty IFD (count 0, next-IFD pointer 0), no longer pointed to (see unlink_gps).
    # (the next-IFD pointer may be missing in a truncated block: never patch past its end)
    length = min(t.table_size(len(entries)), len(t.data) - off)
    t.result.patches.append(Patch(t.base + off, bytes(length), f"{label} emptied"))
    for e in entries:
        if e.size > 4:
            if e.value_off + e.size > len(t.data):
                continue  # past the block: no reader sees it, and once unlinked nothing points there
            if e.size > MAX_GPS_VALUE:
                if e.tag in LOCATION_TAGS:
                    t.result.doubt(f"{t.where} > {label}: GPS value of tag {e.tag} out of range")
                continue  # (never a huge patch: those bytes may be image data)
            t.result.patches.append(Patch(t.base + e.value_off, bytes(e.size), f"{label} value zeroed"))

def gps_values(t: Any, entries: list[Any]) -> dict[str, object]:
    """Latitude, longitude and altitude of a GPS IFD's entries (else the names of its tags)."""
    tags = {e.tag: e for e in entries}
    values: dict[str, object] = {}
    for axis, num, ref, neg in (("latitude", 2, 1, "S"), ("longitude", 4, 3, "W")):
        if num in tags:
            dms = t.rationals(tags[num])
            if len(dms) >= 3 and all(x == x for x in dms[:3]):
                deg = dms[0] + dms[1] / 60 + dms[2] / 3600
                sign = -1 if ref in tags and t.text(tags[ref]).upper().startswith(neg) else 1
                values[axis] = round(sign * deg, 7)
    if 6 in tags:
        alt = t.rationals(tags[6])
        if alt and alt[0] == alt[0]:
            below = 5 in tags and (t.value(tags[5]) or b"\0")[:1] == b"\x01"
            values["altitude"] = round(-alt[0] if below else alt[0], 2)
    if not values:
        values["tags"] = sorted(GPS_NAMES.get(e.tag, f"0x{e.tag:04x}") for e in entries if e.tag != 0)
    return values
