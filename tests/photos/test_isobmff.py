"""HEIC/HEIF/AVIF/CR3 location: Exif and XMP items found, GPS blanked in place, image items intact."""

from __future__ import annotations

import hashlib
import io
import struct
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, features
from PIL.TiffImagePlugin import IFDRational

from digisafe.photos.boxes import BoxReader
from digisafe.photos.heif_items import parse_iinf, parse_iloc
from digisafe.photos.isobmff import walk_isobmff
from tests.photos import isobmff_build as b
from tests.photos.test_video import apply, walk

pillow_heif = pytest.importorskip("pillow_heif")
pillow_heif.register_heif_opener()

LAT, LON, ALT = 51.5074, -0.1278, 35.5
XMP = ('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       '<rdf:Description rdf:about="" xmlns:exif="http://ns.adobe.com/exif/1.0/" '
       'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" exif:GPSLatitude="51,30.444N" '
       'photoshop:City="London" photoshop:Headline="Kept"/></rdf:RDF></x:xmpmeta>')


def dms(value: float):
    value = abs(value)
    d = int(value)
    m = int((value - d) * 60)
    s = Fraction((value - d - m / 60) * 3600).limit_denominator(10000)
    return (IFDRational(d, 1), IFDRational(m, 1), IFDRational(s.numerator, s.denominator))


def gps_exif(orientation: int = 6) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Testcam"
    exif[0x0112] = orientation
    exif[0x8825] = {1: "N", 2: dms(LAT), 3: "W", 4: dms(LON), 5: b"\x00", 6: IFDRational(71, 2)}
    return exif.tobytes()


def photo(fmt: str, **extra) -> bytes:
    im = Image.new("RGB", (64, 48))
    im.putdata([(x * 4, y * 5, (x * y) % 256) for y in range(48) for x in range(64)])
    out = io.BytesIO()
    im.save(out, format=fmt, exif=gps_exif(), **extra)
    return out.getvalue()


def item_hashes(data: bytes) -> dict:
    """SHA-256 of every non-metadata item's bytes, found through our own iinf/iloc parser."""
    reader = BoxReader(io.BytesIO(data), len(data), "test")
    meta = next(x for x in reader.boxes(0, len(data), "file") if x.type == b"meta")
    kids = {c.type: c for c in reader.children(meta, 4)}
    items = parse_iinf(reader, kids[b"iinf"])
    parse_iloc(reader, kids[b"iloc"], items)
    return {i.id: hashlib.sha256(b"".join(data[o:o + n] for o, n in i.extents)).hexdigest()
            for i in items.values() if not i.kind and i.method == 0}


def check_stripped(data: bytes):
    result = walk(data)
    assert not result.doubts, result.doubts
    cleaned = apply(data, result)
    again = walk(cleaned)
    assert again.items == [] and again.doubts == []
    assert item_hashes(cleaned) == item_hashes(data) and item_hashes(data)
    return result, cleaned


def decoded(data: bytes):
    im = Image.open(io.BytesIO(data))
    im.load()
    return im


@pytest.mark.parametrize("fmt", ["HEIF", "AVIF"])
def test_pillow_photo_gps_found_stripped_and_still_decodes(fmt):
    if fmt == "AVIF" and not features.check("avif"):
        pytest.skip("this Pillow cannot write AVIF")
    data = photo(fmt)
    result, cleaned = check_stripped(data)
    [item] = result.items
    assert item.carrier == "exif-gps" and item.where.startswith("HEIF Exif item")
    assert item.values["latitude"] == pytest.approx(LAT, abs=1e-6)
    assert item.values["longitude"] == pytest.approx(LON, abs=1e-6)
    assert item.values["altitude"] == pytest.approx(ALT)
    before, after = decoded(data), decoded(cleaned)
    assert after.tobytes() == before.tobytes() and after.size == before.size
    exif = after.getexif()
    assert not exif.get_ifd(0x8825)  # the GPS IFD is now empty
    assert walk(cleaned).info["make"] == "Testcam"


def test_heic_orientation_kept_and_xmp_item_blanked():
    data = photo("HEIF", xmp=XMP.encode())
    result, cleaned = check_stripped(data)
    kinds = sorted(i.carrier for i in result.items)
    assert kinds == ["exif-gps", "xmp"]
    xmp = next(i for i in result.items if i.carrier == "xmp")
    assert xmp.values["latitude"] == pytest.approx(LAT, abs=1e-4) and xmp.values["City"] == "London"
    assert b"London" not in cleaned and b'photoshop:Headline="Kept"' in cleaned
    # pillow-heif turns EXIF orientation into the transform; the raw EXIF tag is still 6.
    exif = Image.Exif()
    exif.load(pillow_heif.open_heif(io.BytesIO(cleaned)).info["exif"])
    assert exif[0x0112] == 6


def test_idat_item_split_over_two_extents():
    tiff = b.gps_tiff(48.8584, 2.2945)
    payload = b.exif_item(tiff)
    image = bytes(range(200))
    data = b.heif([(1, b"hvc1", "", image, 0), (2, b"Exif", "", payload, 1)])
    result, cleaned = check_stripped(data)
    assert result.items[0].values["latitude"] == pytest.approx(48.8584, abs=1e-3)
    assert all(p.offset < data.index(b"mdat") for p in result.patches)  # inside idat, in meta
    # The same Exif item in mdat, in three extents with filler between them.
    split = b.heif([(1, b"hvc1", "", image, 0), (2, b"Exif", "", payload, 0)], split={2: 3})
    assert split.count(b"PAD!") == 2
    result = walk(split)
    assert not result.doubts and result.items[0].values["longitude"] == pytest.approx(2.2945, abs=1e-3)
    cleaned = apply(split, result)
    assert walk(cleaned).items == [] and cleaned.count(b"PAD!") == 2 and cleaned.count(image) == 1
    changed = {i for i in range(len(split)) if split[i] != cleaned[i]}
    pads = {split.index(b"PAD!") + k for k in range(4)} | {split.rindex(b"PAD!") + k for k in range(4)}
    assert changed and not changed & pads


def test_metadata_extent_overlapping_image_data_is_a_doubt():
    tiff = b.gps_tiff(10.0, 20.0)
    data = b.heif([(1, b"hvc1", "", b.exif_item(tiff) + bytes(50), 0), (2, b"Exif", "", b.exif_item(tiff), 0)])
    # Point the Exif item at the image item's bytes.
    result = walk(_point_item2_at_item1(data))
    assert any("overlap image data" in d for d in result.doubts) and result.patches == []


def _point_item2_at_item1(data: bytes) -> bytes:
    at = data.index(b"iloc") + 4 + 4 + 2 + 2
    first_off = data[at + 8:at + 12]
    second = at + 16
    return data[:second + 8] + first_off + data[second + 12:]


def test_external_or_compressed_metadata_items_are_doubts():
    tiff = b.gps_tiff(10.0, 20.0)
    compressed = b.heif([(1, b"hvc1", "", bytes(10), 0),
                         (2, b"mime", "application/rdf+xml\0deflate", b"x\x9c...", 0)])
    assert any("compressed" in d for d in walk(compressed).doubts)
    external = b.heif([(1, b"hvc1", "", bytes(10), 0), (2, b"Exif", "", b.exif_item(tiff), 0)])
    at = external.index(b"iloc") + 4 + 4 + 2 + 2 + 16 + 4  # item 2: id, method, data_ref
    external = external[:at] + struct.pack(">H", 1) + external[at + 2:]
    assert any("external" in d for d in walk(external).doubts)


def test_cr3_cmt4_gps_ifd():
    canon = bytes.fromhex("85C0B687820F11E08111F4CE462B6A48")
    cmt1 = b"II*\x00\x08\x00\x00\x00" + struct.pack("<H", 1) + struct.pack("<HHI4s", 0x0112, 3, 1, b"\x06\0\0\0")
    cmt1 += bytes(4)
    gps = b.gps_tiff(35.6586, 139.7454)
    # CMT4 is a TIFF block whose first IFD is the GPS IFD: reuse gps_tiff's GPS IFD as IFD0.
    gps_ifd_at = struct.unpack("<I", gps[30:34])[0]  # IFD0 entry 2 (GPSInfo) value
    cmt4 = gps[:4] + struct.pack("<I", gps_ifd_at) + gps[8:]
    moov_uuid = b.box(b"uuid", canon + b.box(b"CMT1", cmt1) + b.box(b"CMT4", cmt4))
    data = b.movie(b"crx ", bytes(300), extra_moov=moov_uuid)
    result = walk(data)
    [item] = result.items
    assert result.doubts == []  # regression: the shim's own rewrite used to be a doubt (every CR3 NOT cleaned)
    assert item.where.startswith("CR3 CMT4") and item.values["latitude"] == pytest.approx(35.6586, abs=1e-3)
    cleaned = apply(data, result)
    assert walk(cleaned).items == [] and cleaned.count(cmt1) == 1  # CMT1 (orientation) untouched


def test_hand_built_iinf_versions_and_iloc_version_2():
    data = b.heif([(1, b"hvc1", "", bytes(8), 0), (2, b"Exif", "", b.exif_item(b.gps_tiff(1.5, 2.5)), 0)])
    assert walk_isobmff(io.BytesIO(data), len(data)).items[0].values["latitude"] == pytest.approx(1.5, abs=1e-3)


def test_jpeg_coded_item_with_its_own_exif():
    jpeg = io.BytesIO()
    Image.new("RGB", (16, 16), (9, 99, 199)).save(jpeg, format="JPEG", exif=gps_exif())
    data = b.heif([(1, b"jpeg", "", jpeg.getvalue(), 0)])
    result = walk(data)
    assert result.items and result.items[0].values["latitude"] == pytest.approx(LAT, abs=1e-6)
    cleaned = apply(data, result)
    assert walk(cleaned).items == []
    start = cleaned.index(b"\xff\xd8\xff")
    after = Image.open(io.BytesIO(cleaned[start:start + len(jpeg.getvalue())]))
    assert after.tobytes() == Image.open(jpeg).tobytes() and after.getexif()[0x0112] == 6


# --- regressions found by fuzzing (tests/photos/test_isobmff_fuzz.py): both used to give a copy
# that then failed verification; now the first walk says why it cannot clean the file.
def test_gps_value_pointing_into_the_tiff_header_is_a_doubt():
    tiff = bytearray(b.gps_tiff(48.8584, 2.2945))
    lat_entry = 8 + 2 + 2 * 12 + 4 + 2 + 12  # GPS IFD, second entry (GPSLatitude)
    tiff[lat_entry + 8:lat_entry + 12] = (2).to_bytes(4, "little")  # its 24 bytes now start in the header
    data = b.heif([(1, b"hvc1", "", bytes(64), 0), (2, b"Exif", "", b.exif_item(bytes(tiff)), 0)])
    assert any("TIFF header" in d for d in walk(data).doubts)


def test_exif_item_extents_overlapping_each_other_are_a_doubt():
    payload = b.exif_item(b.gps_tiff(48.8584, 2.2945))
    data = bytearray(b.heif([(1, b"hvc1", "", bytes(64), 0), (2, b"Exif", "", payload, 0)], split={2: 2}))
    at = bytes(data).index(b"iloc") + 4 + 4 + 2 + 2 + 16  # item 2's entry
    first_off = data[at + 8:at + 12]
    data[at + 16:at + 20] = first_off  # second extent = first extent's bytes again
    assert any("overlap each other" in d for d in walk(bytes(data)).doubts)


def _iloc_field_by_field(raw: bytes) -> dict:
    """The plain reading of an iloc payload (ISO 14496-12 8.11.3), one field at a time."""
    from digisafe.photos.types import PhotoError

    def uint(pos, size):
        if pos + size > len(raw):
            raise PhotoError("HEIF: iloc runs past its box")
        return (int.from_bytes(raw[pos:pos + size], "big") if size else 0), pos + size

    version = raw[0]
    off_size, len_size, base_size = raw[4] >> 4, raw[4] & 15, raw[5] >> 4
    index_size = raw[5] & 15 if version in (1, 2) else 0
    count, pos = uint(6, 2 if version < 2 else 4)
    out = {}
    for _ in range(count):
        item_id, pos = uint(pos, 2 if version < 2 else 4)
        method = 0
        if version in (1, 2):
            method, pos = uint(pos, 2)
            method &= 15
        data_ref, pos = uint(pos, 2)
        base, pos = uint(pos, base_size)
        n, pos = uint(pos, 2)
        extents = []
        for _ in range(n):
            _index, pos = uint(pos, index_size)
            off, pos = uint(pos, off_size)
            length, pos = uint(pos, len_size)
            extents.append((base + off, length))
        out[item_id] = (method, data_ref, extents)
    return out


@settings(max_examples=300, deadline=None)
@given(version=st.integers(0, 2), sizes=st.tuples(*[st.sampled_from([0, 4, 8])] * 4),
       body=st.binary(max_size=160), count=st.integers(0, 6))
def test_iloc_is_read_as_the_standard_says(version, sizes, body, count):
    """parse_iloc reads each item with one struct: the same items (or the same error) as reading it
    field by field."""
    from digisafe.photos.boxes import Box, BoxReader
    from digisafe.photos.types import PhotoError

    off_size, len_size, base_size, index_size = sizes
    head = bytes([version, 0, 0, 0, off_size << 4 | len_size, base_size << 4 | (index_size if version else 0)])
    raw = head + (count.to_bytes(2 if version < 2 else 4, "big")) + body
    data = struct.pack(">I", 8 + len(raw)) + b"iloc" + raw
    reader = BoxReader(io.BytesIO(data), len(data), "HEIF")
    try:
        expected = _iloc_field_by_field(raw)
    except PhotoError as exc:
        expected = str(exc)
    items: dict = {}
    try:
        parse_iloc(reader, Box(b"iloc", 0, 8, len(data)), items)
        got = {k: (v.method, v.data_ref, v.extents) for k, v in items.items()}
    except PhotoError as exc:
        got = str(exc)
    assert got == expected
