"""DS-PHOTO-010 against a fake home folder holding real photos."""

from __future__ import annotations

import pytest
from digisafe.checks.photo_location import PhotoLocationCheck

from digisafe.core.check import CheckSkipped
from digisafe.core.model import Finding, Limitation
from tests.photos import photo_build as build


def test_counts_photos_with_location(make_ctx):
    ctx = make_ctx()
    pics = ctx.files.path("~/Pictures")
    (pics / "2023").mkdir(parents=True)
    build.make_jpeg(pics / "2023" / "a.jpg")
    build.make_png(pics / "b.png")
    build.make_jpeg(pics / "plain.jpg", gps=False, xmp=False, iptc=False)
    ctx.files.path("~/Downloads").mkdir()
    build.make_webp(ctx.files.path("~/Downloads/c.webp"))
    (ctx.files.path("~/Downloads") / "readme.txt").write_text("hello")
    out = list(PhotoLocationCheck().run(ctx))
    findings = [o for o in out if isinstance(o, Finding)]
    assert not [o for o in out if isinstance(o, Limitation)]
    assert len(findings) == 1
    f = findings[0]
    assert f.check_id == "DS-PHOTO-010" and "3 photos or videos show" in f.title
    assert f.evidence["scanned"] == 4 and f.evidence["with_location"] == 3 and f.evidence["complete"] is True
    assert any(e["path"].endswith("a.jpg") for e in f.evidence["examples"])
    assert "digisafe photos strip" in f.advice and "0808 802 0300" in f.advice


def test_stops_early_and_says_so(make_ctx):
    ctx = make_ctx(options={"DS-PHOTO-010": {"max_files": 2}})
    pics = ctx.files.path("~/Pictures")
    pics.mkdir()
    for i in range(4):
        build.make_jpeg(pics / f"{i}.jpg", xmp=False, iptc=False)
    out = list(PhotoLocationCheck().run(ctx))
    limits = [o for o in out if isinstance(o, Limitation)]
    assert limits and "Stopped early after 2 files" in limits[0].message
    assert "at least" in [o for o in out if isinstance(o, Finding)][0].title


def test_time_limit(make_ctx):
    ticks = iter(range(0, 1000, 10))
    ctx = make_ctx(options={"DS-PHOTO-010": {"max_seconds": 15}}, now=lambda: float(next(ticks)))
    pics = ctx.files.path("~/Pictures")
    pics.mkdir()
    for i in range(5):
        build.make_jpeg(pics / f"{i}.jpg", gps=False, xmp=False, iptc=False)
    out = list(PhotoLocationCheck().run(ctx))
    assert [o for o in out if isinstance(o, Limitation)]


def test_configured_folders_and_clean_result(make_ctx):
    ctx = make_ctx(options={"DS-PHOTO-010": {"folders": ["~/Camera"]}})
    cam = ctx.files.path("~/Camera")
    cam.mkdir()
    build.make_jpeg(cam / "plain.jpg", gps=False, xmp=False, iptc=False)
    assert list(PhotoLocationCheck().run(ctx)) == []


def test_unreadable_photo_is_a_limitation(make_ctx):
    ctx = make_ctx()
    pics = ctx.files.path("~/Pictures")
    pics.mkdir()
    (pics / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe1\x00\x40Exif")
    out = list(PhotoLocationCheck().run(ctx))
    assert [o for o in out if isinstance(o, Limitation)]


def test_skipped_without_folders(make_ctx):
    with pytest.raises(CheckSkipped):
        list(PhotoLocationCheck().run(make_ctx()))
