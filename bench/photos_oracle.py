#!/usr/bin/env python3
"""Compare `digisafe photos scan/strip` with exiftool, file by file (a script, not a test).

    python bench/photos_oracle.py [FOLDER] [--keep DIR] [--json REPORT] [--no-cases]

FOLDER defaults to /work/shared/samples/photos (every file, every format, recursively). Then the same
comparison runs on generated cases for carriers the samples lack (tests/photos/location_build.py):
FLIR APP1 GPS, Darwin Core XMP (struct and flat forms), IPTC CreatorContactInfo, JPX xml boxes (top
level and in asoc), Panasonic, Casio and Nikon maker-note places, JPEG XR with GPS and XMP, an M2TS with a
timecode, an unreadable camera .raw and a JPEG with an empty GPS IFD (--no-cases skips them).

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
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from oracle_image import image_same, pixels  # noqa: E402  (a sibling script module)

DEFAULT = Path("/work/shared/samples/photos")
ET_READ = ["exiftool", "-j", "-G1", "-a", "-gps:all", "-xmp:all", "-iptc:all", "-quicktime:all", "-xml:all",
           "-location:all", "-Casio:HometownCity", "-ee", "-r", "-q", "-q"]
ET_CHECK = ["exiftool", "-j", "-G1", "-a", "-n", "-r", "-q", "-q", "-validate", "-Warning", "-Orientation",
            "-StripOffsets", "-StripByteCounts", "-TileOffsets", "-TileByteCounts", "-MediaDataOffset",
            "-MediaDataSize", "-JpgFromRawStart", "-JpgFromRawLength", "-ImageOffset", "-ImageByteCount"]
COORDS = re.compile(r"^(GPS(Dest)?(Latitude|Longitude)|GPSPosition|GPSCoordinates.*|.*ISO6709|LocationInformation"
                    r"|.*(Latitude|Longitude))$")
PLACE = re.compile(r"^(City|State|Country|CountryCode|CountryName|Province-State|Country-PrimaryLocation(Name|Code)"
                   r"|Sub-?location|Location|LocationName|LocationCreated.*|LocationShown.*|WorldRegion)$", re.I)
NOT_LOCATION = re.compile(r"(Ref|VersionID|DateTime|DateStamp|TimeStamp|Xmlns|SchemaLocation)$")
# Darwin Core (exiftool's XMP-dwc names; in another XMP group when the packet uses the dwc/terms/ URI,
# which exiftool does not know), IPTC creator's address, JPX XML location/address elements,
# maker-note place fields (Panasonic, Casio).
DWC = re.compile(r"^(DC)?(Locality|VerbatimLocality|Country|CountryCode|County|Municipality|StateProvince|Continent"
                 r"|Island|IslandGroup|WaterBody|HigherGeography|VerbatimCoordinates|VerbatimLatitude"
                 r"|VerbatimLongitude|FootprintWKT|LocationID)$")
CREATOR = re.compile(r"^Creator(Address|City|Region|PostalCode|Country)$")
XML_PLACE = re.compile(r"Location|Address|Zipcode|Postcode|Latitude|Longitude|City|Country", re.I)
MAKERNOTE_PLACE = {"Panasonic": re.compile(r"^(City2?|State|Country|Landmark|Location)$"),
                   "Casio": re.compile("^HometownCity$"), "Nikon": re.compile("^(CountryCode|Location)$")}


def location_tags(record: dict[str, Any]) -> dict[str, Any]:
    """The location tags in one exiftool -j -G1 record (empty values do not count)."""
    found = {}
    for key, value in record.items():
        if ":" not in key or value in ("", None, [], "0 0", 0):
            continue
        group, tag = key.split(":", 1)
        if NOT_LOCATION.search(tag):
            continue
        if value == "---":  # (Panasonic's "not set")
            continue
        if COORDS.match(tag) or (PLACE.match(tag) and (group.startswith(("XMP", "IPTC")) or group in (
                "UserData", "Keys", "ItemList", "QuickTime"))):
            found[key] = value
        elif (group.startswith("XMP") and DWC.match(tag)) or (group == "XMP-iptcCore" and CREATOR.match(tag)) \
                or (group == "XML" and XML_PLACE.search(tag)) or (group in MAKERNOTE_PLACE
                                                                 and MAKERNOTE_PLACE[group].match(tag)):
            found[key] = value
    return found


def exiftool_json(argv: list[str], root: Path) -> dict[str, dict[str, Any]]:
    proc = subprocess.run(argv + [str(root)], capture_output=True, check=False)
    # (exiftool prints tag values in the file's own bytes: never let one file's text stop the run)
    stdout = proc.stdout.decode("utf-8", errors="replace")
    try:
        records = json.loads(stdout or "[]")
    except json.JSONDecodeError:
        return {}
    return {str(Path(r["SourceFile"]).resolve()): r for r in records}


def digisafe(argv: list[str]) -> tuple[int, Any, str]:
    proc = subprocess.run([sys.executable, "-m", "digisafe"] + argv, capture_output=True, check=False)
    try:
        data = json.loads(proc.stdout.decode("utf-8", errors="replace"))
    except json.JSONDecodeError:
        data = None
    return proc.returncode, data, proc.stderr.decode("utf-8", errors="replace")


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
            with open(path, "rb") as f:
                before = pixels(path) if f.read(4) == b"\x89PNG" else None
            same_pixels = before is not None and before == pixels(target)
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


def generate_cases(folder: Path) -> Path:
    """Files for the carriers the shared samples lack, built from the format facts."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.photos import location_build as build

    folder.mkdir(parents=True)
    build.flir_jpeg(folder / "flir-gps.jpg", chunk=650)
    build.xmp_jpeg(folder / "dwc-struct.jpg", build.xmp_packet(build.DWC_BODY, build.DWC_NS))
    build.xmp_jpeg(folder / "dwc-terms.jpg", build.xmp_packet("", "").replace(
        b'<rdf:Description rdf:about="" ></rdf:Description>', build.DWC_TERMS.encode()))
    build.xmp_jpeg(folder / "creator-contact.jpg", build.xmp_packet(build.CREATOR_BODY, build.CREATOR_NS))
    build.jp2(folder / "jpx-address.jp2")
    build.jp2(folder / "jpx-address-asoc.jp2", in_asoc=True)
    build.makernote_jpeg(folder / "panasonic-city.jpg")
    build.casio_jpeg(folder / "casio-hometown.jpg")
    build.nikon_jpeg(folder / "nikon-location-info.jpg")
    build.jxr(folder / "gps.jxr")
    build.jxr(folder / "gps-xmp.wdp", xmp=build.xmp_packet("<photoshop:City>Leeds</photoshop:City>",
                                                           'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"'))
    build.m2ts(folder / "sony-timecode.mts")
    (folder / "camera.raw").write_bytes(b"unknown camera data " * 8)
    build.empty_gps_jpeg(folder / "empty-gps-ifd.jpg")
    return folder


def compare(root: Path, out: Path) -> tuple[dict[str, list], list[Path], int]:
    files = sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())
    report: dict[str, list] = {k: [] for k in ("crash", "missed", "extra", "unreadable", "not_cleaned",
                                               "not_cleaned_no_location", "strip_problem", "image_unchecked",
                                               "png_chunk_removed", "cleaned_ok")}
    et = exiftool_json(ET_READ, root)
    compare_scan(root, files, et, report)
    compare_strip(root, files, et, out, report)
    with_location = sum(1 for p in files if location_tags(et.get(str(p.resolve()), {})))
    return report, files, with_location


def print_report(title: str, report: dict[str, list], files: list[Path], with_location: int, verbose: bool) -> None:
    print(f"== {title}: {len(files)} files, {with_location} with location according to exiftool")
    for name, lines in report.items():
        if name == "cleaned_ok" and not verbose:
            print(f"cleaned_ok: {len(lines)}")
            continue
        print(f"{name}: {len(lines)}")
        for line in lines:
            print("   ", line)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--keep", type=Path, help="write the cleaned copies here (kept) instead of a temp folder")
    parser.add_argument("--json", type=Path, help="also write the full report as JSON")
    parser.add_argument("--verbose", action="store_true", help="list the files cleaned correctly too")
    parser.add_argument("--no-cases", action="store_true", help="skip the generated cases")
    args = parser.parse_args()
    try:
        import pillow_heif  # noqa: F401 - only whether it is there
    except ImportError:
        print("NOTE: pillow-heif is not installed (pip install pillow-heif): HEIC/AVIF outputs are checked by "
              "byte ranges instead of decoded pixels, and those count a change to the Exif item, which sits "
              "inside mdat, as an image change (strip_problem)")
    reports = {}
    with tempfile.TemporaryDirectory() as tmp:
        out = args.keep or Path(tmp) / "out"
        runs = [(str(args.folder), args.folder.resolve(), out)]
        if not args.no_cases:
            runs.append(("generated cases", generate_cases(Path(tmp) / "cases"), out.parent / (out.name + "-cases")))
        for title, root, target in runs:
            report, files, with_location = compare(root, target)
            print_report(title, report, files, with_location, args.verbose)
            reports[title] = report
    if args.json:
        args.json.write_text(json.dumps(reports, indent=2))
    bad = ("crash", "missed", "extra", "not_cleaned", "strip_problem")
    return 1 if any(r[k] for r in reports.values() for k in bad) else 0


if __name__ == "__main__":
    sys.exit(main())
