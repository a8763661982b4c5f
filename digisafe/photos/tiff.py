"""TIFF/EXIF walker: finds every GPS IFD and blanks it in place (same length).

Used for JPEG APP1 EXIF, TIFF and TIFF-based raw files (DNG, CR2, NEF, ARW, ORF, RW2, PEF, SRW),
PNG eXIf, WebP EXIF, and (by photos-B) HEIC/AVIF/JXL Exif items. ``data`` is the TIFF block,
starting at its byte-order mark; ``base`` is the absolute file offset of ``data[0]``.

Technique: a GPS IFD becomes a valid *empty* IFD (entry count 0, entries and out-of-line values
zeroed). Its parent's 0x8825 pointer still points at it, so no other offset changes; maker notes,
thumbnails and image data stay byte-identical.
"""

from __future__ import annotations

import struct

from digisafe.photos import tiff_embedded
from digisafe.photos.makernote import makernote_places
from digisafe.photos.tiff_gps import blank_gps_ifd
from digisafe.photos.types import Patch, PhotoError, WalkResult

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 3 ms of a photo scan's start-up)
if TYPE_CHECKING:
    from digisafe.photos.view import Data

TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4, 16: 8, 17: 8, 18: 8}
# NOTE: ORF uses "IIRO"/"IIRS" and RW2 "IIU\0" instead of 42, JPEG XR / HD Photo "II" BC 01 (or 00);
# the IFD layout is plain TIFF.
MAGICS = {42, 0x4F52, 0x5352, 0x55, 0x01BC, 0x00BC}
MAX_IFDS = 512
MAX_ENTRIES = 4096
MAX_DEPTH = 24  # nested sub-IFDs (real files use 2-3)

TAG_GPS, TAG_EXIF, TAG_SUBIFDS, TAG_INTEROP = 0x8825, 0x8769, 0x014A, 0xA005
TAG_XMP, TAG_IPTC, TAG_PHOTOSHOP = 0x02BC, 0x83BB, 0x8649
TAG_JPEG_OFFSET, TAG_JPEG_LENGTH = 0x0201, 0x0202
TAG_MAKERNOTE = 0x927C
INFO_TAGS = {0x010F: "make", 0x0110: "model", 0x9003: "date_taken", 0x0132: "date_modified"}
WATCHED_TAGS = frozenset(INFO_TAGS) | {TAG_GPS, TAG_EXIF, TAG_SUBIFDS, TAG_INTEROP, TAG_XMP, TAG_IPTC, TAG_PHOTOSHOP,
                                       TAG_MAKERNOTE, TAG_JPEG_OFFSET}


class _Entry:
    __slots__ = ("tag", "type", "count", "pos", "value_off", "size")

    def __init__(self, tag: int, typ: int, count: int, pos: int, value_off: int, size: int) -> None:
        self.tag, self.type, self.count, self.pos, self.value_off, self.size = tag, typ, count, pos, value_off, size


class _Tiff:
    def __init__(self, data: Data, base: int, where: str) -> None:
        self.data, self.base, self.where = data, base, where
        self.result = WalkResult()
        self.visited: set[int] = set()
        self.structures: list[tuple[int, int]] = []  # header and every non-GPS IFD table
        self.own_tables: set[tuple[int, int]] = set()  # parent IFD tables rewritten by unlink_gps
        self.depth = 0
        head = bytes(data[0:8])
        if len(head) < 8 or head[:2] not in (b"II", b"MM"):
            raise PhotoError(f"{where}: not a TIFF header")
        self.end = "<" if head[:2] == b"II" else ">"
        magic, first = struct.unpack(self.end + "HI", head[2:8])
        # NOTE: BigTIFF (magic 43): 8-byte offsets and counts, 20-byte entries, first IFD at 8..16.
        self.big = magic == 43
        if self.big:
            big = bytes(data[0:16])
            if len(big) < 16 or struct.unpack(self.end + "HH", big[4:8]) != (8, 0):
                raise PhotoError(f"{where}: bad BigTIFF header")
            (first,) = struct.unpack(self.end + "Q", big[8:16])
        elif magic not in MAGICS:
            raise PhotoError(f"{where}: bad TIFF magic {magic}")
        self.first = first
        self.cnt, self.esz, self.psz = (8, 20, 8) if self.big else (2, 12, 4)
        self.cnt_code, self.ptr_code = ("Q", "Q") if self.big else ("H", "I")
        self.entry_code = self.end + ("HHQ8s" if self.big else "HHI4s")
        self.long = struct.Struct(self.end + self.ptr_code).unpack
        self.structures.append((0, 16 if self.big else 8))

    def table_size(self, count: int) -> int:
        return self.cnt + self.esz * count + self.psz

    def read(self, off: int, n: int) -> bytes:
        if off < 0 or n < 0 or off + n > len(self.data):
            raise PhotoError(f"{self.where}: offset {off} + {n} past the end of the block ({len(self.data)})")
        return bytes(self.data[off:off + n])

    def table(self, off: int, label: str, strict: bool = True) -> tuple[bytes, int] | None:
        """The raw entries of one IFD and its next-IFD offset; None (with a doubt when ``strict``) if
        it is not fully readable.

        Not ``strict`` (IFDs other than IFD0 and GPS IFDs): a table cut by the end of the block keeps
        the entries that fit (NOTE: real files often have a thumbnail IFD or Interop IFD cut short or
        pointing at garbage; no reader can read past the block either), a garbage count is skipped."""
        if off + self.cnt > len(self.data):
            if strict:
                self.result.doubt(f"{self.where} > {label}: IFD offset {off} past the end of the block")
            return None
        (count,) = struct.unpack(self.end + self.cnt_code, self.read(off, self.cnt))
        if count > MAX_ENTRIES or off + self.cnt + self.esz * count > len(self.data):
            if strict or count > MAX_ENTRIES:
                if strict:
                    self.result.doubt(f"{self.where} > {label}: IFD with {count} entries runs past the end of "
                                      "the block")
                return None
            count = (len(self.data) - off - self.cnt) // self.esz
        raw = self.read(off + self.cnt, self.esz * count)
        nxt = off + self.cnt + self.esz * count
        psz = self.psz
        next_ifd = self.long(self.read(nxt, psz))[0] if nxt + psz <= len(self.data) else 0
        return raw, next_ifd

    def make_entry(self, tag: int, typ: int, n: int, value: bytes, pos: int) -> _Entry:
        size = TYPE_SIZES.get(typ, 0) * n
        # (the value/offset field follows tag, type and count)
        return _Entry(tag, typ, n, pos, pos + self.esz - self.psz if size <= self.psz else self.long(value)[0], size)

    def entries(self, off: int, label: str, strict: bool = True) -> tuple[list[_Entry], int] | None:
        """Parse one IFD (see ``table``) into entries."""
        parsed = self.table(off, label, strict)
        if parsed is None:
            return None
        raw, next_ifd = parsed
        pos, esz, make = off + self.cnt, self.esz, self.make_entry
        found = []
        for tag, typ, n, value in struct.iter_unpack(self.entry_code, raw):
            found.append(make(tag, typ, n, value, pos))
            pos += esz
        return found, next_ifd

    def value(self, e: _Entry) -> bytes | None:
        if e.size == 0 or e.value_off + e.size > len(self.data) or e.size > 1 << 20:
            return None
        return self.read(e.value_off, e.size)

    def ints(self, e: _Entry) -> list[int]:
        raw = self.value(e)
        if raw is None or e.type not in (3, 4, 13, 8, 9, 16, 17, 18):
            return []
        code = {3: "H", 8: "h", 4: "I", 9: "i", 13: "I", 16: "Q", 17: "q", 18: "Q"}[e.type]
        return list(struct.unpack(self.end + code * e.count, raw))

    def rationals(self, e: _Entry) -> list[float]:
        raw = self.value(e)
        if raw is None or e.type not in (5, 10):
            return []
        code = "II" if e.type == 5 else "ii"
        nums = struct.unpack(self.end + code * e.count, raw)
        # NOTE: x/0 means "unknown" (placeholders written by some phones); never read it as 0 degrees
        return [nums[i] / nums[i + 1] if nums[i + 1] else float("nan") for i in range(0, len(nums), 2)]

    def text(self, e: _Entry) -> str:
        raw = self.value(e) or b""
        return raw.split(b"\0", 1)[0].decode("utf-8", "replace").strip()

    # --- walking -------------------------------------------------------------------------------
    def walk(self) -> WalkResult:
        off, index = self.first, 0
        while off and index < MAX_IFDS:
            if off in self.visited:
                break  # NOTE: a loop in the IFD chain (seen in fuzzed/hostile files): stop, we saw it all
            if off + self.cnt > len(self.data):
                if index == 0:  # nothing at all could be read: never report that as "no location"
                    self.result.doubt(f"{self.where}: the first IFD lies past the end of the data (truncated file)")
                break  # a next-IFD pointer out of range: no reader can follow it either
            off = self.ifd(off, f"IFD{index}")
            index += 1
        self.check_overlaps()
        return self.result

    def check_overlaps(self) -> None:
        # NOTE: a hostile file can point its GPS IFD, a GPS value, an XMP/IPTC block or a preview
        # into the header or an IFD table (or make two IFD tables overlap); writing there would break
        # the file, so fail closed instead. The only write allowed on a table is its own rewrite.
        for patch in self.result.patches:
            lo, hi = patch.offset - self.base, patch.end - self.base
            for table in self.structures:
                if lo < table[1] and table[0] < hi and not ((lo, hi) == table and table in self.own_tables):
                    self.result.doubt(f"{self.where}: location data overlaps the TIFF header or an IFD table "
                                      "(broken or hostile file)")
                    return

    def ifd(self, off: int, label: str) -> int:
        """Walk one IFD and its children; return the next-IFD offset (0 at the end)."""
        self.visited.add(off)
        if len(self.visited) > MAX_IFDS:
            self.result.doubt(f"{self.where}: more than {MAX_IFDS} IFDs")
            return 0
        parsed = self.table(off, label, strict=label == "IFD0")
        if parsed is None:
            return 0
        raw, next_ifd = parsed
        count = len(raw) // self.esz
        size = self.table_size(count)
        self.structures.append((off, off + size))
        # Most entries are plain values: only the pointers, blocks and names need a look (and the
        # JPEG length, read with the JPEG offset), so only those become entries.
        look: list[_Entry] = []
        by_tag: dict[int, _Entry] = {}
        pos, esz, make, blob = off + self.cnt, self.esz, self.make_entry, tiff_embedded.MIN_JPEG_BLOB
        for tag, typ, n, value in struct.iter_unpack(self.entry_code, raw):
            if tag in WATCHED_TAGS or (typ in (1, 7) and n >= blob):  # (types 1 and 7: one byte each)
                e = by_tag[tag] = make(tag, typ, n, value, pos)
                look.append(e)
            elif tag == TAG_JPEG_LENGTH:
                by_tag[tag] = make(tag, typ, n, value, pos)
            pos += esz
        for e in look:
            self.entry(e, by_tag, label)
        if TAG_GPS in by_tag and off + size <= len(self.data):
            self.unlink_gps(off, raw, next_ifd)
        return next_ifd

    def unlink_gps(self, off: int, raw: bytes, next_ifd: int) -> None:
        """Drop the GPSInfo entry from its parent IFD, same length: the later entries move up 12
        bytes (their values are inline or at absolute offsets, so nothing else changes), then the
        next-IFD pointer, then 12 zero bytes. Readers then see no GPS IFD at all, as after
        `exiftool -gps:all=`."""
        esz = self.esz
        tags = [tag for tag, _typ, _n, _value in struct.iter_unpack(self.entry_code, raw)]
        kept = [raw[i * esz:(i + 1) * esz] for i, tag in enumerate(tags) if tag != TAG_GPS]
        table = struct.pack(self.end + self.cnt_code, len(kept)) + b"".join(kept) + \
            struct.pack(self.end + self.ptr_code, next_ifd)
        size = self.table_size(len(tags))
        self.result.patches.append(Patch(self.base + off, table.ljust(size, b"\0"), "GPSInfo pointer removed"))
        self.own_tables.add((off, off + size))

    def entry(self, e: _Entry, by_tag: dict[int, _Entry], label: str) -> None:
        if e.tag in INFO_TAGS and e.type == 2:
            text = self.text(e)
            if text:
                self.result.info.setdefault(INFO_TAGS[e.tag], text)
        if e.tag == TAG_GPS:
            for child in self.ints(e)[:1]:
                self.child(child, f"{label} > GPS IFD", gps=True)
            if not self.ints(e):
                self.result.doubt(f"{self.where} > {label}: unreadable GPS IFD pointer")
        elif e.tag in (TAG_EXIF, TAG_INTEROP):
            for child in self.ints(e)[:1]:
                self.child(child, f"{label} > {'Exif' if e.tag == TAG_EXIF else 'Interop'} IFD")
        elif e.tag == TAG_SUBIFDS:
            for i, child in enumerate(self.ints(e)[:64]):
                self.child(child, f"{label} > SubIFD{i}")
        elif e.tag in (TAG_XMP, TAG_IPTC, TAG_PHOTOSHOP):
            tiff_embedded.embedded_block(self, e, label)
        elif e.tag == TAG_MAKERNOTE:
            tiff_embedded.makernote_iptc(self, e, label)
            makernote_places(self, e, label)
        elif e.tag == TAG_JPEG_OFFSET and TAG_JPEG_LENGTH in by_tag:
            tiff_embedded.embedded_jpeg(self, e, by_tag[TAG_JPEG_LENGTH], label)
        elif e.type in (1, 7) and e.size >= tiff_embedded.MIN_JPEG_BLOB:
            tiff_embedded.jpeg_blob(self, e, label)

    def child(self, off: int, label: str, gps: bool = False) -> None:
        if off in self.visited or off == 0:
            return
        if off + self.cnt > len(self.data):
            return  # nothing there for any reader (a GPS pointer is removed all the same, see unlink_gps)
        if gps:
            self.visited.add(off)
            blank_gps_ifd(self, off, label)
            return
        if self.depth >= MAX_DEPTH:
            self.result.doubt(f"{self.where} > {label}: sub-IFDs nested more than {MAX_DEPTH} deep")
            return
        self.depth += 1
        try:
            nxt, depth = self.ifd(off, label), 0
            while nxt and nxt not in self.visited and nxt + self.cnt <= len(self.data) and depth < 16:
                nxt, depth = self.ifd(nxt, f"{label}+{depth + 1}"), depth + 1
        finally:
            self.depth -= 1


def walk_tiff(data: Data, base: int = 0, where: str = "TIFF") -> WalkResult:
    """Find and blank every GPS IFD reachable from the TIFF block ``data`` (file offset ``base``)."""
    try:
        return _Tiff(data, base, where).walk()
    except (struct.error, IndexError, ValueError) as exc:
        raise PhotoError(f"{where}: malformed TIFF ({exc})") from None
