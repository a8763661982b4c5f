"""IPTC-IIM and Photoshop image resources (IRB): location datasets out, digest refreshed.

IPTC-IIM is a flat list of datasets (0x1C, record, dataset, length, value) with no offsets, so the
location datasets (2:26/27/90/92/95/100/101) are removed by moving the later datasets up and
zero-filling the tail: same block length, and readers stop at the zero padding as they do after
Photoshop's own padding. When the IPTC block sits in a Photoshop IRB next to an IPTCDigest
(resource 0x0425, MD5 of the IPTC block) the digest is recomputed, else readers warn that it is
"not current".
"""

from __future__ import annotations

import struct

from digisafe.photos.types import LocationItem, Patch, PhotoError, WalkResult

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 3 ms of a photo scan's start-up)
if TYPE_CHECKING:
    from digisafe.photos.view import Data

LOCATION_DATASETS = {26: "location_code", 27: "location_name", 90: "city", 92: "sublocation",
                     95: "province_state", 100: "country_code", 101: "country"}
IRB_SIGNATURES = (b"8BIM", b"PHUT", b"DCSR", b"AgHg", b"MeSa")
RES_IPTC, RES_DIGEST = 0x0404, 0x0425
RES_EXIF, RES_EXIF3, RES_XMP = 0x0422, 0x0423, 0x0424  # (Photoshop files keep EXIF and XMP here too)


def _datasets(raw: bytes, where: str) -> tuple[list[tuple[int, int, int, int]], int]:
    """[(record, dataset, start, end)] and the end of the parsed region."""
    out, pos = [], 0
    while pos + 5 <= len(raw) and raw[pos] == 0x1C:
        record, dataset, length = raw[pos + 1], raw[pos + 2], struct.unpack(">H", raw[pos + 3:pos + 5])[0]
        head = 5
        if length & 0x8000:  # extended dataset: the next (length & 0x7FFF) bytes hold the length
            n = length & 0x7FFF
            if n > 4 or pos + 5 + n > len(raw):
                raise PhotoError(f"{where}: bad extended IPTC dataset length")
            length = int.from_bytes(raw[pos + 5:pos + 5 + n], "big")
            head += n
        end = pos + head + length
        if end > len(raw):
            raise PhotoError(f"{where}: IPTC dataset {record}:{dataset} runs past the end")
        out.append((record, dataset, pos, end))
        pos = end
    return out, pos


def walk_iptc(data: Data, base: int = 0, where: str = "IPTC") -> WalkResult:
    raw = bytes(data[0:len(data)])
    result = WalkResult()
    datasets, parsed_end = _datasets(raw, where)
    drop = [d for d in datasets if d[0] == 2 and d[1] in LOCATION_DATASETS]
    if not drop:
        return result
    values: dict[str, object] = {}
    for _record, dataset, start, end in drop:
        text = raw[start + 5:end].decode("utf-8", "replace").strip()
        values.setdefault(LOCATION_DATASETS[dataset], text[:200])
    first = drop[0][2]
    kept = b"".join(raw[s:e] for r, d, s, e in datasets if s >= first and not (r == 2 and d in LOCATION_DATASETS))
    region = parsed_end - first
    result.patches.append(Patch(base + first, kept + bytes(region - len(kept)), "IPTC location datasets removed"))
    if any(values.values()):  # (empty place datasets are removed too, but are not a location)
        result.items.append(LocationItem("iptc", where, values))
    return result


def _resources(raw: bytes, where: str) -> list[tuple[int, int, int]]:
    """[(resource id, data start, data length)] of a Photoshop IRB block."""
    out, pos = [], 0
    while pos + 12 <= len(raw) and raw[pos:pos + 4] in IRB_SIGNATURES:
        rid = struct.unpack(">H", raw[pos + 4:pos + 6])[0]
        name_len = raw[pos + 6]
        name_total = name_len + 1 + ((name_len + 1) & 1)
        size_at = pos + 6 + name_total
        if size_at + 4 > len(raw):
            raise PhotoError(f"{where}: truncated Photoshop resource")
        size = struct.unpack(">I", raw[size_at:size_at + 4])[0]
        start = size_at + 4
        if start + size > len(raw):
            raise PhotoError(f"{where}: Photoshop resource 0x{rid:04x} runs past the end")
        out.append((rid, start, size))
        pos = start + size + (size & 1)
    return out


def md5(data: bytes) -> bytes:
    """The MD5 digest the formats themselves use (IPTCDigest, the extended XMP GUID), not security.

    NOTE: CPython's built-in ``_md5`` when it has one: ``hashlib`` loads OpenSSL first, ~3 ms of a
    `photos scan` start for the first file with an IPTC digest."""
    try:
        from _md5 import md5 as new
    except ImportError:  # (a Python built without it)
        from hashlib import md5 as new
    return new(data).digest()  # noqa: S324 - the format's own digest


def apply_patches(raw: bytes, raw_base: int, patches: list[Patch]) -> bytes:
    """``raw`` (at file offset ``raw_base``) with the patches that fall inside it applied."""
    buf = bytearray(raw)
    for p in patches:
        lo, hi = max(p.offset, raw_base), min(p.end, raw_base + len(raw))
        if lo < hi:
            buf[lo - raw_base:hi - raw_base] = p.data[lo - p.offset:hi - p.offset]
    return bytes(buf)


def digest_patches(irb: bytes, base: int, new_iptc: bytes) -> list[Patch]:
    """Patches that set every IPTCDigest resource of the IRB block ``irb`` (at file offset ``base``)
    to the MD5 of ``new_iptc``."""
    try:
        resources = _resources(irb, "Photoshop")
    except PhotoError:
        return []
    digest = md5(new_iptc)
    return [Patch(base + s, digest) for rid, s, n in resources if rid == RES_DIGEST and n == 16]


def walk_irb(data: Data, base: int = 0, where: str = "Photoshop") -> WalkResult:
    raw = bytes(data[0:len(data)])
    result = WalkResult()
    resources = _resources(raw, where)
    iptc = [(s, n) for rid, s, n in resources if rid == RES_IPTC]
    digests = [(s, n) for rid, s, n in resources if rid == RES_DIGEST and n == 16]
    for rid, start, size in resources:
        if rid == RES_XMP and size:
            from digisafe.photos.xmp import walk_xmp

            result.merge(walk_xmp(raw[start:start + size], base + start, where=f"{where} > XMP"))
        elif rid in (RES_EXIF, RES_EXIF3) and size > 8:
            from digisafe.photos.tiff import walk_tiff

            skip = 6 if raw[start:start + 6] == b"Exif\0\0" else 0
            result.merge(walk_tiff(raw[start + skip:start + size], base + start + skip, where=f"{where} > EXIF"))
    for start, size in iptc:
        found = walk_iptc(raw[start:start + size], base + start, where=f"{where} > IPTC")
        result.merge(found)
        if found.patches and len(iptc) == 1:
            new_iptc = apply_patches(raw[start:start + size], base + start, found.patches)
            for d_start, _n in digests:
                digest = md5(new_iptc)
                result.patches.append(Patch(base + d_start, digest, "IPTCDigest recomputed"))
    return result
