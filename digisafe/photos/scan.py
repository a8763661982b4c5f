"""Find photos and videos under the given paths and read their location (read-only, always)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from digisafe.photos.formats import PHOTO_EXTENSIONS, walk_path
from digisafe.photos.types import LocationItem, NotAPhoto, PhotoError, Record

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 3 ms of a photo scan's start-up)
if TYPE_CHECKING:
    from typing import Any, Callable, Iterator

WITH_LOCATION = "location"
WITHOUT = "no location"
UNREADABLE = "unreadable"
SKIPPED = "not a photo"


class ScanRecord(Record):
    __slots__ = ("path", "status", "kind", "items", "info", "doubts", "error")
    path: Path
    status: str
    kind: str
    items: list[LocationItem]
    info: dict[str, Any]
    doubts: list[str]
    error: str

    def __init__(self, path: Path, status: str, kind: str = "", items: list[LocationItem] | None = None,
                 info: dict[str, Any] | None = None, doubts: list[str] | None = None, error: str = "") -> None:
        self.path, self.status, self.kind, self.error = path, status, kind, error
        self.items = [] if items is None else items
        self.info = {} if info is None else info
        self.doubts = [] if doubts is None else doubts

    def coordinates(self) -> list[tuple[float, float]]:
        seen: list[tuple[float, float]] = []
        for item in self.items:
            lat, lon = item.values.get("latitude"), item.values.get("longitude")
            if isinstance(lat, (int, float)) and isinstance(lon, (int, float)):
                pair = (round(float(lat), 6), round(float(lon), 6))
                if pair not in seen:
                    seen.append(pair)
        return seen

    def places(self) -> list[str]:
        names: list[str] = []
        for item in self.items:
            for key, value in item.values.items():
                if key in ("latitude", "longitude", "altitude", "tags") or key.lower().startswith("gps") \
                        or not isinstance(value, str):
                    continue
                if value and value not in names and not value.replace(".", "").replace("-", "").isdigit():
                    names.append(value)
        return names

    def to_dict(self) -> dict[str, Any]:
        return {"path": str(self.path), "status": self.status, "format": self.kind,
                "coordinates": [{"latitude": a, "longitude": b} for a, b in self.coordinates()],
                "places": self.places(), "items": [i.to_dict() for i in self.items],
                "camera": camera(self.info), "date_taken": self.info.get("date_taken"),
                "doubts": list(self.doubts), "error": self.error}


def camera(info: dict[str, Any]) -> str:
    make, model = str(info.get("make", "")).strip(), str(info.get("model", "")).strip()
    if make and model.lower().startswith(make.lower().split()[0]):
        return model
    return " ".join(x for x in (make, model) if x)


def iter_files(paths: list[Path], exclude: Path | None = None,
               only_photos: bool = False) -> Iterator[tuple[Path, Path | None]]:
    """(file, the folder argument it was found under or None for a named file), sorted, no symlinks
    followed inside folders, ``exclude`` (an output folder) never entered."""
    for path in paths:
        if path.is_dir():
            for folder, dirs, files in os.walk(path):
                here = Path(folder)
                dirs[:] = sorted(d for d in dirs if not (exclude and _same(here / d, exclude)))
                for name in sorted(files):
                    candidate = here / name
                    if only_photos and candidate.suffix.lower() not in PHOTO_EXTENSIONS:
                        continue
                    if not candidate.is_symlink() and not name.endswith(".digisafe-tmp"):
                        yield candidate, path
        else:
            yield path, None


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def scan_file(path: Path, named: bool, quick: bool = False) -> ScanRecord:
    try:
        kind, result = walk_path(path, quick=quick)
    except NotAPhoto as exc:
        status = UNREADABLE if named or path.suffix.lower() in PHOTO_EXTENSIONS else SKIPPED
        return ScanRecord(path, status, error=str(exc))
    except PhotoError as exc:
        return ScanRecord(path, UNREADABLE, error=str(exc))
    status = WITH_LOCATION if result.items else (UNREADABLE if result.doubts else WITHOUT)
    error = f"could not be read completely: {result.doubts[0]}" if status == UNREADABLE else ""
    return ScanRecord(path, status, kind, list(result.items), dict(result.info), list(result.doubts), error)


def scan(paths: list[Path], max_files: int | None = None, deadline: float | None = None,
         clock: Callable[[], float] = time.monotonic, only_photos: bool = False,
         quick: bool = False) -> tuple[list[ScanRecord], bool]:
    """Scan everything under ``paths``; (records, complete). Stops early at a limit."""
    records: list[ScanRecord] = []
    for path, folder in iter_files(paths, only_photos=only_photos):
        if (max_files is not None and len(records) >= max_files) or (deadline is not None and clock() > deadline):
            return records, False
        records.append(scan_file(path, named=folder is None, quick=quick))
    return records, True


def summary(records: list[ScanRecord]) -> dict[str, int]:
    counts = {WITH_LOCATION: 0, WITHOUT: 0, UNREADABLE: 0, SKIPPED: 0}
    for r in records:
        counts[r.status] += 1
    return {"scanned": counts[WITH_LOCATION] + counts[WITHOUT] + counts[UNREADABLE],
            "with_location": counts[WITH_LOCATION], "without_location": counts[WITHOUT],
            "unreadable": counts[UNREADABLE], "not_photos": counts[SKIPPED]}
