"""Timed GPS tracks in videos: GoPro ``gpmd``, Google ``camm``, DJI ``djmd``, Apple ``mebx`` with a
location key.

Action cameras and some phones record a position every second in a metadata track. exiftool cannot
remove it. We find every sample of such a track through the sample tables (``stsz``/``stz2`` sizes,
``stsc`` samples per chunk, ``stco``/``co64`` chunk offsets) and overwrite each sample with zeros
*in place*: no sample moves, so no table changes. The whole track is zeroed (a GoPro track also holds
the accelerometer and gyroscope readings: motion, which can betray the route too). Dashcams that
write positions as subtitles (``tx3g``/``text`` samples with NMEA sentences or coordinates) get
their subtitle samples zeroed the same way (a zeroed sample is a valid empty subtitle).

Samples that are already all zeros are left alone, so a re-walk of a cleaned copy finds nothing.
"""

from __future__ import annotations

import re
import struct

from digisafe.photos.boxes import Box, BoxReader
from digisafe.photos.types import LocationItem, Patch, PhotoError, WalkResult

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 3 ms of a photo scan's start-up)
if TYPE_CHECKING:
    from typing import Dict, Iterator, List, Optional, Tuple

GPS_FORMATS = {b"gpmd": "GoPro GPMF", b"camm": "camera motion metadata (camm)", b"djmd": "DJI flight metadata"}
# NOTE: a zeroed tx3g/text sample is a valid empty subtitle (its 16-bit length becomes 0).
TEXT_FORMATS = {b"tx3g", b"text"}
GPS_TEXT = re.compile(rb"\$G[PNL](?:RMC|GGA|GLL)|[NS] ?\d{1,2}\.\d{4,}[ ,]+[EW] ?\d{1,3}\.\d{4,}"
                      rb"|(?i:gps|lat(?:itude)?)\s*[:=]\s*[+-]?\d{1,2}\.\d{3,}")
MAX_SAMPLES = 2_000_000
MAX_SAMPLE = 16 * 1024 * 1024
MAX_PATCH_BYTES = 48 * 1024 * 1024  # zero bytes held in memory for one file's patches


def _child(reader: BoxReader, box: Optional[Box], typ: bytes, skip: int = 0) -> Optional[Box]:
    if box is None:
        return None
    for child in reader.children(box, skip):
        if child.type == typ:
            return child
    return None


def walk_track(reader: BoxReader, trak: Box, where: str, result: WalkResult,
               media: Optional[List[Tuple[int, int]]] = None) -> None:
    """Find a timed GPS track in ``trak`` and zero its samples; ``media`` = the mdat ranges they
    must lie in (a sample table pointing anywhere else is not trusted)."""
    stbl = _child(reader, _child(reader, _child(reader, trak, b"mdia"), b"minf"), b"stbl")
    stsd = _child(reader, stbl, b"stsd")
    if stbl is None or stsd is None:
        return
    entries = reader.children(stsd, 8)  # after version/flags + entry_count
    kinds = [GPS_FORMATS.get(e.type) or _mebx_location(reader, e) for e in entries]
    kind = next((k for k in kinds if k), None)
    subtitles = kind is None and any(e.type in TEXT_FORMATS for e in entries)
    if kind is None and not subtitles:
        return
    samples = list(sample_ranges(reader, stbl, where))
    if sum(size for _, size in samples) > reader.size:
        raise PhotoError(f"{where}: the sample tables claim more data than the file holds")
    if subtitles:
        if not _text_has_gps(reader, samples):
            return
        kind = "GPS in a subtitle/text track"
    where = f"{where} ({kind})"
    result.info["timed_metadata"] = kind
    _blank_samples(reader, samples, kind, where, result, media)


def _text_has_gps(reader: BoxReader, samples: List[Tuple[int, int]]) -> bool:
    """Dashcams write NMEA sentences or "N51.5074 W0.1278" into subtitle samples."""
    budget = MAX_SAMPLE
    for offset, size in samples:
        if 0 < size <= budget:
            budget -= size
            if GPS_TEXT.search(reader.read(offset, size)):
                return True
    return False


def _blank_samples(reader: BoxReader, samples: List[Tuple[int, int]], kind: str, where: str,
                   result: WalkResult, media: Optional[List[Tuple[int, int]]]) -> None:
    first: Dict[str, object] = {}
    zeros: Dict[int, bytes] = {}
    held, dirty = 0, 0
    for offset, size in samples:
        if size == 0:
            continue
        data = reader.read(offset, size) if size <= MAX_SAMPLE else None
        if data is None:
            result.doubt(f"{where}: sample of {size} bytes is too large to blank")
            return
        if not any(data):
            continue
        if media is not None and not any(lo <= offset and offset + size <= hi for lo, hi in media):
            result.doubt(f"{where}: a sample lies outside the media data; not blanked")
            return
        dirty += 1
        if not first:
            first = first_fix(kind, data)
        if size not in zeros:
            held += size
            if held > MAX_PATCH_BYTES:
                result.doubt(f"{where}: too much timed metadata to blank in one pass")
                return
            zeros[size] = bytes(size)
        result.patches.append(Patch(offset, zeros[size]))
    if dirty:
        values = dict(first) if first else {}
        values["samples"] = dirty
        result.items.append(LocationItem("quicktime", f"{where}: timed GPS track", values))


def _mebx_location(reader: BoxReader, entry: Box) -> Optional[str]:
    """Apple timed metadata ("mebx"): its keys/keyd boxes name what each sample holds."""
    if entry.type != b"mebx" or entry.body_size > 1 << 20:
        return None
    keys = _child(reader, entry, b"keys", 8)
    if keys is None:
        return None
    for key in reader.children(keys):
        keyd = _child(reader, key, b"keyd")
        if keyd is not None:
            name = reader.payload(keyd, 4096)[4:].decode("utf-8", "replace").lower()
            if "location" in name or "gps" in name:
                return "Apple timed location"
    return None


def sample_ranges(reader: BoxReader, stbl: Box, where: str) -> Iterator[Tuple[int, int]]:
    """(absolute offset, size) of every sample, from the sample tables; PhotoError if inconsistent."""
    tables = {c.type: c for c in reader.children(stbl)}
    sizes = _sizes(reader, tables, where)
    offsets = _chunk_offsets(reader, tables, where)
    runs = _stsc(reader, tables, where)
    index = 0
    for run_no, (first_chunk, per_chunk) in enumerate(runs):
        last_chunk = runs[run_no + 1][0] - 1 if run_no + 1 < len(runs) else len(offsets)
        for chunk in range(first_chunk, last_chunk + 1):
            if chunk < 1 or chunk > len(offsets):
                raise PhotoError(f"{where}: stsc refers to chunk {chunk} of {len(offsets)}")
            pos = offsets[chunk - 1]
            for _ in range(per_chunk):
                if index >= len(sizes):
                    return
                if pos + sizes[index] > reader.size:
                    raise PhotoError(f"{where}: sample {index + 1} lies outside the file")
                yield pos, sizes[index]
                pos += sizes[index]
                index += 1
    if index < len(sizes):
        raise PhotoError(f"{where}: {len(sizes) - index} samples have no chunk")


def _table(reader: BoxReader, box: Box, header: int, entry: int, where: str) -> Tuple[int, bytes]:
    raw = reader.payload(box)
    if len(raw) < header:
        raise PhotoError(f"{where}: {box.name} too short")
    (count,) = struct.unpack(">I", raw[header - 4:header])
    if count > MAX_SAMPLES or header + count * entry > len(raw):
        raise PhotoError(f"{where}: {box.name} lists {count} entries that do not fit")
    return count, raw


def _sizes(reader: BoxReader, tables: Dict[bytes, Box], where: str) -> List[int]:
    if b"stsz" in tables:
        raw = reader.payload(tables[b"stsz"])
        if len(raw) < 12:
            raise PhotoError(f"{where}: stsz too short")
        fixed, count = struct.unpack(">II", raw[4:12])
        if count > MAX_SAMPLES:
            raise PhotoError(f"{where}: stsz lists {count} samples")
        if fixed:
            return [fixed] * count
        if 12 + 4 * count > len(raw):
            raise PhotoError(f"{where}: stsz table runs past its box")
        return list(struct.unpack(f">{count}I", raw[12:12 + 4 * count]))
    if b"stz2" in tables:
        raw = reader.payload(tables[b"stz2"])
        field, count = raw[7], struct.unpack(">I", raw[8:12])[0]
        if field not in (4, 8, 16) or count > MAX_SAMPLES or 12 + (count * field + 7) // 8 > len(raw):
            raise PhotoError(f"{where}: stz2 is malformed")
        if field == 16:
            return list(struct.unpack(f">{count}H", raw[12:12 + 2 * count]))
        if field == 8:
            return list(raw[12:12 + count])
        return [(raw[12 + i // 2] >> (0 if i & 1 else 4)) & 15 for i in range(count)]
    raise PhotoError(f"{where}: no sample size table")


def _chunk_offsets(reader: BoxReader, tables: Dict[bytes, Box], where: str) -> List[int]:
    for typ, code, width in ((b"stco", "I", 4), (b"co64", "Q", 8)):
        if typ in tables:
            count, raw = _table(reader, tables[typ], 8, width, where)
            return list(struct.unpack(f">{count}{code}", raw[8:8 + width * count]))
    raise PhotoError(f"{where}: no chunk offset table")


def _stsc(reader: BoxReader, tables: Dict[bytes, Box], where: str) -> List[Tuple[int, int]]:
    if b"stsc" not in tables:
        raise PhotoError(f"{where}: no sample-to-chunk table")
    count, raw = _table(reader, tables[b"stsc"], 8, 12, where)
    runs = [struct.unpack(">II", raw[8 + 12 * i:16 + 12 * i]) for i in range(count)]
    if any(b[0] <= a[0] for a, b in zip(runs, runs[1:])):
        raise PhotoError(f"{where}: stsc runs are not in order")
    return runs


# --- the first position, for display --------------------------------------------------------------
def first_fix(kind: str, data: bytes) -> Dict[str, object]:
    try:
        if kind.startswith("GoPro"):
            return _gpmf_fix(data, 0, len(data), 0) or {}
        if kind.startswith("camera motion"):
            return _camm_fix(data)
    except (struct.error, ValueError, ZeroDivisionError):
        return {}
    return {}


def _gpmf_fix(data: bytes, pos: int, end: int, depth: int) -> Optional[Dict[str, object]]:
    """GPMF is KLV: key(4) type(1) struct size(1) repeat(2), data padded to 4 bytes; type 0 nests."""
    scale: List[float] = []
    while pos + 8 <= end and depth < 8:
        key, typ, ssize, repeat = struct.unpack(">4scBH", data[pos:pos + 8])
        length = ssize * repeat
        body, pos = pos + 8, pos + 8 + ((length + 3) & ~3)
        if typ == b"\0":
            found = _gpmf_fix(data, body, min(body + length, end), depth + 1)
            if found:
                return found
        elif key == b"SCAL":
            code = {b"l": "i", b"L": "I", b"s": "h", b"S": "H"}.get(typ)
            if code and ssize == struct.calcsize(code):
                scale = list(struct.unpack(f">{repeat}{code}", data[body:body + length]))
        elif key in (b"GPS5", b"GPS9") and repeat and ssize >= 12:
            lat, lon, alt = struct.unpack(">iii", data[body:body + 12])
            s = (scale + [1, 1, 1])[:3] if len(scale) >= 3 else [scale[0] if scale else 1] * 3
            return {"latitude": round(lat / s[0], 7), "longitude": round(lon / s[1], 7),
                    "altitude": round(alt / s[2], 2)}
    return None


def _camm_fix(data: bytes) -> Dict[str, object]:
    (kind,) = struct.unpack("<H", data[2:4])
    if kind == 5:
        lat, lon, alt = struct.unpack("<ddd", data[4:28])
    elif kind == 6:
        lat, lon, alt = struct.unpack("<12xdd f", data[4:36])
    else:
        return {}
    return {"latitude": round(lat, 7), "longitude": round(lon, 7), "altitude": round(alt, 2)}
