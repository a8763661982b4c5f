"""JPEG specifics, with real files made at test time: extended XMP, MPF images and trailers, the
quick overview, and the in-memory walk against the file-view walk."""

from __future__ import annotations

import hashlib

from digisafe.photos.formats import walk_path
from digisafe.photos.strip import CLEANED, strip_file
from tests.photos import photo_build as build


def test_extended_xmp_is_blanked_and_rekeyed(tmp_path):
    import struct

    ext_packet = build.XMP.replace(b"Holiday", b"Ext")
    guid = hashlib.md5(ext_packet).hexdigest().upper().encode()  # noqa: S324
    main = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            b'<rdf:Description rdf:about="" xmlns:xmpNote="http://ns.adobe.com/xmp/note/" xmpNote:HasExtendedXMP="'
            + guid + b'"/></rdf:RDF></x:xmpmeta>')
    segs = b""
    ident = b"http://ns.adobe.com/xmp/extension/\0"
    for off in range(0, len(ext_packet), 300):
        body = ident + guid + struct.pack(">II", len(ext_packet), off) + ext_packet[off:off + 300]
        segs += b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body
    xmp_body = b"http://ns.adobe.com/xap/1.0/\0" + main
    segs = b"\xff\xe1" + struct.pack(">H", len(xmp_body) + 2) + xmp_body + segs
    base = build.make_jpeg(tmp_path / "base.jpg", xmp=False, iptc=False)
    src = tmp_path / "ext.jpg"
    src.write_bytes(build.insert_after_soi(base.read_bytes(), segs))
    found = walk_path(src)[1]
    assert any("extended" in i.where for i in found.items)
    out = tmp_path / "out.jpg"
    assert strip_file(src, out).status == CLEANED
    data = out.read_bytes()
    assert guid not in data
    new_guid = data[data.index(b"HasExtendedXMP=\"") + 16:][:32]
    # reassemble: the new GUID is the MD5 of the new packet, as readers check
    chunks, pos = {}, 0
    while True:
        pos = data.find(ident, pos)
        if pos < 0:
            break
        seg_len = int.from_bytes(data[pos - 2:pos], "big")
        assert data[pos + len(ident):pos + len(ident) + 32] == new_guid
        off = int.from_bytes(data[pos + len(ident) + 36:pos + len(ident) + 40], "big")
        chunks[off] = data[pos + len(ident) + 40:pos - 2 + seg_len]
        pos += 1
    packet = b"".join(chunks[k] for k in sorted(chunks))
    assert hashlib.md5(packet).hexdigest().upper().encode() == new_guid  # noqa: S324
    assert b"Leeds" not in packet and b"Ext" in packet

def test_mpf_secondary_image_and_trailer_are_cleaned(tmp_path):
    first = build.make_jpeg(tmp_path / "1.jpg", xmp=False, iptc=False).read_bytes()
    second = build.make_jpeg(tmp_path / "2.jpg", xmp=True, iptc=False).read_bytes()
    src = tmp_path / "multi.jpg"
    src.write_bytes(first + second + b"junk trailer")
    found = walk_path(src)[1]
    assert len([i for i in found.items if i.carrier == "exif-gps"]) == 2
    out = tmp_path / "clean.jpg"
    assert strip_file(src, out).status == CLEANED
    assert b"Leeds" not in out.read_bytes()
    assert walk_path(out)[1].items == []

def test_afcp_trailer_iptc_is_blanked(tmp_path):
    import struct

    jpeg = build.make_jpeg(tmp_path / "a.jpg", xmp=False, iptc=False).read_bytes()
    iptc = build.iptc_block()
    start = len(jpeg)
    header = b"AXS!" + struct.pack(">HH", 1, 1) + bytes(4)
    iptc_at = start + 12 + 12
    afcp = header + b"IPTC" + struct.pack(">II", len(iptc), iptc_at) + iptc
    src = tmp_path / "afcp.jpg"
    src.write_bytes(jpeg + afcp + b"AXS!" + struct.pack(">I", start) + bytes(4))
    found = walk_path(src)[1]
    assert any(i.where.startswith("AFCP") and i.values.get("city") == "Leeds" for i in found.items)
    out = tmp_path / "o.jpg"
    assert strip_file(src, out).status == CLEANED
    assert b"Leeds" not in out.read_bytes() and b"Caption" in out.read_bytes()

def test_quick_mode_follows_the_mpf_index(tmp_path):
    import io
    import struct

    from digisafe.photos.jpeg import walk_jpeg

    first = build.make_jpeg(tmp_path / "1.jpg", gps=False, xmp=False, iptc=False).read_bytes()
    second = build.make_jpeg(tmp_path / "2.jpg", xmp=False, iptc=False).read_bytes()

    def app2(second_offset: int) -> bytes:
        ifd = struct.pack("<H", 1) + struct.pack("<HHII", 0xB002, 7, 32, 8 + 18) + bytes(4)
        entries = struct.pack("<IIIHH", 0x20030000, len(first), 0, 0, 0)
        entries += struct.pack("<IIIHH", 0, len(second), second_offset, 0, 0)
        body = b"MPF\0" + b"II*\0" + struct.pack("<I", 8) + ifd + entries
        return b"\xff\xe2" + struct.pack(">H", len(body) + 2) + body

    size = len(app2(0))
    mpf_tiff_at = 2 + 4 + 4  # SOI, APP2 marker+length, "MPF\0"
    data = build.insert_after_soi(first, app2(len(first) + size - mpf_tiff_at)) + second
    quick = walk_jpeg(io.BytesIO(data), len(data), quick=True)
    full = walk_jpeg(io.BytesIO(data), len(data))
    assert [i.carrier for i in quick.items] == ["exif-gps"] and "MPF" in quick.items[0].where
    assert [i.carrier for i in full.items] == ["exif-gps"]

def test_jpeg_read_whole_and_through_a_file_view_agree(tmp_path, monkeypatch):
    """A JPEG up to jpeg.IN_MEMORY is read in one go and walked in memory; a bigger one through a
    FileView, searched in chunks. Both must find the same (embedded images and trailers included,
    an embedded JPEG that starts FF D8 FF D8 FF, and one across a chunk border)."""
    import io

    from digisafe.photos import jpeg

    first = build.make_jpeg(tmp_path / "1.jpg", xmp=False, iptc=False).read_bytes()
    second = build.make_jpeg(tmp_path / "2.jpg", xmp=True, iptc=True).read_bytes()
    third = build.make_jpeg(tmp_path / "3.jpg", xmp=False, iptc=False, orientation=3).read_bytes()
    data = first + b"\xff\xd8" + second + b"pad" * 700 + third + b"junk trailer"
    at_third = data.index(third, len(first))
    monkeypatch.setattr(jpeg, "CHUNK", at_third + 1)  # the third SOI straddles a chunk border

    def walk(limit: int):
        monkeypatch.setattr(jpeg, "IN_MEMORY", limit)
        found = jpeg.walk_jpeg(io.BytesIO(data), len(data))
        return ([(i.where, dict(i.values)) for i in found.items], [(p.offset, p.data) for p in found.patches],
                found.doubts)

    whole, viewed = walk(len(data)), walk(0)
    assert whole == viewed
    wheres = [w for w, _v in whole[0]]
    assert any(f"JPEG at {len(first)}" in w for w in wheres)  # (FF D8 FF D8 FF: walked from the first)
    assert any(f"JPEG at {at_third}" in w for w in wheres)
    assert len([w for w in wheres if "GPS" in w]) == 3
