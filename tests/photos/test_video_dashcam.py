"""Dashcam GPS: Novatek freeGPS blocks found through the moov "gps " index, GPS hidden in free boxes."""

from __future__ import annotations

import struct

from tests.photos import isobmff_build as b
from tests.photos.test_video import VIDEO, apply, mdat_hash, walk


def free_gps(n: int) -> bytes:
    record = struct.pack("<III", 12, 34, 56) + b"A" + b"N" + b"E" + b"\0" + struct.pack("<ff", 5130.44, 7.668)
    return b.box(b"free", b"GPS " + record * (n + 1) + bytes(16))


def novatek(blocks, index=None) -> bytes:
    """ftyp, mdat (video then freeGPS blocks), moov with a "gps " index of (offset, size) pairs."""
    head = b.ftyp(b"mp42", b"isom")
    mdat_body = len(head) + 8
    offsets, pos = [], mdat_body + len(VIDEO)
    for block in blocks:
        offsets.append((pos, len(block)))
        pos += len(block)
    index = offsets if index is None else index
    gps = b.box(b"gps ", struct.pack(">II", 0x101, len(index)) + b"".join(struct.pack(">II", o, s) for o, s in index))
    video = b.trak(b"vide", b.sample_table(b.visual_entry(), [len(VIDEO)], [mdat_body], 1))
    return head + b.box(b"mdat", VIDEO + b"".join(blocks)) + b.box(b"moov", b.full(b"mvhd", bytes(96)) + video + gps)


def test_novatek_blocks_zeroed_after_their_signature():
    blocks = [free_gps(i) for i in range(3)]
    data = novatek(blocks)
    result = walk(data)
    assert not result.doubts
    [item] = result.items
    assert item.values == {"blocks": 3}
    cleaned = apply(data, result)
    assert cleaned.count(b"freeGPS ") == 3 and struct.pack("<ff", 5130.44, 7.668) not in cleaned
    assert cleaned.index(VIDEO) == data.index(VIDEO)
    again = walk(cleaned)
    assert again.items == [] and again.doubts == [] and again.patches == []


def test_index_entry_pointing_at_video_data_is_a_doubt_and_blanks_nothing():
    blocks = [free_gps(0)]
    data = novatek(blocks)
    video_at = data.index(VIDEO)
    hostile = novatek(blocks, index=[(video_at, 64)])
    result = walk(hostile)
    assert result.doubts and result.patches == []


def test_gps_hidden_in_a_top_level_free_box():
    nmea = b"$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A\r\n" * 3
    hidden = b.box(b"free", b.box(b"gps ", nmea) + b.box(b"3gf ", bytes(range(50))))
    plain_free = b.box(b"free", bytes(64))
    data = b.movie(b"mp42", VIDEO, top_extra=plain_free + hidden)
    result = walk(data)
    [item] = result.items
    assert "hidden GPS" in item.where
    cleaned = apply(data, result)
    assert b"GPRMC" not in cleaned and mdat_hash(cleaned) == mdat_hash(data)
    assert walk(cleaned).items == []


def test_gps_atom_holding_nmea_sentences_or_an_unknown_layout():
    nmea = b"$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A\r\n"
    data = b.movie(b"mp42", VIDEO, udta=b.box(b"gps ", nmea))
    result = walk(data)
    assert result.items and b"GPRMC" not in apply(data, result)
    odd = b.movie(b"mp42", VIDEO, extra_moov=b.box(b"gps ", b"\0\0\0\0\xff\xff\xff\xff"))
    assert walk(odd).doubts


def test_novatek_blocks_as_top_level_free_boxes_between_mdats():
    head = b.ftyp(b"mp42", b"isom")
    mdat = b.box(b"mdat", VIDEO)
    blocks = [free_gps(0), free_gps(1)]
    first = len(head) + len(mdat)
    index = [(first, len(blocks[0])), (first + len(blocks[0]), len(blocks[1]))]
    gps = b.box(b"gps ", struct.pack(">II", 0x101, 2) + b"".join(struct.pack(">II", o, s) for o, s in index))
    video = b.trak(b"vide", b.sample_table(b.visual_entry(), [len(VIDEO)], [len(head) + 8], 1))
    data = head + mdat + b"".join(blocks) + b.box(b"moov", b.full(b"mvhd", bytes(96)) + video + gps)
    result = walk(data)
    assert not result.doubts and result.items
    cleaned = apply(data, result)
    again = walk(cleaned)
    assert again.items == [] and again.doubts == [] and cleaned.count(b"freeGPS ") == 2
