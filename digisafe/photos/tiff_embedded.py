"""Blocks embedded in a TIFF/EXIF block: XMP (tag 700), IPTC (33723), Photoshop resources (34377),
IPTC copies inside maker notes, and embedded preview JPEGs (JPEGInterchangeFormat). Each is walked by
its own walker; the findings are merged into the TIFF walker's result (``t``, a ``tiff._Tiff``)."""

from __future__ import annotations

from digisafe.photos.types import PhotoError

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 3 ms of a photo scan's start-up)
if TYPE_CHECKING:
    from typing import Any

    _Walker = Any  # digisafe.photos.tiff._Tiff (not imported: tiff imports this module)
TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4}
TAG_XMP, TAG_IPTC = 0x02BC, 0x83BB
MIN_JPEG_BLOB = 128  # a BYTE/UNDEFINED value this long may be a whole JPEG (checked by its first bytes)
# NOTE: Nikon Capture keeps a copy of the IPTC block inside the MakerNote. IPTC has no offsets, so
# its location datasets can be blanked where they sit; an IPTC block starts with RecordVersion.
IPTC_ANCHOR = b"\x1c\x02\x00\x00\x02"


def embedded_block(t: _Walker, e: Any, label: str) -> None:
    size = e.count * TYPE_SIZES.get(e.type, 1)
    if size <= 4 or e.value_off + size > len(t.data):
        return
    raw = t.read(e.value_off, size) if size < 1 << 24 else b""
    where = f"{t.where} > {label}"
    if e.tag == TAG_XMP:
        from digisafe.photos.xmp import walk_xmp

        t.result.merge(walk_xmp(raw, t.base + e.value_off, where=f"{where} > XMP"))
    elif e.tag == TAG_IPTC:
        from digisafe.photos.iptc import apply_patches, walk_iptc

        found = walk_iptc(raw, t.base + e.value_off, where=f"{where} > IPTC")
        t.result.merge(found)
        if found.patches:
            _refresh_digest(t, new_iptc=apply_patches(raw, t.base + e.value_off, found.patches))
    else:
        from digisafe.photos.iptc import walk_irb

        t.result.merge(walk_irb(raw, t.base + e.value_off, where=f"{where} > Photoshop"))
        _refresh_digest(t, irb=(raw, t.base + e.value_off))


def _refresh_digest(t: _Walker, new_iptc: bytes | None = None, irb: tuple[bytes, int] | None = None) -> None:
    """IPTC in tag 33723 changed while the IPTCDigest (MD5 of that tag's value) sits in the
    Photoshop resources of tag 34377 (TIFF, DNG, CR2 ...): patch the digest, whichever tag comes
    first, so readers do not report it "not current"."""
    from digisafe.photos.iptc import digest_patches

    state = t.__dict__.setdefault("_iptc_digest", {})
    if new_iptc is not None:
        state["iptc"] = new_iptc
    if irb is not None:
        state["irb"] = irb
    if "iptc" in state and "irb" in state:
        t.result.patches.extend(digest_patches(*state.pop("irb"), state["iptc"]))


def makernote_iptc(t: _Walker, e: Any, label: str) -> None:
    raw = t.value(e) if e.size <= 1 << 20 else None
    if not raw:
        return
    from digisafe.photos.iptc import walk_iptc

    hit, seen = raw.find(IPTC_ANCHOR), 0
    while hit >= 0 and seen < 4:  # (a hostile maker note full of anchors must not cost n^2)
        seen += 1
        try:
            t.result.merge(walk_iptc(raw[hit:], t.base + e.value_off + hit,
                                     where=f"{t.where} > {label} > MakerNote > IPTC"))
        except PhotoError as exc:
            t.result.doubt(f"{t.where} > {label}: unreadable IPTC in the MakerNote ({exc})")
        hit = raw.find(IPTC_ANCHOR, hit + 1)


def jpeg_blob(t: _Walker, e: Any, label: str) -> None:
    """A JPEG stored as the value of a BYTE/UNDEFINED tag, e.g. Panasonic RW2 JpgFromRaw (0x002E),
    which carries the camera's full EXIF, GPS included."""
    if e.value_off + e.size <= len(t.data) and t.read(e.value_off, 3) == b"\xff\xd8\xff":
        _walk_jpeg_at(t, e.value_off, e.size, f"{label} > tag 0x{e.tag:04X}")


def embedded_jpeg(t: _Walker, offset_entry: Any, length_entry: Any, label: str) -> None:
    starts, lengths = t.ints(offset_entry), t.ints(length_entry)
    if not starts or not lengths:
        return
    _walk_jpeg_at(t, starts[0], lengths[0], label)


def _walk_jpeg_at(t: _Walker, start: int, length: int, label: str) -> None:
    if t.where.count("JPEG") > 4:  # a preview inside a preview inside ...: hostile
        t.result.doubt(f"{t.where}: embedded images nested too deep")
        return
    if start + 4 > len(t.data) or t.read(start, 3) != b"\xff\xd8\xff":
        return
    from digisafe.photos.jpeg import walk_jpeg_block

    length = min(length, len(t.data) - start)
    if isinstance(t.data, (bytes, bytearray)):
        view = t.data[start:start + length]
    else:
        view = t.data.view(start, length)
    try:
        t.result.merge(walk_jpeg_block(view, t.base + start, where=f"{t.where} > {label} > JPEG"))
    except PhotoError as exc:
        t.result.doubt(f"{t.where} > {label}: embedded JPEG unreadable ({exc})")
