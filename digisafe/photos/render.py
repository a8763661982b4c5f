"""Present `photos scan` and `photos strip` results: table, JSON, Markdown, HTML (pure functions)."""

from __future__ import annotations

from pathlib import Path

from digisafe.photos.outcome import CLEANED, NO_LOCATION, NOT_CLEANED, WOULD_CLEAN, Outcome
from digisafe.photos.scan import UNREADABLE, WITH_LOCATION, ScanRecord, camera

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 3 ms of a photo scan's start-up)
if TYPE_CHECKING:
    from typing import Any, Sequence

NOTE = ("Finding no location does not prove a photo is safe to share: faces, signs, windows and "
        "landmarks can show where it was taken.")
SCAN_HEADERS = ["File", "Found in", "Coordinates", "Place", "Camera", "Taken"]
PLAIN = {"exif-gps": "GPS (EXIF)", "xmp": "XMP", "iptc": "IPTC place", "quicktime": "video GPS",
         "makernote": "maker note", "c2pa": "C2PA", "xml": "XML place text", "flir": "GPS (FLIR)"}


def _carriers(items: list) -> str:
    return ", ".join(sorted({PLAIN.get(i.carrier, i.carrier) for i in items}))


def _coords(record: ScanRecord) -> str:
    return "; ".join(f"{lat:.6f}, {lon:.6f}" for lat, lon in record.coordinates())


def _scan_rows(records: list[ScanRecord]) -> list[list[str]]:
    rows = []
    for r in records:
        if r.status != WITH_LOCATION:
            continue
        rows.append([str(r.path), _carriers(r.items), _coords(r) or "-", ", ".join(r.places()) or "-",
                     camera(r.info) or "-", str(r.info.get("date_taken", "-"))])
    return rows


def _table(headers: list[str], rows: list[list[str]], fmt: str) -> str:
    if fmt == "table":
        return _plain_table(headers, rows)
    from tabulate import tabulate

    tablefmt = {"markdown": "github", "html": "html"}[fmt]
    return tabulate(rows, headers=headers, tablefmt=tablefmt, disable_numparse=True)


def _plain_table(headers: list[str], rows: list[list[str]]) -> str:
    """tabulate's "simple" layout, without importing tabulate (a tenth of a strip's start-up time)."""
    import unicodedata

    def width(text: str) -> int:
        if text.isascii():  # (nearly every cell: one call instead of a lookup per character)
            return len(text)
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1
                   for c in text)

    table = [[" ".join(str(cell).split("\n")) for cell in row] for row in [headers] + rows]
    widths = [max(width(row[i]) for row in table) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        return "  ".join(cell + " " * (w - width(cell)) for cell, w in zip(row, widths)).rstrip()

    return "\n".join([line(table[0]), "  ".join("-" * w for w in widths)] + [line(r) for r in table[1:]])


def _scan_blocks(records: list[ScanRecord], width: int) -> str:
    """The terminal layout: one block per file, so it fits 80 columns (a table of six columns
    was up to 249 wide). The path is never broken: it is what people paste."""
    from digisafe.render.fit import wrap
    from digisafe.render.plain import plain_text

    lines: list[str] = []
    for r in records:
        if r.status != WITH_LOCATION:
            continue
        lines.append(f"  {r.path}")
        where = "; ".join(filter(None, [_coords(r), ", ".join(plain_text(p) for p in dict.fromkeys(r.places()))]))
        lines += wrap(f"{where or 'Location found'}. Found in: {_carriers(r.items)}.", width, " " * 6)
        taken = r.info.get("date_taken")
        about = ", ".join(filter(None, [camera(r.info), f"taken {plain_text(str(taken))}" if taken else ""]))
        if about:
            lines += wrap(about[:1].upper() + about[1:], width, " " * 6)
    return "\n".join(lines)


def _strip_advice(records: list[ScanRecord], roots: list[Path], home: Path | None) -> str:
    from digisafe.render.shell import command, shell_path, strip_commands

    found = [r.path.absolute() for r in records if r.status == WITH_LOCATION]
    roots = [r.absolute() for r in roots]
    if not found:
        return ""
    commands = strip_commands([d for d in roots if d.is_dir() and any(d in p.parents for p in found)], home)
    files = [f for f in roots if f in found]
    if files:
        out = files[0].parent / "photos-no-location"
        commands.append(command("photos", "strip", *(shell_path(f, home) for f in files), "--out",
                                shell_path(out, home)))
    if not commands:
        return "To remove the location, save cleaned copies with: digisafe photos strip PATH --out FOLDER"
    return "\n".join(["To remove the location, save cleaned copies (the originals stay as they are):",
                      *("  " + c for c in commands)])


def render_scan(records: list[ScanRecord], summary: dict[str, int], fmt: str, complete: bool = True,
                roots: Sequence[Path] = (), home: Path | None = None, width: int = 80) -> str:
    """``roots`` (the folders and files scanned) and ``home`` make the suggested strip command
    real and pasteable (``~/Pictures``, never a quoted ``"~/Pictures"``)."""
    if fmt == "json":
        from digisafe.render.json import dumps

        data: dict[str, Any] = {"summary": summary, "complete": complete,
                                "files": [r.to_dict() for r in records if r.status in (WITH_LOCATION, UNREADABLE)]}
        return dumps(data, indent=2) + "\n"
    rows = _scan_rows(records)
    bad = [[str(r.path), r.error] for r in records if r.status == UNREADABLE]
    totals = (f"Scanned {summary['scanned']} photos and videos: {summary['with_location']} with location, "
              f"{summary['without_location']} without, {summary['unreadable']} could not be read.")
    parts: list[tuple[str, str]] = []
    if rows:
        shown = _scan_blocks(records, width) if fmt == "table" else _table(SCAN_HEADERS, rows, fmt)
        parts.append((f"Photos and videos that show where they were taken ({len(rows)})", shown))
    if bad:
        shown = ("\n".join(f"  {path}\n      {why}" for path, why in bad) if fmt == "table"
                 else _table(["File", "Why"], bad, fmt))
        parts.append((f"Could not be read, so their location is unknown ({len(bad)})", shown))
    advice = _strip_advice(records, [Path(p) for p in roots], home)
    if fmt == "table":
        from digisafe.render.fit import fill

        totals, note = fill(totals, width), fill(NOTE, width)
        return _assemble(fmt, "digisafe photos scan", parts, [totals, advice, note])
    return _assemble(fmt, "digisafe photos scan", parts, [totals, advice, NOTE])


def _strip_blocks(outcomes: list[Outcome], width: int) -> str:
    """The terminal layout: one block per file (as for scan), so it fits the terminal; a table of
    five columns was over 200 wide. Paths are never broken: they are what people paste."""
    from digisafe.render.fit import wrap

    lines: list[str] = []
    for o in outcomes:
        if o.status == NO_LOCATION:
            continue
        lines.append(f"  {o.source}")
        if o.status == NOT_CLEANED:
            from digisafe.render.plain import plain_text  # (only here: a strip that cleaned all needs none)

            lines += wrap(f"{o.status}: {plain_text(o.reason or 'no reason given')}.", width, " " * 6)
            continue
        removed = _removed(o)
        verb = "would be removed" if o.status == WOULD_CLEAN else "removed"
        lines += wrap(f"{o.status}: {removed} {verb}." if removed != "-" else f"{o.status}.", width, " " * 6)
        if o.output is not None and o.output != o.source and o.status != WOULD_CLEAN:
            lines.append(f"      copy: {o.output}")  # (whole, without a full stop: it is pasted)
    return "\n".join(lines)


def render_strip(outcomes: list[Outcome], fmt: str, dry_run: bool = False, width: int = 80) -> str:
    if fmt == "json":
        from digisafe.render.json import dumps

        return dumps({"summary": strip_summary(outcomes), "files": [o.to_dict() for o in outcomes]},
                     indent=2) + "\n"
    rows = [[str(o.source), o.status, _removed(o), str(o.output or "-") if o.status != NOT_CLEANED else "-",
             o.reason or ""] for o in outcomes if o.status != NO_LOCATION]
    s = strip_summary(outcomes)
    verb = "would be cleaned" if dry_run else "cleaned"
    totals = (f"{s['cleaned']} {verb}, {s['no_location']} had no location, {s['not_cleaned']} NOT cleaned.")
    lines = [totals]
    if s["not_cleaned"]:
        lines.append("Files marked NOT cleaned still carry their location or could not be checked: do not "
                     "share them. No output was written for them.")
    if fmt == "table":
        from digisafe.render.fit import fill

        lines = [fill(line, width) for line in lines]
        shown = _strip_blocks(outcomes, width)
    else:
        shown = _table(["File", "Result", "Location removed", "Output", "Note"], rows, fmt)
    parts = [("Files with location, or not cleaned", shown)] if rows else []
    return _assemble(fmt, "digisafe photos strip", parts, lines)


def _removed(o: Outcome) -> str:
    if not o.items or o.status not in (CLEANED, WOULD_CLEAN):
        return "-"
    return _carriers(o.items)


def strip_summary(outcomes: list[Outcome]) -> dict[str, int]:
    return {"files": len(outcomes),
            "cleaned": sum(o.status in (CLEANED, WOULD_CLEAN) for o in outcomes),
            "no_location": sum(o.status == NO_LOCATION for o in outcomes),
            "not_cleaned": sum(o.failed for o in outcomes)}


def _assemble(fmt: str, title: str, parts: list[tuple[str, str]], lines: list[str]) -> str:
    """The page; a file name's terminal escapes and other controls shown as ``\\x1b`` (a name can
    be made to clear the screen or hide a line; JSON escapes them itself)."""
    from digisafe.core.visible import visible

    return visible(_page(fmt, title, parts, lines))


def _page(fmt: str, title: str, parts: list[tuple[str, str]], lines: list[str]) -> str:
    lines = [line for line in lines if line]
    if fmt == "html":
        import html

        body = "".join(f"<h2>{html.escape(h)}</h2>\n{t}\n" for h, t in parts)
        body += "".join(f"<p>{html.escape(line)}</p>\n" for line in lines)
        return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}"
                f"</title></head>\n<body>\n<h1>{html.escape(title)}</h1>\n{body}</body></html>\n")
    if fmt == "markdown":
        body = "".join(f"## {h}\n\n{t}\n\n" for h, t in parts)
        return f"# {title}\n\n{body}" + "\n\n".join(lines) + "\n"
    body = "".join(f"{h}\n{t}\n\n" for h, t in parts)
    return body + "\n".join(lines) + "\n"
