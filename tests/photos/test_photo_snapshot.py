"""Collect, then judge: DS-PHOTO-010 judged from a PhotoSurvey built by hand (no Context, no files)."""

from __future__ import annotations

from pathlib import Path

import pytest
from digisafe.checks.photo_location import PhotoLocationCheck

from digisafe.core.check import CheckSkipped
from digisafe.core.model import Finding, Limitation, Severity
from digisafe.photos.scan import UNREADABLE, WITH_LOCATION, WITHOUT, ScanRecord
from digisafe.photos.survey import PhotoSurvey
from digisafe.photos.types import LocationItem


def split(items):
    items = list(items)
    return [i for i in items if isinstance(i, Finding)], [i.message for i in items if isinstance(i, Limitation)]


def test_photos_judged_from_a_survey():
    pictures = Path("/home/sam/Pictures")
    gps = LocationItem("exif-gps", "JPEG APP1 > IFD0 > GPS IFD", {"latitude": 53.8, "longitude": -1.55})
    records = (ScanRecord(pictures / "a.jpg", WITH_LOCATION, "jpeg", [gps]),
               ScanRecord(pictures / "b.jpg", WITHOUT, "jpeg"),
               ScanRecord(pictures / "c.heic", UNREADABLE, error="truncated"))  # fmt: skip
    survey = PhotoSurvey(("~/Pictures", "~/Desktop"), (pictures,), records, complete=False, max_files=3)
    (finding,), limits = split(PhotoLocationCheck().judge(survey))
    assert finding.severity is Severity.LOW and finding.title.startswith("1 photo or video shows")
    assert "(at least: the scan stopped early)" in finding.title
    assert finding.evidence["examples"][0]["coordinates"] == [[53.8, -1.55]] and finding.evidence["scanned"] == 3
    assert limits[0].startswith("Stopped early after 3 files (limits: 3 files, 30 seconds)")
    assert limits[1].startswith("1 photo could not be read completely, so its location") and "c.heic" in limits[1]
    clean = PhotoSurvey(("~/Pictures",), (pictures,), records[1:2])
    assert split(PhotoLocationCheck().judge(clean)) == ([], [])
    with pytest.raises(CheckSkipped, match="none of these folders exist here: ~/Pictures, ~/Desktop"):
        list(PhotoLocationCheck().judge(PhotoSurvey(("~/Pictures", "~/Desktop"), ())))
