"""Place and address text in plain XML that is not XMP: the JPX metadata schema of JPEG 2000 ``xml ``
boxes (ISO/IEC 15444-2 Annex N: ``<LOCATION><ADDRESS><ADDR_COMP TYPE="City">…``, ``<GPS>``), and
any other XML a camera or editor puts in an image box.

Elements whose name (any namespace, any case) means a place are replaced by spaces, tags included
(the same length; XML whitespace, so the document stays well formed); the root element itself keeps
its tags and only loses its content. Attributes with such a name are blanked the same way.
``base`` is the file offset of ``data[0]`` (or the logical offset inside a box; see boxes.Segments).
"""

from __future__ import annotations

import html
import re

from digisafe.photos.types import LocationItem, Patch, PhotoError, WalkResult
from digisafe.photos.xmp import element_end

PLACE_ELEMENTS = frozenset(
    "location address addr_comp addrcomp gps coord coordinates geolocation geo latitude longitude lat lon lng "
    "city town village country countrycode country_code zipcode zip_code zip postcode post_code "
    "postalcode postal_code street streetaddress street_address locality stateprovince state province "
    "county municipality region place placename place_name sublocation".split())
NAME = rb"((?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*))"  # (qualified name, local name)
START = re.compile(rb"<" + NAME + rb"""((?:\s(?:[^>"']|"[^"]*"|'[^']*')*)?)(/?)>""")
ATTRIBUTE = re.compile(rb"""(?<=[\s"'])""" + NAME + rb"""\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _attribute_text(m: re.Match) -> str:
    value = m.group(3) if m.group(3) is not None else m.group(4)
    return " ".join(html.unescape(value.decode("utf-8", "replace")).split())
SKIP = re.compile(rb"<!--.*?-->|<\?.*?\?>|<!\[CDATA\[.*?\]\]>|<![^>]*>", re.S)
TEXT = re.compile(rb">([^<]+)<")
MAX_XML = 16 * 1024 * 1024


def _is_place(local: bytes) -> bool:
    return local.decode("ascii", "replace").lower() in PLACE_ELEMENTS


def _texts(fragment: bytes) -> list[str]:
    out = []
    for m in TEXT.finditer(fragment):
        text = " ".join(html.unescape(m.group(1).decode("utf-8", "replace")).split())
        if text and text not in out:
            out.append(text)
    for m in ATTRIBUTE.finditer(fragment):
        text = _attribute_text(m)
        if _is_place(m.group(2)) and text and text not in out:
            out.append(text)
    return out


def _spans(data: bytes) -> tuple[list[tuple[int, int]], list[str]]:
    """(byte ranges to blank, the place texts they hold)."""
    spans: list[tuple[int, int]] = []
    texts: list[str] = []
    pos, root = 0, True
    masked = SKIP.sub(lambda m: b" " * len(m.group(0)), data)  # comments, PIs, CDATA, doctype: no tags
    while True:
        m = START.search(masked, pos)
        if m is None:
            return spans, texts
        qname, empty = m.group(1), m.group(0).endswith(b"/>")  # (the attribute part can swallow the "/")
        if _is_place(m.group(2)):
            end = m.end() if empty else element_end(masked, m.end(), qname, "XML")
            texts.extend(t for t in _texts(masked[m.start():end]) if t not in texts)
            if root and not empty:  # keep the root element's tags: an empty document is not XML
                close = masked.rfind(b"<", m.end(), end)
                spans.append((m.end(), close))
            else:
                spans.append((m.start(), end))
            pos = end
        else:
            for a in ATTRIBUTE.finditer(masked, m.start(), m.end()):
                if _is_place(a.group(2)):
                    text = _attribute_text(a)
                    if text and text not in texts:
                        texts.append(text)
                    spans.append((a.start(), a.end()))
            pos = m.end()
        root = False


def walk_xml_place(data: bytes, base: int = 0, where: str = "XML") -> WalkResult:
    """Find and blank place elements and attributes in one (non-XMP) XML document."""
    result = WalkResult()
    if len(data) > MAX_XML:
        raise PhotoError(f"{where}: XML of {len(data)} bytes is too large")
    if b"\0" in data[:64]:
        result.doubt(f"{where}: UTF-16/32 XML is not supported")
        return result
    spans, texts = _spans(bytes(data))
    for start, end in spans:
        blank = bytes(b if b in (0x0A, 0x0D) else 0x20 for b in data[start:end])
        result.patches.append(Patch(base + start, blank, "XML place text blanked"))
    if texts:
        result.items.append(LocationItem("xml", where, {"address": ", ".join(texts)[:300]}))
    return result
