"""The summaries `photos scan --format json` and `photos strip` print import nothing they do not
need (json ~2 ms, typing ~3 ms, textwrap, datetime, the plain-words module: the render of a few
dozen photos cost more than reading them did)."""

from __future__ import annotations

import subprocess
import sys

CODE = """
import sys
from pathlib import Path
from digisafe.photos.outcome import CLEANED, NO_LOCATION, Outcome
from digisafe.photos.scan import WITH_LOCATION, ScanRecord
from digisafe.photos.types import LocationItem
before = set(sys.modules)
from digisafe.photos.render import render_scan, render_strip
items = [LocationItem("exif-gps", "JPEG APP1 EXIF > IFD0 > GPS IFD", {"latitude": 51.5, "longitude": -0.12}),
         LocationItem("xmp", "JPEG APP1 XMP", {"City": "Leeds"})]
if sys.argv[1] == "scan":
    records = [ScanRecord(Path(f"p/{i}.jpg"), WITH_LOCATION, "jpeg", items, {"date_taken": "2024:01:02 03:04:05"})
               for i in range(5)]
    text = render_scan(records, {"scanned": 5, "with_location": 5, "without_location": 0, "unreadable": 0},
                       "json")
else:
    outcomes = [Outcome(Path(f"p/{i}.jpg"), Path(f"out/{i}.jpg"), CLEANED if i else NO_LOCATION, items=items)
                for i in range(5)]
    text = render_strip(outcomes, "table", width=80)
assert "p/4.jpg" in text
names = ["json", "typing", "textwrap", "datetime", "re", "digisafe.render.plain", "tabulate", "html"]
print(*[m for m in names if m in sys.modules and m not in before])
"""


def loaded(command: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", CODE, command], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_scan_json_imports_neither_json_nor_typing():
    assert loaded("scan") == []


def test_a_strip_summary_that_fits_imports_neither_textwrap_nor_the_plain_words():
    assert loaded("strip") == []
