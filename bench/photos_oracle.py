#!/usr/bin/env python3
"""Compare `digisafe photos scan/strip` with exiftool, file by file (a script, not a test).

    python bench/photos_oracle.py [FOLDER] [--keep DIR] [--json REPORT]

FOLDER defaults to /work/shared/samples/photos (every file, every format, recursively).

1. scan: `digisafe photos scan --format json FOLDER` vs one exiftool batch
   (`exiftool -j -G1 -a -gps:all -xmp:all -iptc:all -quicktime:all -ee -r`): files where exiftool
   sees location (GPS coordinates, XMP GPS, IPTC/XMP city/state/country/sub-location, QuickTime
   GPSCoordinates/ISO 6709) and we do not ("missed"), or the reverse ("extra"); crashes; unreadable.
2. strip: `digisafe photos strip FOLDER --out OUT --format json`, then every output is checked:
   no location left (exiftool), same size, same image data (JPEG SOS..EOI bytes; decoded pixels
   with Pillow/pillow-heif; else no changed byte inside the image/media data ranges exiftool
   reports; a PNG may lose a whole compressed text chunk: listed, pixels compared), Orientation
   unchanged, exiftool -validate warnings not more than the original's.
   Files we did NOT clean while exiftool sees location are listed with our reason.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

DEFAULT = Path("/work/shared/samples/photos")
ET_READ = ["exiftool", "-j", "-G1", "-a", "-gps:all", "-xmp:all", "-iptc:all", "-quicktime:all", "-ee",
           "-r", "-q", "-q"]
ET_CHECK = ["exiftool", "-j", "-G1", "-a", "-n", "-r", "-q", "-q", "-validate", "-Warning", "-Orientation",
            "-StripOffsets", "-StripByteCounts", "-TileOffsets", "-TileByteCounts", "-MediaDataOffset",
            "-MediaDataSize", "-JpgFromRawStart", "-JpgFromRawLength"]
COORDS = re.compile(r"^(GPS(Dest)?(Latitude|Longitude)|GPSPosition|GPSCoordinates.*|.*ISO6709|LocationInformation"
                    r"|.*(Latitude|Longitude))$")
PLACE = re.compile(r"^(City|State|Country|CountryCode|CountryName|Province-State|Country-PrimaryLocation(Name|Code)"
                   r"|Sub-?location|Location|LocationName|LocationCreated.*|LocationShown.*|WorldRegion)$", re.I)
NOT_LOCATION = re.compile(r"(Ref|VersionID|DateTime|DateStamp|TimeStamp)$")


def location_tags(record: dict[str, Any]) -> dict[str, Any]:
    """The location tags in one exiftool -j -G1 record (empty values do not count)."""
    found = {}
    for key, value in record.items():
        if ":" not in key or value in ("", None, [], "0 0", 0):
            continue
        group, tag = key.split(":", 1)
        if NOT_LOCATION.search(tag):
            continue
        if COORDS.match(tag) or (PLACE.match(tag) and (group.startswith(("XMP", "IPTC")) or group in (
                "UserData", "Keys", "ItemList", "QuickTime"))):
            found[key] = value
    return found


def exiftool_json(argv: list[str], root: Path) -> dict[str, dict[str, Any]]:
    proc = subprocess.run(argv + [str(root)], capture_output=True, text=True, check=False)
    try:
        records = json.loads(proc.stdout or "[]")
    except json.JSONDecodeError:
        return {}
    return {str(Path(r["SourceFile"]).resolve()): r for r in records}


def digisafe(argv: list[str]) -> tuple[int, Any, str]:
    proc = subprocess.run([sys.executable, "-m", "digisafe"] + argv, capture_output=True, text=True, check=False)
    try:
        data = json.loads(proc.stdout)
    except json.JSONDecodeError:
        data = None
    return proc.returncode, data, proc.stderr


def compare_scan(root: Path, files: list[Path], et: dict[str, dict[str, Any]], report: dict[str, list]) -> None:
    rc, data, err = digisafe(["photos", "scan", "--format", "json", str(root)])
    if data is None or "Traceback" in err or rc not in (0, 1, 4):
        report["crash"].append(f"scan: exit {rc}: {err.strip()[-300:]}")
        return
    ours = {str(Path(r["path"]).resolve()): r for r in data["files"]}
    for path in files:
        key = str(path.resolve())
        theirs = location_tags(et.get(key, {}))
        mine = ours.get(key)
        if mine is not None and mine["status"] == "unreadable":
            seen = f" [exiftool: {sorted(theirs)}]" if theirs else ""
            report["unreadable"].append(f"{path}: {mine['error']}{seen}")
        elif theirs and mine is None:
            report["missed"].append(f"{path}: exiftool sees {sorted(theirs)}")
        elif mine is not None and not theirs:
            report["extra"].append(f"{path}: we see {[i['where'] for i in mine['items']]}")


def jpeg_scan_data(data: bytes) -> bytes | None:
    """The primary JPEG image's bytes from its first SOS to the next EOI (None if not found)."""
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            pos += 1  # junk between segments
            continue
        marker = data[pos + 1]
        if marker == 0xFF:
            pos += 1
            continue
        if marker == 0xDA:
            end = data.find(b"\xff\xd9", pos)
            return data[pos:end if end > 0 else len(data)]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            pos += 2
            continue
        pos += 2 + int.from_bytes(data[pos + 2:pos + 4], "big")
    return None


def pixels(path: Path) -> str | None:
    try:
        from PIL import Image

        try:
            import pillow_heif

            pillow_heif.register_heif_opener()
        except ImportError:
            pass
        with Image.open(path) as image:
            image.load()
            return hashlib.sha256(image.tobytes()).hexdigest()
    except Exception:  # noqa: BLE001 - Pillow cannot decode this format: use another check
        return None


def changed_ranges(a: bytes, b: bytes) -> list[tuple[int, int]]:
    ranges, start = [], None
    step = 4096
    for block in range(0, len(a), step):
        if a[block:block + step] == b[block:block + step]:
            continue
        for i in range(block, min(block + step, len(a))):
            if a[i] != b[i]:
                if start is None or i > ranges[-1][1]:
                    ranges.append((i, i + 1))
                else:
                    ranges[-1] = (ranges[-1][0], i + 1)
                start = i
    return ranges


def data_ranges(check: dict[str, Any]) -> list[tuple[int, int]]:
    """Image/media data ranges exiftool reports (offset, length pairs)."""
    out = []
    pairs = [("StripOffsets", "StripByteCounts"), ("TileOffsets", "TileByteCounts"),
             ("MediaDataOffset", "MediaDataSize"), ("JpgFromRawStart", "JpgFromRawLength")]
    for key, value in check.items():
        for off_tag, len_tag in pairs:
            if key.endswith(":" + off_tag):
                group = key.split(":")[0]
                lengths = check.get(f"{group}:{len_tag}")
                offs = [int(x) for x in str(value).split()] if str(value).replace(" ", "").isdigit() else []
                lens = [int(x) for x in str(lengths).split()] if str(lengths).replace(" ", "").isdigit() else []
                out.extend(zip(offs, (o + n for o, n in zip(offs, lens))))
    return out


def container_ranges(data: bytes) -> list[tuple[int, int]]:
    """Image data ranges of containers Pillow cannot decode here: JPEG XL codestream boxes, Fujifilm
    RAF raw data and its preview JPEG's scan data."""
    import struct

    if data[:12] == b"\x00\x00\x00\x0cJXL \r\n\x87\n":
        out, pos = [], 0
        while pos + 8 <= len(data):
            size, kind = struct.unpack(">I4s", data[pos:pos + 8])
            size = len(data) - pos if size == 0 else size
            if size == 1:
                size = struct.unpack(">Q", data[pos + 8:pos + 16])[0]
            if size < 8:
                break
            if kind in (b"jxlc", b"jxlp", b"jbrd"):
                out.append((pos, pos + size))
            pos += size
        return out
    if data[:16] == b"FUJIFILMCCD-RAW ":
        jpeg_at, jpeg_len, _x, _y, raw_at, raw_len = struct.unpack(">IIIIII", data[84:108])
        out = [(raw_at, raw_at + raw_len)]
        scan = jpeg_scan_data(data[jpeg_at:jpeg_at + jpeg_len])
        if scan:
            start = data.find(scan, jpeg_at)
            out.append((start, start + len(scan)))
        return out
    return []


def image_same(src: Path, dst: Path, check: dict[str, Any]) -> str:
    """'' when the image data is provably unchanged, else what differs or could not be checked."""
    a, b = src.read_bytes(), dst.read_bytes()
    if a == b:
        return ""
    if a[:3] == b"\xff\xd8\xff":
        return "" if jpeg_scan_data(a) == jpeg_scan_data(b) else "JPEG scan data differs"
    before = pixels(src)
    if before is not None:
        return "" if before == pixels(dst) else "decoded pixels differ"
    media = data_ranges(check) or container_ranges(a)
    if not media:
        return "image data not checked (no decoder, no data ranges)"
    for start, end in changed_ranges(a, b):
        if any(s < end and start < e for s, e in media):
            return f"bytes {start}..{end} inside the image/media data changed"
    return ""


def warnings(record: dict[str, Any]) -> tuple[list[int], set[str]]:
    """exiftool -validate counts (errors, warnings; minor ones ignored) and the warning texts."""
    counts, texts = [0, 0], set()
    for key, value in record.items():
        tag = key.split(":")[-1]
        if tag == "Validate":
            numbers = [int(x) for x in str(value).split()[:2] if x.isdigit()]
            counts = numbers + [0] * (2 - len(numbers))
        elif tag in ("Warning", "Error"):
            for text in (value if isinstance(value, list) else [value]):
                texts.add(re.sub(r"\[x\d+\] ", "", str(text)))
    return counts, texts


def compare_strip(root: Path, files: list[Path], et: dict[str, dict[str, Any]], out: Path,
                  report: dict[str, list]) -> None:
    rc, data, err = digisafe(["photos", "strip", "--format", "json", "--out", str(out), str(root)])
    if data is None or "Traceback" in err or rc not in (0, 1):
        report["crash"].append(f"strip: exit {rc}: {err.strip()[-300:]}")
        return
    outcomes = {str(Path(o["source"]).resolve()): o for o in data["files"]}
    after = exiftool_json(ET_READ, out)
    checks_in, checks_out = exiftool_json(ET_CHECK, root), exiftool_json(ET_CHECK, out)
    for path in files:
        key = str(path.resolve())
        theirs = location_tags(et.get(key, {}))
        outcome = outcomes.get(key)
        target = out / path.relative_to(root)
        if outcome is None or outcome["status"] == "NOT cleaned":
            why = outcome["reason"] if outcome else "not listed"
            if theirs:
                report["not_cleaned"].append(f"{path}: {why} [exiftool: {sorted(theirs)}]")
            elif outcome is not None and path.suffix.lower() != ".md":
                report["not_cleaned_no_location"].append(f"{path}: {why}")
            continue
        if not target.exists():
            report["strip_problem"].append(f"{path}: reported {outcome['status']} but no output")
            continue
        tkey = str(target.resolve())
        left = location_tags(after.get(tkey, {}))
        problems = []
        if left:
            problems.append(f"location left: {sorted(left)}")
        if target.stat().st_size != path.stat().st_size:
            # PNG is the one container where a whole (compressed) chunk may be left out: no offsets
            same_pixels = path.read_bytes()[:4] == b"\x89PNG" and pixels(path) is not None \
                and pixels(path) == pixels(target)
            note = f"{path}: size {path.stat().st_size} -> {target.stat().st_size}"
            (report["png_chunk_removed"] if same_pixels else problems).append(note)
        else:
            same = image_same(path, target, checks_in.get(key, {}))
            if same.startswith("image data not checked"):
                report["image_unchecked"].append(f"{path}")
            elif same:
                problems.append(same)
        before_o = {k.split(":")[-1]: v for k, v in checks_in.get(key, {}).items() if k.endswith("Orientation")}
        after_o = {k.split(":")[-1]: v for k, v in checks_out.get(tkey, {}).items() if k.endswith("Orientation")}
        if before_o != after_o:
            problems.append(f"Orientation {before_o} -> {after_o}")
        count_in, text_in = warnings(checks_in.get(key, {}))
        count_out, text_out = warnings(checks_out.get(tkey, {}))
        if count_out[0] > count_in[0] or count_out[1] > count_in[1] or text_out - text_in:
            problems.append(f"exiftool -validate worse: {count_in} -> {count_out} {sorted(text_out - text_in)[:3]}")
        if problems:
            report["strip_problem"].append(f"{path}: " + "; ".join(problems))
        elif theirs:
            report["cleaned_ok"].append(str(path))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--keep", type=Path, help="write the cleaned copies here (kept) instead of a temp folder")
    parser.add_argument("--json", type=Path, help="also write the full report as JSON")
    parser.add_argument("--verbose", action="store_true", help="list the files cleaned correctly too")
    args = parser.parse_args()
    root = args.folder.resolve()
    files = sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())
    report: dict[str, list] = {k: [] for k in ("crash", "missed", "extra", "unreadable", "not_cleaned",
                                               "not_cleaned_no_location", "strip_problem", "image_unchecked",
                                               "png_chunk_removed", "cleaned_ok")}
    et = exiftool_json(ET_READ, root)
    compare_scan(root, files, et, report)
    with tempfile.TemporaryDirectory() as tmp:
        out = args.keep or Path(tmp) / "out"
        compare_strip(root, files, et, out, report)
    with_location = sum(1 for p in files if location_tags(et.get(str(p.resolve()), {})))
    print(f"{len(files)} files, {with_location} with location according to exiftool")
    for name, lines in report.items():
        if name == "cleaned_ok" and not args.verbose:
            print(f"cleaned_ok: {len(lines)}")
            continue
        print(f"{name}: {len(lines)}")
        for line in lines:
            print("   ", line)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    bad = ("crash", "missed", "extra", "not_cleaned", "strip_problem")
    return 1 if any(report[k] for k in bad) else 0


if __name__ == "__main__":
    sys.exit(main())
