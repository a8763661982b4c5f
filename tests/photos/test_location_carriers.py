"""Issue 13, "location that still slips through": FLIR APP1 GPS, Darwin Core XMP, JPX XML boxes,
IPTC CreatorContactInfo, Panasonic/Casio maker-note places, JPEG XR, M2TS with a timecode, files a
folder run must not skip, XMP entities shown twice, and the manifest's record of every change.
Every fixture is a real file built from the format facts (tests/photos/location_build.py)."""

from __future__ import annotations

import struct
import xml.dom.minidom

import pytest

from digisafe.cli import main
from digisafe.photos.formats import walk_path
from digisafe.photos.scan import UNREADABLE, WITH_LOCATION, WITHOUT, scan_file
from digisafe.photos.strip import CLEANED, NOT_CLEANED, strip_file
from tests.photos import location_build as build
from tests.photos import photo_build


def run(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    out, err = capsys.readouterr()
    return exc.value.code, out, err


def stripped(src, tmp_path):
    out = tmp_path / "out" / src.name
    outcome = strip_file(src, out, hashes=True)
    return outcome, out


def assert_only_patched(src, out, outcome):
    """Same size; every changed byte lies inside a change the outcome records."""
    a, b = src.read_bytes(), out.read_bytes()
    assert len(a) == len(b)
    ranges = [(c["offset"], c["offset"] + c["length"]) for c in outcome.changes]
    changed = [i for i in range(len(a)) if a[i] != b[i]]
    assert changed, "the copy should differ"
    assert all(any(lo <= i < hi for lo, hi in ranges) for i in changed)


def assert_jpeg_image_same(src, out):
    assert photo_build.jpeg_scan(src.read_bytes()) == photo_build.jpeg_scan(out.read_bytes())


# --- FLIR -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("chunk", [200, 650, 100_000])  # 650: the GPS record straddles two segments
def test_flir_gps_found_and_blanked(tmp_path, chunk):
    src = build.flir_jpeg(tmp_path / "flir.jpg", chunk=chunk)
    record = scan_file(src, named=True)
    assert record.status == WITH_LOCATION
    assert record.coordinates() == [(pytest.approx(build.LAT), pytest.approx(build.LON))]
    assert any(i.carrier == "flir" for i in record.items)
    outcome, out = stripped(src, tmp_path)
    assert outcome.status == CLEANED, outcome.reason
    assert_only_patched(src, out, outcome)
    assert_jpeg_image_same(src, out)
    assert walk_path(out)[1].items == []
    assert struct.pack("<d", build.LAT) not in out.read_bytes()


def test_flir_without_gps_record_is_no_location(tmp_path):
    src = build.flir_jpeg(tmp_path / "flir.jpg", gps=False)
    assert scan_file(src, named=True).status == WITHOUT


def test_flir_invalid_position_not_reported_but_emptied(tmp_path):
    src = build.flir_jpeg(tmp_path / "flir.jpg", valid=0)
    kind, result = walk_path(src)
    assert result.items == [] and result.patches  # GPSValid 0: no position, the record is zeroed anyway


def test_flir_missing_chunk_fails_closed(tmp_path):
    src = build.flir_jpeg(tmp_path / "flir.jpg", chunk=200)
    data = src.read_bytes()
    second = data.index(b"FLIR\0\x01\x01")  # chunk number 1 renumbered 5: chunk 1 is missing
    src.write_bytes(data[:second + 6] + b"\x05" + data[second + 7:])
    assert scan_file(src, named=True).status == UNREADABLE
    outcome, out = stripped(src, tmp_path)
    assert outcome.status == NOT_CLEANED and "FLIR" in outcome.reason and not out.exists()


def test_flir_embedded_visual_jpeg_exif_gps(tmp_path):
    inner = tmp_path / "inner.jpg"
    photo_build.make_jpeg(inner, xmp=False, iptc=False)
    src = build.flir_jpeg(tmp_path / "flir.jpg", gps=False, embedded=inner.read_bytes(), chunk=60_000)
    record = scan_file(src, named=True)
    assert record.status == WITH_LOCATION and any(i.carrier == "exif-gps" for i in record.items)
    outcome, out = stripped(src, tmp_path)
    assert outcome.status == CLEANED and walk_path(out)[1].items == []


# --- XMP: Darwin Core, CreatorContactInfo, entities ------------------------------------------------
def xmp_of(path):
    data = path.read_bytes()
    start = data.index(b"<?xpacket begin")
    end = data.index(b"<?xpacket end", start)
    return data[start:data.index(b">", end) + 1]


@pytest.mark.parametrize("body,ns", [(build.DWC_BODY, build.DWC_NS), (build.DWC_TERMS, "")],
                         ids=["exiftool-struct", "dwc-terms-attributes"])
def test_darwin_core_location_removed(tmp_path, body, ns):
    packet = build.xmp_packet(body, ns) if ns else build.xmp_packet("", "").replace(
        b'<rdf:Description rdf:about="" ></rdf:Description>', body.encode())
    src = build.xmp_jpeg(tmp_path / "dwc.jpg", packet)
    record = scan_file(src, named=True)
    assert record.status == WITH_LOCATION
    assert "Hyde Park" in record.places() and "West Yorkshire" in record.places()
    outcome, out = stripped(src, tmp_path)
    assert outcome.status == CLEANED
    after = xmp_of(out)
    xml.dom.minidom.parseString(after)  # still well formed
    for text in (b"Hyde Park", b"West Yorkshire", b"53 48 03N", b"53.8008", b"Leeds", b"England"):
        assert text not in after
    assert b"Kept title" in after or b"Kept name" in after
    assert_only_patched(src, out, outcome)


def test_darwin_core_decimal_coordinates_reported(tmp_path):
    src = build.xmp_jpeg(tmp_path / "dwc.jpg", build.xmp_packet(build.DWC_BODY, build.DWC_NS))
    assert scan_file(src, named=True).coordinates() == [(53.8008, -1.5491)]


def test_creator_contact_address_removed_email_kept(tmp_path):
    src = build.xmp_jpeg(tmp_path / "c.jpg", build.xmp_packet(build.CREATOR_BODY, build.CREATOR_NS))
    record = scan_file(src, named=True)
    assert record.status == WITH_LOCATION
    assert {"1 Park Row", "Leeds", "LS1 5AB", "West Yorkshire", "United Kingdom"} <= set(record.places())
    outcome, out = stripped(src, tmp_path)
    after = xmp_of(out)
    xml.dom.minidom.parseString(after)
    assert b"Park Row" not in after and b"LS1" not in after and b"Leeds" not in after
    assert b"kept@example.org" in after


def test_creator_contact_attribute_form(tmp_path):
    body = ('<Iptc4xmpCore:CreatorContactInfo Iptc4xmpCore:CiAdrCity="Leeds" '
            'Iptc4xmpCore:CiAdrPcode="LS1 5AB" Iptc4xmpCore:CiUrlWork="https://example.org"/>')
    src = build.xmp_jpeg(tmp_path / "c.jpg", build.xmp_packet(body, build.CREATOR_NS))
    assert set(scan_file(src, named=True).places()) == {"Leeds", "LS1 5AB"}
    outcome, out = stripped(src, tmp_path)
    assert b"LS1" not in xmp_of(out) and b"https://example.org" in xmp_of(out)


def test_xmp_entities_decoded_and_shown_once(tmp_path):
    body = "<photoshop:City>St Mary&#39;s School</photoshop:City>"
    packet = build.xmp_packet(body, 'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"')
    jpeg = build.insert_segments(build.plain_jpeg(), build.app(0xE1, b"http://ns.adobe.com/xap/1.0/\0" + packet),
                                 photo_build.photoshop_app13(photo_build.iptc_block(b"St Mary's School")))
    src = tmp_path / "school.jpg"
    src.write_bytes(jpeg)
    places = scan_file(src, named=True).places()
    assert places.count("St Mary's School") == 1 and not any("&#" in p for p in places)


# --- JPEG 2000 XML ---------------------------------------------------------------------------------
@pytest.mark.parametrize("in_asoc", [False, True])
def test_jp2_xml_address_removed(tmp_path, in_asoc):
    pytest.importorskip("PIL.Jpeg2KImagePlugin")
    from PIL import features

    if not features.check("jpg_2000"):
        pytest.skip("Pillow without OpenJPEG")
    from PIL import Image

    src = build.jp2(tmp_path / "a.jp2", in_asoc=in_asoc)
    record = scan_file(src, named=True)
    assert record.status == WITH_LOCATION
    assert record.places() == ["1 Park Row, Leeds, LS1 5AB, GB"]
    outcome, out = stripped(src, tmp_path)
    assert outcome.status == CLEANED
    data = out.read_bytes()
    start = data.index(b"<?xml")
    doc = data[start:data.index(b"</CONTENT_DESCRIPTION>") + len(b"</CONTENT_DESCRIPTION>")]
    xml.dom.minidom.parseString(doc)
    assert b"Park Row" not in doc and b"LS1" not in doc and b"Kept caption" in doc and b"Kept thing" in doc
    with Image.open(src) as a, Image.open(out) as b:
        assert a.tobytes() == b.tobytes()
    assert_only_patched(src, out, outcome)


def _xml_place_patched(doc: bytes):
    """walk_xml_place's result and the document with its patches applied (checked to be well-formed XML)."""
    from digisafe.photos.xmlplace import walk_xml_place

    result = walk_xml_place(doc)
    new = bytearray(doc)
    for p in result.patches:
        new[p.offset:p.end] = p.data
    xml.dom.minidom.parseString(bytes(new))
    return result, bytes(new)


def test_xml_place_root_element_keeps_its_tags():
    doc = b"<LOCATION><CITY>Leeds</CITY></LOCATION>"
    result, new = _xml_place_patched(doc)
    assert b"Leeds" not in new and result.items[0].values == {"address": "Leeds"}


# --- maker notes ------------------------------------------------------------------------------------
def test_panasonic_makernote_places(tmp_path):
    src = build.makernote_jpeg(tmp_path / "p.jpg")
    record = scan_file(src, named=True)
    assert record.status == WITH_LOCATION
    assert record.places() == ["Park Row", "United Kingdom", "Leeds", "Town Hall"]  # "---" (unset): no place
    outcome, out = stripped(src, tmp_path)
    assert outcome.status == CLEANED
    data = out.read_bytes()
    assert b"Leeds" not in data and b"Town Hall" not in data and b"Park Row" not in data
    assert b"---" in data and b"0121" in data
    assert_only_patched(src, out, outcome)
    assert_jpeg_image_same(src, out)


def test_casio_hometown_city(tmp_path):
    src = build.casio_jpeg(tmp_path / "c.jpg")
    assert scan_file(src, named=True).places() == ["Leeds"]
    outcome, out = stripped(src, tmp_path)
    assert outcome.status == CLEANED and b"Leeds" not in out.read_bytes()


def test_nikon_location_info(tmp_path):
    src = build.nikon_jpeg(tmp_path / "n.jpg")
    record = scan_file(src, named=True)
    assert record.places() == ["GBR", "Leeds Town Hall"]
    outcome, out = stripped(src, tmp_path)
    assert outcome.status == CLEANED
    data = out.read_bytes()
    assert b"Leeds" not in data and b"GBR" not in data and b"0100\x01" in data and b"0211" in data
    assert_only_patched(src, out, outcome)


def test_other_makernote_untouched(tmp_path):
    src = build.makernote_jpeg(tmp_path / "p.jpg", header=b"Nikon\0\x02\x10\0\0")
    assert scan_file(src, named=True).status == WITHOUT


def test_flir_chunks_numbered_zero_are_joined_in_file_order(tmp_path):
    src = build.flir_jpeg(tmp_path / "flir.jpg", chunk=300)
    data = bytearray(src.read_bytes())
    pos = data.find(b"FLIR\0\x01")
    while pos >= 0:  # as some software writes them: every chunk number and count zero
        data[pos + 6:pos + 8] = b"\0\0"
        pos = data.find(b"FLIR\0\x01", pos + 1)
    src.write_bytes(bytes(data))
    assert scan_file(src, named=True).coordinates() == [(pytest.approx(build.LAT), pytest.approx(build.LON))]
    outcome, out = stripped(src, tmp_path)
    assert outcome.status == CLEANED
    assert_only_patched(src, out, outcome)


def test_darwin_core_iri_place(tmp_path):
    body = '<dwciri:inDescribedPlace rdf:resource="http://sws.geonames.org/2644688/"/><dc:title>Kept</dc:title>'
    ns = 'xmlns:dwciri="http://rs.tdwg.org/dwc/iri/" xmlns:dc="http://purl.org/dc/elements/1.1/"'
    src = build.xmp_jpeg(tmp_path / "d.jpg", build.xmp_packet(body, ns))
    assert "http://sws.geonames.org/2644688/" in scan_file(src, named=True).places()
    outcome, out = stripped(src, tmp_path)
    assert b"geonames" not in xmp_of(out) and b"Kept" in xmp_of(out)


def test_self_closing_location_elements_with_attributes(tmp_path):
    """<X attr="..."/> used to be taken for an unclosed element (the file was "could not be read")."""
    body = ('<Iptc4xmpExt:LocationCreated Iptc4xmpExt:City="Leeds" Iptc4xmpExt:CountryName="UK"/>'
            '<exif:GPSLatitude rdf:resource="urn:x"/><dc:title>Kept</dc:title>')
    ns = ('xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/" '
          'xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"')
    src = build.xmp_jpeg(tmp_path / "s.jpg", build.xmp_packet(body, ns))
    record = scan_file(src, named=True)
    assert record.status == WITH_LOCATION and {"Leeds", "UK"} <= set(record.places())
    outcome, out = stripped(src, tmp_path)
    after = xmp_of(out)
    xml.dom.minidom.parseString(after)
    assert b"Leeds" not in after and b"Kept" in after


def test_xml_place_self_closing_element():
    doc = b'<DOC><GPS LATITUDE="53.8" LONGITUDE="-1.5"/><NOTE>kept</NOTE></DOC>'
    result, new = _xml_place_patched(doc)
    assert b"53.8" not in new and b"kept" in new and result.items


def test_jxl_xml_box_with_plain_xml_address(tmp_path):
    from tests.photos import isobmff_build

    src = tmp_path / "a.jxl"
    src.write_bytes(isobmff_build.jxl(isobmff_build.box(b"xml ", build.JPX_ADDRESS)))
    record = scan_file(src, named=True)
    assert record.places() == ["1 Park Row, Leeds, LS1 5AB, GB"]
    outcome, out = stripped(src, tmp_path)
    assert outcome.status == CLEANED and b"Park Row" not in out.read_bytes()
    assert_only_patched(src, out, outcome)
