"""The photos value classes (plain classes with __slots__, not dataclasses: start-up cost) behave as
the dataclasses they replaced: equality, hashing of the frozen ones, repr, and pickling (results
cross process boundaries from the strip and scan workers)."""

from __future__ import annotations

import copy
import pickle
from pathlib import Path

import pytest

from digisafe.photos.boxes import Box
from digisafe.photos.outcome import CLEANED, NOT_CLEANED, Outcome
from digisafe.photos.scan import ScanRecord
from digisafe.photos.types import Cut, LocationItem, Patch, WalkResult

ITEM = LocationItem("exif-gps", "JPEG APP1 > IFD0 > GPS IFD", {"latitude": 53.8, "longitude": -1.55})
FROZEN = [ITEM, Patch(10, b"\0\0", "GPS IFD emptied"), Cut(5, 7), Box(b"moov", 0, 8, 100, b"", False)]
MUTABLE = [
    WalkResult([ITEM], [Patch(1, b"x")], ["a doubt"], {"make": "Acme"}, [Cut(2, 3)]),
    ScanRecord(Path("a.jpg"), "location", "jpeg", [ITEM], {"make": "Acme"}, [], ""),
    Outcome(Path("a.jpg"), Path("out/a.jpg"), CLEANED, items=[ITEM], sha256_before="ab", changes=[{"offset": 1}]),
]


@pytest.mark.parametrize("record", FROZEN + MUTABLE, ids=lambda r: type(r).__name__)
def test_pickle_copy_and_equality(record):
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        again = pickle.loads(pickle.dumps(record, protocol))
        assert again == record and type(again) is type(record)
    assert copy.copy(record) == record and copy.deepcopy(record) == record
    assert record != object() and not hasattr(record, "__dict__")


@pytest.mark.parametrize("record", FROZEN, ids=lambda r: type(r).__name__)
def test_frozen_records_hash_and_refuse_changes(record):
    if record is not ITEM:  # (its values are a dict: unhashable, as with the dataclass)
        assert hash(record) == hash(copy.copy(record))
        assert len({record, copy.copy(record)}) == 1
    with pytest.raises(AttributeError):
        record.offset = 1  # type: ignore[misc, union-attr]
    with pytest.raises(AttributeError):
        del record.where  # type: ignore[union-attr]


@pytest.mark.parametrize("record", MUTABLE, ids=lambda r: type(r).__name__)
def test_mutable_records_are_unhashable(record):
    with pytest.raises(TypeError):
        hash(record)


def test_defaults_repr_and_order():
    assert repr(Patch(3, b"ab")) == "Patch(offset=3, data=b'ab', what='')"
    assert repr(Cut(1, 2)) == "Cut(offset=1, length=2)"
    assert LocationItem("xmp", "XMP").values == {}
    empty = WalkResult()
    assert (empty.items, empty.patches, empty.doubts, empty.info, empty.cuts) == ([], [], [], {}, [])
    assert WalkResult().items is not WalkResult().items  # a new list each time
    scan = ScanRecord(Path("b.jpg"), "no location")
    assert (scan.kind, scan.items, scan.info, scan.doubts, scan.error) == ("", [], {}, [], "")
    failed = Outcome(Path("c.jpg"), None, NOT_CLEANED)
    assert failed.failed and failed.items == [] and failed.changes == [] and failed.pending is None
    assert Patch(1, b"a") != Patch(1, b"b") and Patch(1, b"a", "x") != Patch(1, b"a", "y")
    assert ITEM == LocationItem(carrier="exif-gps", where=ITEM.where, values=dict(ITEM.values))
