"""Timed GPS tracks (GoPro gpmd, camm): every sample zeroed in place, video samples untouched."""

from __future__ import annotations

import pytest

from digisafe.photos.types import PhotoError
from tests.photos import isobmff_build as b
from tests.photos.test_video import VIDEO, apply, walk

ROUTE = [(51.5007, -0.1246, 11.0), (51.5010, -0.1250, 12.0), (51.5014, -0.1255, 12.5), (51.5020, -0.1260, 13.0)]


def gps_samples(kind: bytes):
    make = b.gpmf_sample if kind == b"gpmd" else b.camm_sample
    return [make(*fix) for fix in ROUTE]


@pytest.mark.parametrize("kind", [b"gpmd", b"camm"])
@pytest.mark.parametrize("per_chunk, co64", [(1, False), (3, True)])
def test_timed_track_found_and_zeroed(kind, per_chunk, co64):
    samples = gps_samples(kind)
    data = b.movie(b"mp42", VIDEO, gps_track=(kind, samples), per_chunk=per_chunk, co64=co64)
    result = walk(data)
    assert not result.doubts
    [item] = result.items
    assert item.where.startswith("moov/trak") and "timed GPS track" in item.where
    assert item.values["samples"] == len(ROUTE)
    assert item.values["latitude"] == pytest.approx(ROUTE[0][0], abs=1e-6)
    assert item.values["longitude"] == pytest.approx(ROUTE[0][1], abs=1e-6)
    cleaned = apply(data, result)
    at = data.index(VIDEO)
    assert cleaned[at:at + len(VIDEO)] == VIDEO  # the video samples are byte-identical
    gps_at, gps_end = at + len(VIDEO), at + len(VIDEO) + len(b"".join(samples))
    assert cleaned[gps_at:gps_end] == bytes(gps_end - gps_at)
    assert cleaned[:at] == data[:at] and cleaned[gps_end:] == data[gps_end:]
    again = walk(cleaned)
    assert again.items == [] and again.patches == [] and again.doubts == []


def test_chunk_offset_outside_the_file_is_an_error():
    data = b.movie(b"mp42", VIDEO, gps_track=(b"gpmd", gps_samples(b"gpmd")))
    stco = data.rindex(b"stco")
    bad = data[:stco + 12] + (10**9).to_bytes(4, "big") + data[stco + 16:]
    with pytest.raises(PhotoError):
        walk(bad)


def test_other_metadata_tracks_are_left_alone():
    data = b.movie(b"mp42", VIDEO, gps_track=(b"tmcd", [bytes(range(1, 5))]))
    assert walk(data).items == []


def test_samples_pointing_outside_the_media_data_are_not_zeroed():
    data = b.movie(b"mp42", VIDEO, gps_track=(b"gpmd", gps_samples(b"gpmd")))
    stco = data.rindex(b"stco")
    hostile = data[:stco + 12] + (8).to_bytes(4, "big") + data[stco + 16:]  # first GPS chunk -> inside ftyp
    result = walk(hostile)
    assert any("outside the media data" in d for d in result.doubts)
    assert all(p.offset >= data.index(b"mdat") for p in result.patches)


def test_dji_flight_metadata_track_is_zeroed():
    data = b.movie(b"mp42", VIDEO, gps_track=(b"djmd", [b"\x0a\x08protobuf" * 3, b"\x12\x04more"]))
    result = walk(data)
    assert result.items[0].values == {"samples": 2}
    assert walk(apply(data, result)).items == []


def test_overlapping_samples_claiming_more_than_the_file_are_refused_quickly():
    sample = b.gpmf_sample(1.0, 2.0, 3.0)
    table = b.sample_table(b.meta_entry(b"gpmd"), [len(sample)] * 50_000, [40] * 50_000, 1)
    data = b.ftyp(b"mp42") + b.box(b"mdat", sample) + b.box(b"moov", b.trak(b"meta", table))
    with pytest.raises(PhotoError):
        walk(data)


def tx3g(text: bytes) -> bytes:
    return len(text).to_bytes(2, "big") + text


@pytest.mark.parametrize("fmt", [b"tx3g", b"text"])
def test_dashcam_subtitles_with_positions_are_zeroed(fmt):
    subs = [tx3g(b"2024/01/02 10:00:00 N51.5074 W0.1278 35km/h"), tx3g(b"$GPRMC,100001,A,5130.44,N,00007.67,W,,")]
    data = b.movie(b"mp42", VIDEO, gps_track=(fmt, subs))
    result = walk(data)
    assert result.items and result.items[0].values == {"samples": 2}
    cleaned = apply(data, result)
    assert b"N51.5074" not in cleaned and b"GPRMC" not in cleaned
    assert walk(cleaned).items == []


def test_ordinary_subtitles_are_left_alone():
    data = b.movie(b"mp42", VIDEO, gps_track=(b"tx3g", [tx3g(b"Hello"), tx3g(b"Chapter 2: the lake at 10.30")]))
    result = walk(data)
    assert result.items == [] and result.patches == [] and "timed_metadata" not in result.info


def mebx_entry(key: str) -> bytes:
    local = b.box(b"\0\0\0\x01", b.box(b"keyd", b"mdta" + key.encode()))
    return b.box(b"mebx", bytes(6) + (1).to_bytes(2, "big") + b.box(b"keys", local))


def test_apple_timed_metadata_with_a_location_key():
    samples = [b.box(b"\0\0\0\x01", b"+51.5074-000.1278/"), b.box(b"\0\0\0\x01", b"+51.5080-000.1280/")]
    movie = b.movie(b"qt  ", VIDEO, gps_track=(b"mebx", samples))
    # swap the plain "mebx" sample entry the builder made for one that declares its keys
    plain = b.meta_entry(b"mebx")
    data = movie.replace(plain, mebx_entry("com.apple.quicktime.location.ISO6709"))
    grown = len(data) - len(movie)
    assert grown > 0
    # the moov (and its stsd) sits after mdat, so growing it moves no sample; fix the box sizes
    data = _resize(data, [b"moov", b"trak", b"mdia", b"minf", b"stbl", b"stsd"], grown, after=data.index(b"mebx"))
    result = walk(data)
    assert result.items and result.items[0].values["samples"] == 2
    assert b"+51.5074" not in apply(data, result)
    still = movie.replace(plain, mebx_entry("com.apple.quicktime.still-image-time"))
    still = _resize(still, [b"moov", b"trak", b"mdia", b"minf", b"stbl", b"stsd"], grown, after=still.index(b"mebx"))
    assert walk(still).items == []


def _resize(data: bytes, types, delta: int, after: int) -> bytes:
    out = bytearray(data)
    for typ in types:
        at = data.rindex(typ, 0, after) - 4
        out[at:at + 4] = (int.from_bytes(data[at:at + 4], "big") + delta).to_bytes(4, "big")
    return bytes(out)
