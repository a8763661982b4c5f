"""A 2 GB (and a 5 GB) video, sparse on disk, walks and patches with bounded memory: we never read
the video samples."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from tests.photos import isobmff_build as b

SIZE = 2 * 1024 ** 3
PEAK_LIMIT_MB = 100

CHILD = textwrap.dedent("""
    import json, os, resource, sys
    from digisafe.photos.isobmff import walk_isobmff
    path = sys.argv[1]
    size = os.path.getsize(path)
    with open(path, "rb") as f:
        result = walk_isobmff(f, size)
    with open(path, "r+b") as f:
        for p in result.patches:
            f.seek(p.offset)
            f.write(p.data)
    with open(path, "rb") as f:
        again = walk_isobmff(f, size)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:  # NOTE: on Linux ru_maxrss of an exec'ed child starts at its parent's peak; VmHWM does not
        with open("/proc/self/status") as status:
            peak_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except OSError:
        pass
    print(json.dumps({"items": [i.where for i in result.items], "after": len(again.items),
                      "doubts": result.doubts + again.doubts, "peak_kb": peak_kb}))
""")


def sparse_video(path: str, size: int = SIZE) -> list:
    """ftyp, a big mdat (holes, plus 60 real GoPro GPS samples spread over it), moov at the end.
    Past 4 GB the mdat uses a 64-bit largesize and the chunk offsets co64."""
    large = size >= 1 << 32
    head = b.ftyp(b"mp42", b"isom")
    mdat_body = len(head) + (16 if large else 8)
    payload = size - mdat_body - 64 * 1024
    samples = b.gpmf_sample(51.5, -0.12, 20.0)
    gps_offsets = [mdat_body + (i + 1) * (payload // 62) for i in range(60)]
    video = b.trak(b"vide", b.sample_table(b.visual_entry(), [4096], [mdat_body], 1, co64=large))
    gps = b.trak(b"meta", b.sample_table(b.meta_entry(b"gpmd"), [len(samples)] * 60, gps_offsets, 1, co64=large))
    moov = b.box(b"moov", b.full(b"mvhd", bytes(96)) + video + gps + b.box(b"udta", b.xyz("+51.5074-000.1278/")))
    with open(path, "wb") as f:
        if large:
            f.write(head + (1).to_bytes(4, "big") + b"mdat" + (16 + payload).to_bytes(8, "big"))
        else:
            f.write(head + (8 + payload).to_bytes(4, "big") + b"mdat")
        f.write(bytes(range(256)) * 16)  # the first "video" sample
        for off in gps_offsets:
            f.seek(off)
            f.write(samples)
        f.seek(mdat_body + payload)
        f.write(moov)
        f.truncate()
    return gps_offsets


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs resource.getrusage (POSIX)")
@pytest.mark.parametrize("size", [SIZE, 5 * 1024 ** 3], ids=["2GB", "5GB-largesize-co64"])
def test_big_video_strips_in_bounded_memory(tmp_path, size):
    path = str(tmp_path / "big.mp4")
    try:
        sparse_video(path, size)
    except OSError as exc:  # a file system without sparse files or space
        pytest.skip(f"cannot make a sparse {size >> 30} GB file here: {exc}")
    assert os.path.getsize(path) > size - 128 * 1024
    try:
        _check_big_video(path, size)
    finally:
        os.remove(path)  # sparse, but do not leave a 5 GB-looking file behind in the temp folder


def _check_big_video(path: str, size: int) -> None:
    if os.stat(path).st_blocks * 512 > 256 * 1024 ** 2:
        pytest.skip("this file system does not keep the file sparse")
    out = subprocess.run([sys.executable, "-c", CHILD, path], capture_output=True, text=True, timeout=120,
                         cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert len(report["items"]) == 2 and report["items"][1] == "moov/udta/©xyz"
    assert "timed GPS track" in report["items"][0]
    assert report["after"] == 0 and report["doubts"] == []
    peak_mb = report["peak_kb"] / 1024
    print(f"peak RSS walking + patching a {size >> 30} GB MP4: {peak_mb:.1f} MB")
    assert peak_mb < PEAK_LIMIT_MB
    with open(path, "rb") as f:
        f.seek(len(b.ftyp(b"mp42", b"isom")) + (16 if size >= 1 << 32 else 8))
        assert f.read(4096) == bytes(range(256)) * 16  # the video sample is untouched
