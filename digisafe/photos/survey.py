"""Collector for DS-PHOTO-010: scan the person's usual photo folders, within a file and time budget,
into a ``PhotoSurvey`` (the walkers per format do the reading; see ``digisafe.photos.scan``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    from digisafe.core.context import Context
    from digisafe.photos.scan import ScanRecord


@dataclass(frozen=True)
class PhotoSurvey:
    asked: tuple[str, ...]  # the folders as named ("~/Pictures")
    folders: tuple[Path, ...]  # those that exist here, scanned in this order
    records: tuple[ScanRecord, ...] = ()
    complete: bool = True  # False when a limit stopped the scan
    max_files: int = 2000
    max_seconds: float = 30.0
    home: Path | None = None  # the home folder, so printed commands say ~/Pictures (issue 12)


def survey_photos(ctx: Context, names: Sequence[str], max_files: int, max_seconds: float) -> PhotoSurvey:
    from digisafe.photos.scan import scan

    existing = tuple(f for f in (ctx.files.path(n) for n in names) if f.is_dir())
    if not existing:
        return PhotoSurvey(tuple(names), (), max_files=max_files, max_seconds=max_seconds, home=ctx.files.home)
    records, complete = scan(list(existing), max_files=max_files, deadline=ctx.now() + max_seconds,
                             clock=ctx.now, only_photos=True, quick=True)  # fmt: skip
    return PhotoSurvey(tuple(names), existing, tuple(records), complete, max_files, max_seconds, ctx.files.home)
