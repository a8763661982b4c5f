"""XMP walker: finds GPS and place properties and blanks them with same-length whitespace.

Both forms are handled: attributes (``exif:GPSLatitude="51,30.0N"``) and elements
(``<photoshop:City>Leeds</photoshop:City>``, structures such as ``Iptc4xmpExt:LocationCreated``).
The whole attribute or element, tags included, becomes spaces, which is valid XML whitespace, so the
packet keeps its length and stays well formed. ``base`` is the file offset of ``data[0]``.
"""

from __future__ import annotations

import re
import struct

from digisafe.photos.types import LocationItem, Patch, PhotoError, WalkResult

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 3 ms of a photo scan's start-up)
if TYPE_CHECKING:
    from digisafe.photos.view import Data

NS_PHOTOSHOP = b"http://ns.adobe.com/photoshop/1.0/"
NS_IPTC_CORE = b"http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"
NS_IPTC_EXT = b"http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
NS_DWC = b"http://rs.tdwg.org/dwc/terms/"
NS_DWC_EXIFTOOL = b"http://rs.tdwg.org/dwc/index.htm"  # (the URI exiftool writes for the dwc prefix)
NS_DWC_IRI = b"http://rs.tdwg.org/dwc/iri/"  # (the same terms with IRI values, e.g. dwciri:inDescribedPlace)
NS_DCTERMS = b"http://purl.org/dc/terms/"
NS_PHOTOMECH = b"http://ns.camerabits.com/photomechanic/1.0/"
# Darwin Core (biodiversity records) location terms: dcterms:Location and its members.
DWC_PLACE = {b"dctermsLocation", b"Location", b"location", b"locality", b"verbatimLocality", b"country",
             b"countryCode", b"stateProvince", b"county", b"municipality", b"continent", b"waterBody",
             b"islandGroup", b"island", b"decimalLatitude", b"decimalLongitude", b"verbatimCoordinates",
             b"verbatimLatitude", b"verbatimLongitude", b"verbatimCoordinateSystem", b"verbatimSRS",
             b"coordinateUncertaintyInMeters", b"coordinatePrecision", b"pointRadiusSpatialFit",
             b"footprintWKT", b"footprintSRS", b"footprintSpatialFit", b"geodeticDatum", b"locationID",
             b"higherGeography", b"higherGeographyID", b"locationRemarks", b"locationAccordingTo",
             b"georeferenceRemarks", b"georeferenceSources", b"georeferenceProtocol", b"georeferencedBy",
             b"georeferencedDate", b"georeferenceVerificationStatus", b"verbatimElevation",
             b"minimumElevationInMeters", b"maximumElevationInMeters", b"verbatimDepth",
             b"minimumDepthInMeters", b"maximumDepthInMeters", b"minimumDistanceAboveSurfaceInMeters",
             b"maximumDistanceAboveSurfaceInMeters", b"verticalDatum"}
# IPTC Core CreatorContactInfo: the creator's (often a home or studio) postal address.
CREATOR_ADDRESS = {b"CiAdrCity", b"CiAdrExtadr", b"CiAdrRegion", b"CiAdrPcode", b"CiAdrCtry"}
# Place properties that only mean "location" in their own namespace.
PLACE_NAMES = {
    NS_PHOTOSHOP: {b"City", b"State", b"Country"},
    NS_IPTC_CORE: {b"Location", b"CountryCode"} | CREATOR_ADDRESS,
    NS_IPTC_EXT: {b"LocationCreated", b"LocationShown"},
    NS_PHOTOMECH: {b"City", b"State", b"Country", b"CountryCode", b"Location", b"Sublocation"},
    NS_DWC: DWC_PLACE,
    NS_DWC_EXIFTOOL: DWC_PLACE,
    NS_DWC_IRI: DWC_PLACE | {b"inDescribedPlace"},
    NS_DCTERMS: {b"Location", b"spatial"},
}
# Used when a packet uses a well-known prefix without declaring its namespace.
PREFIX_FALLBACK = {b"photoshop": NS_PHOTOSHOP, b"Iptc4xmpCore": NS_IPTC_CORE, b"Iptc4xmpExt": NS_IPTC_EXT,
                   b"dwc": NS_DWC, b"dcterms": NS_DCTERMS}
# In any namespace (exif, drone-dji, Camera, GPano, tiff, vendor): GPS*, *Latitude, *Longitude.
# NOTE: DJI writes "GpsLongtitude" (sic): caught too. (Tests on bytes, not a pattern to compile at start-up:
# the same as ^(?:gps|GPS|Gps)|[Ll]atitude|[Ll]ongt?itude.)
GPS_PREFIXES = (b"gps", b"GPS", b"Gps")
LAT_LON = (b"Latitude", b"latitude", b"Longitude", b"longitude", b"Longtitude", b"longtitude")
# Place names that mean location whatever the namespace (xmpDM:shotLocation, MicrosoftPhoto, vendor).
PLACE_ANYWHERE = {b"City", b"Country", b"CountryName", b"CountryCode", b"State", b"ProvinceState",
                  b"Province", b"Sublocation", b"SubLocation", b"Location", b"LocationName", b"LocationShown",
                  b"LocationCreated", b"shotLocation", b"LocationDisplayName", b"WorldRegion"}
# GPS properties that say nothing about where: gps, GPS or Gps and one of these.
NOT_A_POSITION = frozenset("Version VersionID Altitude AltitudeRef TimeStamp DateStamp DateTime MapDatum Speed "
                           "SpeedRef Track TrackRef ImgDirection ImgDirectionRef DOP MeasureMode Status Satellites "
                           "Differential HPositioningError ProcessingMethod DestBearing DestBearingRef DestDistance "
                           "DestDistanceRef LatitudeRef LongitudeRef".split())
XMLNS = re.compile(rb"""xmlns:([A-Za-z_][\w.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
QNAME = rb"([A-Za-z_][\w.-]*):([A-Za-z_][\w.-]*)"
# NOTE: real packets (and hostile ones) may omit the space between attributes (``about=""exif:GPS..``);
# a quote before the name is accepted too, else the re-walk of the cleaned copy may see what we missed.
ATTRIBUTE = re.compile(rb"""(?<=[\s"'])""" + QNAME + rb"""\s*=\s*(?:"[^"]*"|'[^']*')""")
START_TAG = re.compile(rb"<" + QNAME + rb"""(?:\s(?:[^>"']|"[^"]*"|'[^']*')*)?(/?)>""")
TAGS = re.compile(rb"<[^>]*>")
MAX_XMP = 64 * 1024 * 1024
BLANK = bytes(b if b in (0x0A, 0x0D) else 0x20 for b in range(256))  # line ends kept, all else a space


# Every local name _is_location accepts in some namespace (with _generic): see _may_hold_location.
ANY_PLACE_NAME = frozenset(PLACE_ANYWHERE | CREATOR_ADDRESS | set().union(*PLACE_NAMES.values()))
LOCAL_NAME = re.compile(rb":([A-Za-z_][\w.-]*)")


def _generic(local: bytes) -> bool:
    """In any namespace (exif, drone-dji, Camera, GPano, tiff, vendor): GPS*, *Latitude, *Longitude."""
    return local.startswith(GPS_PREFIXES) or any(word in local for word in LAT_LON)


def _may_hold_location(raw: bytes) -> bool:
    """False only if no element or attribute of ``raw`` can be location, whatever its namespace.

    The local name in a START_TAG or ATTRIBUTE match follows a colon and runs as far as name
    characters go (a space, "/", ">" or "=" must come next), so it is one of the names found here;
    and _is_location accepts only names in ANY_PLACE_NAME or _generic ones. A packet with none
    of them (every cleaned copy, most packets without location) needs no further look."""
    names = set(LOCAL_NAME.findall(raw))
    if not names.isdisjoint(ANY_PLACE_NAME):
        return True
    # (_generic on every name at once: names hold no line break, so a name starts after each "\n")
    lines = b"\n" + b"\n".join(names)
    return any(b"\n" + prefix in lines for prefix in GPS_PREFIXES) or any(word in lines for word in LAT_LON)


def _is_location(ns: dict[bytes, bytes], prefix: bytes, local: bytes) -> bool:
    if prefix in (b"xmlns", b"rdf", b"x", b"xml"):
        return False
    uri = ns.get(prefix, b"")
    if local in PLACE_NAMES.get(uri, ()):
        return True
    if not uri and prefix in PREFIX_FALLBACK and local in PLACE_NAMES[PREFIX_FALLBACK[prefix]]:
        return True
    return local in PLACE_ANYWHERE or local in CREATOR_ADDRESS or _generic(local)


def element_end(data: bytes, start: int, qname: bytes, kind: str = "XMP") -> int:
    """End offset of the element whose start tag ends at ``start`` (same-name nesting counted).

    ``kind`` names the document in errors ("XMP", or "XML" for xmlplace's plain XML)."""
    pattern = re.compile(rb"<(/?)" + re.escape(qname) + rb"(?=[\s/>])")
    depth, pos = 1, start
    while True:
        m = pattern.search(data, pos)
        if m is None:
            raise PhotoError(f"{kind}: element {qname.decode('ascii', 'replace')} is not closed")
        close = data.find(b">", m.end())
        if close < 0:
            raise PhotoError(f"{kind}: unterminated tag")
        if m.group(1):
            depth -= 1
            if depth == 0:
                return close + 1
        elif data[close - 1:close] != b"/":
            depth += 1
        pos = close + 1


LEAF = re.compile(rb"<" + QNAME + rb"(?:\s[^>]*)?>([^<]*)</\1:\2\s*>")
LEAF_ATTRIBUTE = re.compile(rb"""(?<=[\s"'])""" + QNAME + rb"""\s*=\s*(?:"([^"]*)"|'([^']*)')""")
DECIMAL = re.compile(r"[-+]?\d{1,3}(?:\.\d+)?")


def _display(local: bytes, raw: bytes) -> tuple[str, object]:
    text = TAGS.sub(b" ", raw).decode("utf-8", "replace")
    # (XML entities decoded: "St Mary&#39;s" is shown as "St Mary's", once)
    if "&" in text:  # (html.unescape changes nothing else; its entity table costs start-up time)
        import html

        text = html.unescape(text)
    text = " ".join(text.split())
    name = local.decode("ascii", "replace")
    m = re.fullmatch(r"(\d+),(\d+(?:\.\d+)?)(?:,(\d+(?:\.\d+)?))?([NSEW])", text)
    if m:  # XMP GPS coordinate "DDD,MM.mmmmR" or "DDD,MM,SSR"
        value = int(m.group(1)) + float(m.group(2)) / 60 + float(m.group(3) or 0) / 3600
        value = -value if m.group(4) in "SW" else value
        return ("latitude" if m.group(4) in "NS" else "longitude"), round(value, 7)
    lower = name.lower()
    if lower.endswith(("latitude", "longitude")) and not lower.startswith("verbatim") and DECIMAL.fullmatch(text):
        return ("latitude" if lower.endswith("latitude") else "longitude"), float(text)  # dwc:decimalLatitude
    return name, text[:200]


def _element_values(local: bytes, fragment: bytes) -> list[tuple[str, object]]:
    """What a location element holds: its leaf elements and attributes one by one (a structure
    such as dwc:dctermsLocation or Iptc4xmpExt:LocationCreated), else its whole text."""
    found = [_display(local if m.group(1) == b"rdf" else m.group(2), m.group(3)) for m in LEAF.finditer(fragment)]
    found += [_display(local if m.group(1) == b"rdf" else m.group(2), m.group(3) if m.group(3) is not None
                       else m.group(4))
              for m in LEAF_ATTRIBUTE.finditer(fragment)
              if m.group(1) not in (b"xmlns", b"rdf", b"xml") or m.group(2) == b"resource"]
    found = [(key, value) for key, value in found if value not in ("", None)]
    return found or [_display(local, fragment)]


def _not_a_position(key: str) -> bool:
    """A GPS property that says nothing about where (GPSAltitude, GPSTimeStamp, ...). (Keys are XML
    names or "latitude"/"longitude": no line break, which a "$" of a pattern would have allowed.)"""
    return key[:3] in ("gps", "GPS", "Gps") and key[3:] in NOT_A_POSITION


def _utf16_order(raw: bytes) -> str:
    """'>' or '<' when the packet is UTF-16 (big/little endian), else ''."""
    head = raw[:64]
    if head[:2] == b"\xfe\xff" or (len(head) > 3 and head[0] == 0 and head[1] != 0 and head[2] == 0):
        return ">"
    if head[:2] == b"\xff\xfe" and head[2:4] != b"\0\0" or (len(head) > 3 and head[0] != 0 and head[1] == 0
                                                            and head[2] != 0 and head[3] == 0):
        return "<"
    return ""


def _walk_utf16(raw: bytes, base: int, where: str, order: str) -> WalkResult:
    # NOTE: UTF-16 XMP exists (exiftool's own XMP.jpg). Walk a one-byte-per-code-unit copy (non-ASCII
    # becomes "?": names and markup are ASCII) and scale the patches back to two bytes per unit.
    units = struct.unpack(f"{order}{len(raw) // 2}H", raw[: len(raw) // 2 * 2])
    narrow = bytes(u if u < 128 else 63 for u in units)
    found = walk_xmp(narrow, 0, where=f"{where} (UTF-16)")
    patches = []
    for p in found.patches:
        wide = b"".join(struct.pack(f"{order}H", b) for b in p.data)
        patches.append(Patch(base + 2 * p.offset, wide, p.what))
    found.patches = patches
    return found


def walk_xmp(data: Data, base: int = 0, where: str = "XMP") -> WalkResult:
    """Find and blank location properties in one XMP packet (bytes at file offset ``base``)."""
    if len(data) > MAX_XMP:
        raise PhotoError(f"{where}: XMP packet too large ({len(data)} bytes)")
    raw = bytes(data[0:len(data)])
    wide = _utf16_order(raw)
    if wide:
        return _walk_utf16(raw, base, where, wide)
    result = WalkResult()
    if b"\0\0" in raw[:64]:
        result.doubt(f"{where}: UTF-32 XMP is not supported")
        return result
    if not _may_hold_location(raw):
        return result
    ns = {}
    for m in XMLNS.finditer(raw):
        ns[m.group(1)] = m.group(2) if m.group(2) is not None else m.group(3)
    values: dict[str, object] = {}
    spans: list[tuple[int, int]] = []
    pos = 0
    while True:
        m = START_TAG.search(raw, pos)
        if m is None:
            break
        # NOTE: the attribute part of START_TAG can swallow the "/" of "/>": test the end itself
        # (a self-closing element with attributes, e.g. rdf:resource="...", is not left open)
        prefix, local, empty = m.group(1), m.group(2), m.group(0).endswith(b"/>")
        if _is_location(ns, prefix, local):
            end = m.end() if empty else element_end(raw, m.end(), prefix + b":" + local)
            for key, value in _element_values(local, raw[m.start():end]):
                values.setdefault(key, value)
            spans.append((m.start(), end))
            pos = end
            continue
        # attributes of this (kept) tag
        for a in ATTRIBUTE.finditer(raw, m.start(), m.end()):
            if _is_location(ns, a.group(1), a.group(2)):
                inner = a.group(0).split(b"=", 1)[1].strip()[1:-1]
                key, value = _display(a.group(2), inner)
                values.setdefault(key, value)
                spans.append((a.start(), a.end()))
        pos = m.end()
    for start, end in spans:
        blank = raw[start:end].translate(BLANK)
        name = re.match(rb"<?([^\s=>/]*)", raw[start:end]).group(1)  # type: ignore[union-attr]
        result.patches.append(Patch(base + start, blank, f"XMP {name.decode('ascii', 'replace')[:60]} blanked"))
    # (GPS properties that say nothing about where, e.g. only GPSAltitude or GPSTimeStamp, and empty
    # place fields are blanked all the same but not reported as location: exiftool shows none)
    if any(not _not_a_position(key) and value not in ("", None) for key, value in values.items()):
        result.items.append(LocationItem("xmp", where, values))
    return result
