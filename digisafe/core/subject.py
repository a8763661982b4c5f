"""Subjects: what one audit looks at (this laptop, a captured listing, a phone, the Bluetooth around).

A ``Subject`` knows its kind and a plain description (``SubjectInfo``, recorded in the report) and
builds the ``Context`` its checks read through: only the providers it really has are set. Checks
declare the subject kinds they apply to (``Check.subjects``); the runner selects by subject first,
then by platform. Subjects that touch the real machine live in ``digisafe.system`` (the laptop) or
beside their transport (a phone); the listing subject lives in ``digisafe.listings``.

NOTE: ``SubjectInfo``, ``Identity`` and ``Subject`` are defined in ``digisafe.core.subject_info``
and loaded from here on first use: every check module imports ``SubjectKind`` from this module,
and `digisafe checks` (which imports them all) must not pay for dataclasses it never uses.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from digisafe.core.subject_info import Identity, Subject, SubjectInfo

__all__ = ["Identity", "Subject", "SubjectInfo", "SubjectKind"]


class SubjectKind(str, enum.Enum):
    LAPTOP = "laptop"  # the computer digisafe runs on, live
    LISTING = "listing"  # a process listing captured on another computer
    ANDROID = "android"  # an Android phone on USB
    IOS = "ios"  # an iPhone or iPad on USB
    BLUETOOTH = "bluetooth"  # the Bluetooth devices around the person

    def __str__(self) -> str:
        return self.value

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    SubjectKind.LAPTOP: "this laptop",
    SubjectKind.LISTING: "a captured process listing",
    SubjectKind.ANDROID: "an Android phone",
    SubjectKind.IOS: "an iPhone or iPad",
    SubjectKind.BLUETOOTH: "the Bluetooth devices nearby",
}


def __getattr__(name: str) -> Any:
    if name in ("Identity", "Subject", "SubjectInfo"):
        from digisafe.core import subject_info

        return getattr(subject_info, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
