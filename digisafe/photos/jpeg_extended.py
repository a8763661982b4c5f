"""Extended XMP in a JPEG: an XMP packet too big for one APP1 segment, split over several
(``http://ns.adobe.com/xmp/extension/``), keyed by the MD5 of the whole packet (its GUID), which the
main packet names in ``xmpNote:HasExtendedXMP``. Blanking location changes the packet, so the GUID
is re-keyed everywhere it appears (every chunk's header and the main packet)."""

from __future__ import annotations

from digisafe.photos.iptc import apply_patches, md5
from digisafe.photos.types import Patch, WalkResult


class ExtendedXmp:
    """The chunks of one extended XMP packet (APP1 ``xmp/extension``), as they were found."""

    def __init__(self) -> None:
        self.full_len = 0
        self.chunks: list[tuple[int, int, bytes, int]] = []  # (offset in packet, file offset, data, guid pos)


def extended_xmp(result: WalkResult, guid: bytes, ext: ExtendedXmp, main_xmp: tuple[int, bytes] | None,
                  where: str) -> None:
    """Blank location in an extended XMP packet and re-key it: its GUID is the MD5 of the packet."""
    where = f"{where} extended XMP"
    if ext.full_len > 64 << 20:
        result.doubt(f"{where}: too large ({ext.full_len} bytes)")
        return
    packet = bytearray(ext.full_len)
    covered = 0
    for offset, _at, chunk, _g in ext.chunks:
        if offset + len(chunk) > ext.full_len:
            result.doubt(f"{where}: chunk outside the declared length")
            return
        packet[offset:offset + len(chunk)] = chunk
        covered += len(chunk)
    if covered < ext.full_len:
        result.doubt(f"{where}: chunks missing (have {covered} of {ext.full_len} bytes)")
        return
    from digisafe.photos.xmp import walk_xmp

    found = walk_xmp(bytes(packet), 0, where=where)
    result.doubts.extend(found.doubts)
    if not found.patches:
        return
    result.items.extend(found.items)
    new_packet = apply_patches(bytes(packet), 0, found.patches)
    new_guid = md5(new_packet).hex().upper().encode("ascii")  # (the format's GUID)
    for offset, at, chunk, guid_at in ext.chunks:
        result.patches.append(Patch(guid_at, new_guid, "extended XMP GUID re-keyed"))
        piece = new_packet[offset:offset + len(chunk)]
        if piece != chunk:
            result.patches.append(Patch(at, piece, "extended XMP location blanked"))
    if main_xmp is not None:
        main_at, main_raw = main_xmp
        hit = main_raw.find(guid)
        while hit >= 0:
            result.patches.append(Patch(main_at + hit, new_guid, "extended XMP GUID re-keyed"))
            hit = main_raw.find(guid, hit + 1)
