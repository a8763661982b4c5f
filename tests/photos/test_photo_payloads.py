"""The payload walkers on their own: XMP forms and encodings, IPTC, TIFF corner cases."""

from __future__ import annotations

import xml.dom.minidom

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from digisafe.photos.iptc import apply_patches, walk_iptc
from digisafe.photos.types import PhotoError
from digisafe.photos.xmp import walk_xmp
from tests.photos import photo_build as build

DJI = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
       b'<rdf:Description rdf:about="" xmlns:drone-dji="http://www.dji.com/drone-dji/1.0/" '
       b'xmlns:xmpDM="http://ns.adobe.com/xmp/1.0/DynamicMedia/" xmlns:tiff="http://ns.adobe.com/tiff/1.0/" '
       b"drone-dji:GpsLatitude='53.8008' drone-dji:GpsLongtitude='-1.5491' drone-dji:FlightYawDegree='12' "
       b'tiff:Make="DJI"><xmpDM:shotLocation>Leeds station</xmpDM:shotLocation>'
       b'</rdf:Description></rdf:RDF></x:xmpmeta>')


def _blanked(packet: bytes) -> tuple[bytes, object]:
    result = walk_xmp(packet, 1000)
    return apply_patches(packet, 1000, result.patches), result


@pytest.mark.parametrize("packet", [build.XMP, DJI])
def test_xmp_blanked_stays_well_formed_and_same_length(packet):
    after, result = _blanked(packet)
    assert len(after) == len(packet) and result.items
    xml.dom.minidom.parseString(after)  # still valid XML
    for gone in (b"Leeds", b"53,48", b"53.8008", b"-1.5491", b"Park Row", b"GpsLongtitude"):
        assert gone not in after
    for kept in (b"Kept title", b"Holiday", b"FlightYawDegree", b"DJI"):
        assert kept in after or kept not in packet


def test_xmp_decimal_coordinates_reported():
    values = walk_xmp(build.XMP, 0).items[0].values
    assert values["latitude"] == pytest.approx(53.8008, abs=1e-3)
    assert values["longitude"] == pytest.approx(-1.5491, abs=1e-3)
    assert values["City"] == "Leeds"


@pytest.mark.parametrize("codec", ["utf-16-be", "utf-16-le"])
def test_utf16_xmp(codec):
    packet = build.XMP.decode("utf-8").encode(codec)
    after, result = _blanked(packet)
    assert result.items and len(after) == len(packet)
    text = after.decode(codec)
    assert "Leeds" not in text and "Kept title" in text
    xml.dom.minidom.parseString(text.lstrip("\ufeff").split("?>", 1)[1].rsplit("<?xpacket", 1)[0])


def test_iptc_datasets_removed_and_rest_kept():
    block = build.iptc_block() + bytes(6)
    result = walk_iptc(block, 50)
    after = apply_patches(block, 50, result.patches)
    assert len(after) == len(block)
    assert b"Leeds" not in after and b"United Kingdom" not in after
    assert b"Title kept" in after and b"Caption" in after and after.endswith(bytes(6))
    assert result.items[0].values == {"city": "Leeds", "country": "United Kingdom"}


def test_unclosed_location_element_is_an_error():
    from digisafe.photos.types import PhotoError

    with pytest.raises(PhotoError):
        walk_xmp(b'<x:xmpmeta xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"><photoshop:City>Leeds', 0)


@pytest.mark.parametrize("text", [
    b'{"location": "Salem, Oregon"}',
    b'{"title": "x", "location": "Salem, Oregon", "n": 1}',
    b'{"exif:GPSLatitude": "39,21.102N", "exif:GPSLongitude": -122.5, "dc:title": "kept"}',
])
def test_json_location_members_removed_json_stays_valid(text):
    import json

    from digisafe.photos.jsonloc import walk_json_location

    result = walk_json_location(text, 0, "C2PA")
    after = apply_patches(text, 0, result.patches)
    assert result.items and len(after) == len(text)
    data = json.loads(after)
    assert not any(k.lower().endswith(("location", "latitude", "longitude")) for k in data)
    assert set(data) == {k for k in json.loads(text) if not k.lower().endswith(("location", "latitude", "longitude"))}


@pytest.mark.parametrize("order", ["ALx", "xAL", "AxL", "LAG", "xAGL"])
def test_json_neighbouring_members(order):
    import json

    from digisafe.photos.jsonloc import walk_json_location

    members = {"A": '"city": "Leeds"', "L": '"latitude": 53.8', "G": '"gpsAltitude": 12', "x": '"kept": 1'}
    text = ("{" + ", ".join(members[c] for c in order) + "}").encode()
    after = apply_patches(text, 0, walk_json_location(text, 0, "C2PA").patches)
    assert json.loads(after) == ({"kept": 1} if "x" in order else {})


_XMP_NAMES = ["City", "Country", "GPSLatitude", "gpsAltitude", "Gps.x", "decimalLatitude", "Longtitude", "title",
              "Headline", "CityX", "My-City", "city", "locality", "Location", "about", "li", "Description", "Bag",
              "resource", "parseType", "CiAdrCity", "spatial", "x1", "_City", "My.Latitude"]
_XMP_PREFIXES = ["photoshop", "exif", "dc", "rdf", "x", "xmlns", "dwc", "Iptc4xmpCore", "foo", "a.b", "xml"]
_XMP_BITS = st.one_of(
    st.builds(lambda p, n: f"<{p}:{n}>".encode(), st.sampled_from(_XMP_PREFIXES), st.sampled_from(_XMP_NAMES)),
    st.builds(lambda p, n: f"</{p}:{n}>".encode(), st.sampled_from(_XMP_PREFIXES), st.sampled_from(_XMP_NAMES)),
    st.builds(lambda p, n, v: f' {p}:{n}="{v}"'.encode(), st.sampled_from(_XMP_PREFIXES),
              st.sampled_from(_XMP_NAMES), st.sampled_from(["Leeds", "53,48.0N", "", "a b"])),
    st.sampled_from([b"<rdf:Description", b"/>", b">", b" ", b"\"", b"'", b":", b"::City", b"xmlns:photoshop=\""
                     b"http://ns.adobe.com/photoshop/1.0/\"", b"xmlns:dwc='http://rs.tdwg.org/dwc/terms/'",
                     b"Leeds", b"\n"]),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_XMP_BITS, max_size=30))
@example([b"<rdf:Description", b" xmlns:dwc='http://rs.tdwg.org/dwc/terms/'", b">", b"<dwc:locality>", b"Leeds",
          b"</dwc:locality>"])
@example([b"<rdf:Description", b' foo:My.Latitude="53.8"', b"/>"])
def test_xmp_packets_skipped_by_the_name_check_are_exactly_those_without_location(bits):
    """walk_xmp skips a packet in which no local name could be location (xmp._may_hold_location):
    the result must be the one the full walk gives."""
    from unittest import mock

    from digisafe.photos import xmp

    raw = b"".join(bits)

    def outcome():
        try:
            found = xmp.walk_xmp(raw, 7)
        except PhotoError as exc:
            return str(exc)
        return ([(i.where, dict(i.values)) for i in found.items], [(p.offset, p.data, p.what) for p in found.patches],
                found.doubts)

    quick = outcome()
    with mock.patch.object(xmp, "_may_hold_location", lambda _raw: True):
        assert outcome() == quick
    if not xmp._may_hold_location(raw):
        assert quick == ([], [], [])
