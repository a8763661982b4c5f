"""IPTCDigest (Photoshop resource 0x0425, MD5 of the IPTC block) stays current when strip changes
IPTC held in TIFF tag 33723 while the digest sits in the Photoshop resources of tag 34377 (TIFF,
DNG, CR2 ... as exiftool writes them). exiftool -validate said "IPTCDigest is not current"."""

from __future__ import annotations

import hashlib
import shutil
import subprocess

import pytest
from PIL import Image, TiffImagePlugin

from digisafe.photos.formats import walk_path
from digisafe.photos.strip import CLEANED, strip_file
from tests.photos import photo_build as build

TAG_IPTC, TAG_PHOTOSHOP = 33723, 34377


def irb_with_digest(iptc: bytes) -> bytes:
    digest = hashlib.md5(iptc).digest()  # noqa: S324 - the format's own digest
    return b"8BIM\x04\x25\0\0" + len(digest).to_bytes(4, "big") + digest


def make_tiff(path, order: str) -> bytes:
    iptc = build.iptc_block(b"Leeds")
    iptc += bytes(-len(iptc) % 4)
    info = TiffImagePlugin.ImageFileDirectory_v2()
    info[TAG_IPTC], info[TAG_PHOTOSHOP] = iptc, irb_with_digest(iptc)
    info.tagtype[TAG_IPTC] = info.tagtype[TAG_PHOTOSHOP] = 7
    Image.new("RGB", (8, 8), (10, 20, 30)).save(path, "TIFF", tiffinfo=info, **({"byteorder": order}))
    return iptc


def _raw(value) -> bytes:
    return b"".join(value) if isinstance(value, tuple) else bytes(value)


@pytest.mark.parametrize("order", ["<", ">"])
def test_digest_follows_the_cleaned_iptc_tag(tmp_path, order):
    src = tmp_path / "in.tif"
    iptc = make_tiff(src, order)
    assert any(i.carrier == "iptc" for i in walk_path(src)[1].items)
    done = strip_file(src, tmp_path / "out.tif")
    assert done.status == CLEANED, done.reason
    with Image.open(tmp_path / "out.tif") as im:
        new_iptc, irb = _raw(im.tag_v2[TAG_IPTC]), _raw(im.tag_v2[TAG_PHOTOSHOP])
    assert b"Leeds" not in new_iptc and len(new_iptc) == len(iptc)
    assert irb[-16:] == hashlib.md5(new_iptc).digest()  # noqa: S324
    assert irb[-16:] != hashlib.md5(iptc).digest()  # noqa: S324


@pytest.mark.skipif(shutil.which("exiftool") is None, reason="exiftool is not installed")
def test_exiftool_validate_finds_the_digest_current(tmp_path):
    make_tiff(tmp_path / "in.tif", "<")
    assert strip_file(tmp_path / "in.tif", tmp_path / "out.tif").status == CLEANED
    shown = subprocess.run(["exiftool", "-validate", "-warning", "-a", str(tmp_path / "out.tif")],
                           capture_output=True, text=True, check=False)
    assert "IPTCDigest is not current" not in shown.stdout + shown.stderr
