"""CSV export for caseworkers' systems: one row per record, one column per field."""

from __future__ import annotations

import csv
import io

from digisafe.records.entry import FIELDS
from digisafe.records.timeline import Timeline

COLUMNS = ["number", "kind", "recorded_at", "occurred_at", "occurred_tz", "time_known", "amends", "amend_reason",
           *[f.key for f in FIELDS], "file_name", "file_size", "file_sha256", "file_entry", "file_note",
           "record_hash", "problem"]
# NOTE: a cell starting with = + - @ is run as a formula by spreadsheet programs (CSV injection);
# text from a log is untrusted, so such cells get a leading apostrophe.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def render_csv(timeline: Timeline) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for item in timeline.items:
        d, fields = item.data, item.data.get("fields") or {}
        row = {"number": item.seq, "kind": item.kind, "recorded_at": d.get("recorded_at"),
               "occurred_at": d.get("occurred_at"), "occurred_tz": d.get("occurred_tz"),
               "time_known": d.get("time_known", "" if item.is_attachment else "yes"),
               "amends": d.get("amends"), "amend_reason": d.get("amend_reason"),
               **{f.key: fields.get(f.key) for f in FIELDS}, "record_hash": item.hash_hex, "problem": item.error}
        if item.is_attachment:
            row.update(file_name=d.get("name"), file_size=d.get("size"), file_sha256=d.get("sha256"),
                       file_entry=d.get("entry"), file_note=d.get("note"))
        writer.writerow([_cell(row.get(c)) for c in COLUMNS])
    return buffer.getvalue()
