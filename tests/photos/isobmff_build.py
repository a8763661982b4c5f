"""Build real ISOBMFF files (MP4/MOV/3GP atom trees, HEIF meta boxes, JPEG XL containers) byte by
byte for the tests, following ISO/IEC 14496-12, the QuickTime File Format and ISO/IEC 18181-2."""

from __future__ import annotations

import struct
from typing import List, Optional, Sequence, Tuple

XMP_UUID = bytes.fromhex("BE7ACFCB97A942E89C71999491E3AFAC")


def box(typ: bytes, payload: bytes = b"", large: bool = False) -> bytes:
    if large:
        return struct.pack(">I4sQ", 1, typ, 16 + len(payload)) + payload
    return struct.pack(">I4s", 8 + len(payload), typ) + payload


def full(typ: bytes, payload: bytes, version: int = 0, flags: int = 0) -> bytes:
    return box(typ, struct.pack(">I", (version << 24) | flags) + payload)


def ftyp(major: bytes, *compatible: bytes) -> bytes:
    return box(b"ftyp", major + struct.pack(">I", 0) + b"".join(compatible or (major,)))


def xyz(text: str) -> bytes:
    raw = text.encode()
    return box(b"\xa9xyz", struct.pack(">HH", len(raw), 0x15C7) + raw)


def udta_text(typ: bytes, text: str) -> bytes:
    raw = text.encode()
    return box(typ, struct.pack(">HH", len(raw), 0x15C7) + raw)


def loci(name: str, lat: float, lon: float, alt: float) -> bytes:
    body = struct.pack(">H", 0x15C7) + name.encode() + b"\0" + b"\0"
    body += struct.pack(">iii", round(lon * 65536), round(lat * 65536), round(alt * 65536)) + b"Earth\0\0"
    return full(b"loci", body)


def keys_meta(entries: Sequence[Tuple[str, str]], iso_full: bool = False) -> bytes:
    """A ``meta`` with mdta ``keys`` and ``ilst`` (Apple style); QuickTime (not full) by default."""
    hdlr = full(b"hdlr", b"\0" * 4 + b"mdta" + b"\0" * 12 + b"\0")
    keys = full(b"keys", struct.pack(">I", len(entries))
                + b"".join(struct.pack(">I", 8 + len(k)) + b"mdta" + k.encode() for k, _ in entries))
    items = b"".join(box(struct.pack(">I", i + 1), box(b"data", struct.pack(">II", 1, 0) + v.encode()))
                     for i, (_, v) in enumerate(entries))
    inner = hdlr + keys + box(b"ilst", items)
    return box(b"meta", (b"\0\0\0\0" if iso_full else b"") + inner)


def xmp_packet(props: str) -> bytes:
    return (f'<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
            f'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" '
            f'xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" {props}/>'
            f'</rdf:RDF></x:xmpmeta><?xpacket end="w"?>').encode()


def xmp_uuid(packet: bytes) -> bytes:
    return box(b"uuid", XMP_UUID + packet)


def sample_table(entry: bytes, sizes: Sequence[int], chunk_offsets: Sequence[int], per_chunk: int,
                 co64: bool = False) -> bytes:
    stsd = full(b"stsd", struct.pack(">I", 1) + entry)
    stts = full(b"stts", struct.pack(">III", 1, len(sizes), 1000))
    stsc = full(b"stsc", struct.pack(">IIII", 1, 1, per_chunk, 1))
    stsz = full(b"stsz", struct.pack(">II", 0, len(sizes)) + b"".join(struct.pack(">I", s) for s in sizes))
    code = ">Q" if co64 else ">I"
    table = struct.pack(">I", len(chunk_offsets)) + b"".join(struct.pack(code, o) for o in chunk_offsets)
    stco = full(b"co64" if co64 else b"stco", table)
    return box(b"stbl", stsd + stts + stsc + stsz + stco)


def trak(handler: bytes, stbl: bytes, udta: bytes = b"") -> bytes:
    tkhd = full(b"tkhd", bytes(80))
    mdhd = full(b"mdhd", struct.pack(">IIII", 0, 0, 1000, 1000) + b"\x55\xc4\0\0")
    hdlr = full(b"hdlr", b"\0" * 4 + handler + b"\0" * 12 + b"\0")
    dinf = box(b"dinf", full(b"dref", struct.pack(">I", 1) + full(b"url ", b"", flags=1)))
    minf = box(b"minf", full(b"vmhd", bytes(8)) + dinf + stbl)
    return box(b"trak", tkhd + box(b"mdia", mdhd + hdlr + minf) + (box(b"udta", udta) if udta else b""))


def visual_entry(fmt: bytes = b"avc1") -> bytes:
    return box(fmt, bytes(6) + struct.pack(">H", 1) + bytes(70))


def meta_entry(fmt: bytes) -> bytes:
    return box(fmt, bytes(6) + struct.pack(">H", 1))


def movie(major: bytes, mdat_payload: bytes, udta: bytes = b"", extra_moov: bytes = b"",
          gps_track: Optional[Tuple[bytes, List[bytes]]] = None, top_extra: bytes = b"",
          large_mdat: bool = False, moov_first: bool = False, per_chunk: int = 1, co64: bool = False) -> bytes:
    """ftyp, mdat (video samples, then any timed-metadata samples), moov (mvhd, video trak, udta, ...).

    ``gps_track`` = (sample entry format, [sample bytes]): a timed metadata track whose samples sit
    in the mdat right after the video payload, ``per_chunk`` samples to a chunk."""
    head = ftyp(major, major, b"isom")
    gps_samples = b"".join(gps_track[1]) if gps_track else b""
    mdat_header = 16 if large_mdat else 8

    def build(mdat_at: int) -> Tuple[bytes, bytes]:
        video_at = mdat_at + mdat_header
        video = trak(b"vide", sample_table(visual_entry(), [len(mdat_payload)], [video_at], 1))
        tracks = video
        if gps_track:
            fmt, samples = gps_track
            offsets, pos = [], video_at + len(mdat_payload)
            for i, s in enumerate(samples):
                if i % per_chunk == 0:
                    offsets.append(pos)
                pos += len(s)
            sizes = [len(s) for s in samples]
            tracks += trak(b"meta", sample_table(meta_entry(fmt), sizes, offsets, per_chunk, co64))
        mvhd = full(b"mvhd", bytes(96))
        moov = box(b"moov", mvhd + tracks + (box(b"udta", udta) if udta else b"") + extra_moov)
        mdat = box(b"mdat", mdat_payload + gps_samples, large=large_mdat)
        return moov, mdat

    if moov_first:
        moov, _ = build(0)
        moov, mdat = build(len(head) + len(top_extra) + len(moov))
        return head + top_extra + moov + mdat
    _, mdat = build(0)
    moov, mdat = build(len(head) + len(top_extra))
    return head + top_extra + mdat + moov


def gpmf_sample(lat: float, lon: float, alt: float) -> bytes:
    """A GoPro GPMF sample: DEVC > STRM > (SCAL, GPS5) with 5 int32 per fix."""
    def klv(key: bytes, typ: bytes, ssize: int, repeat: int, data: bytes) -> bytes:
        return struct.pack(">4scBH", key, typ, ssize, repeat) + data + bytes(-len(data) % 4)

    scal = klv(b"SCAL", b"l", 4, 5, struct.pack(">5i", 10_000_000, 10_000_000, 1000, 1000, 100))
    gps = klv(b"GPS5", b"l", 20, 1, struct.pack(">5i", round(lat * 1e7), round(lon * 1e7), round(alt * 1000), 0, 0))
    strm = klv(b"STRM", b"\0", 1, len(scal + gps), scal + gps)
    return klv(b"DEVC", b"\0", 1, len(strm), strm)


def camm_sample(lat: float, lon: float, alt: float) -> bytes:
    return struct.pack("<HHddd", 0, 5, lat, lon, alt)


# --- HEIF -----------------------------------------------------------------------------------------
def heif(items: Sequence[Tuple[int, bytes, str, bytes, int]], major: bytes = b"heic",
         split: Optional[dict] = None) -> bytes:
    """A HEIF file whose items are (id, item_type, content_type, data, construction_method).

    Items with method 0 go into mdat, method 1 into idat. iloc version 1, 4-byte offsets/lengths.
    ``split`` = {item_id: n}: that item is stored as n extents with 4 filler bytes ("PAD!") between."""
    split = split or {}
    infe = b"".join(full(b"infe", struct.pack(">HH4s", i, 0, t) + b"\0" + (c.encode() + b"\0" if c else b""), 2)
                    for i, t, c, _, _ in items)
    iinf = full(b"iinf", struct.pack(">H", len(items)) + infe)
    idat_payload = b"".join(d for *_, d, m in items if m == 1)
    idat = box(b"idat", idat_payload) if idat_payload else b""
    hdlr = full(b"hdlr", b"\0" * 4 + b"pict" + b"\0" * 12 + b"\0")
    pitm = full(b"pitm", struct.pack(">H", items[0][0]))

    def layout(mdat_body: int) -> Tuple[bytes, bytes]:
        entries, mdat, in_idat = b"", b"", 0
        for i, _, _, data, method in items:
            if method == 1:
                entries += struct.pack(">HHHHII", i, method, 0, 1, in_idat, len(data))
                in_idat += len(data)
                continue
            n = split.get(i, 1)
            step = -(-len(data) // n)
            pieces = [data[k:k + step] for k in range(0, len(data), step)] or [b""]
            entries += struct.pack(">HHHH", i, 0, 0, len(pieces))
            for k, piece in enumerate(pieces):
                if k:
                    mdat += b"PAD!"
                entries += struct.pack(">II", mdat_body + len(mdat), len(piece))
                mdat += piece
        iloc = full(b"iloc", bytes([0x44, 0x00]) + struct.pack(">H", len(items)) + entries, 1)
        return iloc, mdat

    head = ftyp(major, b"mif1", major)
    meta_len = len(full(b"meta", hdlr + pitm + layout(0)[0] + iinf + idat))
    iloc, mdat = layout(len(head) + meta_len + 8)
    return head + full(b"meta", hdlr + pitm + iloc + iinf + idat) + box(b"mdat", mdat)


def gps_tiff(lat: float, lon: float) -> bytes:
    """A little-endian TIFF block with IFD0 = {Make, GPSInfo} and a GPS IFD (lat/lon as D/M/S)."""
    def dms(value: float) -> bytes:
        value = abs(value)
        d, m = int(value), int((value % 1) * 60)
        s = round(((value % 1) * 60 % 1) * 60 * 1000)
        return struct.pack("<6I", d, 1, m, 1, s, 1000)

    make = b"Testcam\0"
    ifd0_at, gps_at = 8, 8 + 2 + 2 * 12 + 4
    make_at = gps_at + 2 + 4 * 12 + 4
    lat_at = make_at + len(make)
    lon_at = lat_at + 24
    ifd0 = struct.pack("<H", 2) + struct.pack("<HHII", 0x010F, 2, len(make), make_at)
    ifd0 += struct.pack("<HHII", 0x8825, 4, 1, gps_at) + bytes(4)
    gps = struct.pack("<H", 4)
    gps += struct.pack("<HHI4s", 1, 2, 2, (b"N" if lat >= 0 else b"S") + bytes(3))
    gps += struct.pack("<HHII", 2, 5, 3, lat_at)
    gps += struct.pack("<HHI4s", 3, 2, 2, (b"E" if lon >= 0 else b"W") + bytes(3))
    gps += struct.pack("<HHII", 4, 5, 3, lon_at) + bytes(4)
    assert ifd0_at + len(ifd0) == gps_at and gps_at + len(gps) == make_at
    return b"II*\x00" + struct.pack("<I", ifd0_at) + ifd0 + gps + make + dms(lat) + dms(lon)


def exif_item(tiff: bytes) -> bytes:
    return struct.pack(">I", 6) + b"Exif\0\0" + tiff


# --- JPEG XL --------------------------------------------------------------------------------------
JXL_SIGNATURE = b"\x00\x00\x00\x0cJXL \r\n\x87\n"


def jxl(*boxes: bytes, codestream: bytes = b"\xff\x0a" + bytes(30)) -> bytes:
    return JXL_SIGNATURE + ftyp(b"jxl ", b"jxl ") + b"".join(boxes) + box(b"jxlc", codestream)
