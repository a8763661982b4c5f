"""DS-PHOTO-010: photos on this laptop that reveal where they were taken.

What it looks at: the photos and videos in your usual folders (Pictures, Desktop and Downloads;
a profile can change the list with the option "folders") and the location stored inside each file:
GPS coordinates (EXIF), place names (IPTC and XMP: city, country, sub-location) and the location
of phone videos. It only reads the files; nothing is changed. To stay quick it stops after a number
of files ("max_files", default 2000) or seconds ("max_seconds", default 30) and says so when it did,
and in JPEGs it follows the multi-picture index instead of searching the whole file for hidden
extra pictures (`digisafe photos scan` searches everything).

Why it matters: a phone records where each photo was taken. If a photo is sent to someone or
posted online, the person receiving it can often read the exact place: a home, a refuge, a school
or a workplace. Photos in Downloads may also have come from someone else and show where they were.

False positives: photos taken on holiday or in public places; a location you are happy to share.
Some location is rounded or wrong (for example 0, 0).

What to do: before sending or posting a photo, make a cleaned copy with
`digisafe photos strip FOLDER --out CLEAN-FOLDER` (the picture itself is not changed) and share
the copy. Keep the originals: they can be evidence. On your phone, turn off location for the
camera app. Talk to a stalking advocate (ISAC) if you think photos you shared were used to find you.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from digisafe.core.check import SAFETY_CAUTION, Check, CheckSkipped, Yielded
from digisafe.core.model import Confidence, Severity
from digisafe.core.options import OptionSpec

if TYPE_CHECKING:
    from digisafe.core.context import Context
    from digisafe.photos.survey import PhotoSurvey

DEFAULT_FOLDERS = ("~/Pictures", "~/Desktop", "~/Downloads")
EXAMPLES = 5


def _as_list(value: object, default: tuple[str, ...]) -> list[str]:
    if value is None:
        return list(default)
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]  # type: ignore[union-attr]


def _holding(folders: list, found: list) -> list:
    """The folders (of those searched) that hold at least one photo with a location."""
    return [f for f in folders if any(f == r.path.parent or f in r.path.parents for r in found)]


class PhotoLocationCheck(Check):
    id = "DS-PHOTO-010"
    title = "Photos that reveal where they were taken"
    category = "photos"
    why = "A photo sent or posted with its location can show someone where you live or stay."
    options = {
        "folders": OptionSpec("texts", 'folders to look in (default ["~/Pictures", "~/Desktop", "~/Downloads"])'),
        "max_files": OptionSpec("integer", "stop after this many files (default 2000)", minimum=1),
        "max_seconds": OptionSpec("number", "stop after this many seconds (default 30)", minimum=0),
    }

    def run(self, ctx: Context) -> Iterable[Yielded]:
        from digisafe.photos.survey import survey_photos

        names = _as_list(ctx.option(self.id, "folders"), DEFAULT_FOLDERS)
        max_files = int(ctx.option(self.id, "max_files", 2000))
        max_seconds = float(ctx.option(self.id, "max_seconds", 30))
        yield from self.judge(survey_photos(ctx, names, max_files, max_seconds))

    def judge(self, survey: PhotoSurvey) -> Iterable[Yielded]:
        """One finding for the photos that carry a location; no Context needed."""
        from digisafe.photos.scan import UNREADABLE, WITH_LOCATION

        if not survey.folders:
            raise CheckSkipped(f"none of these folders exist here: {', '.join(survey.asked)}. To check photos "
                               "elsewhere run: digisafe photos scan FOLDER")
        records, complete, existing = list(survey.records), survey.complete, list(survey.folders)
        if not complete:
            from digisafe.render.shell import shell_path

            where = " ".join(shell_path(f, survey.home) for f in existing)
            yield self.limitation(
                f"Stopped early after {len(records)} files (limits: {survey.max_files} files, "
                f"{survey.max_seconds:g} seconds); other photos were not checked. For a full look run: "
                f"digisafe photos scan {where}")
        unreadable = [r for r in records if r.status == UNREADABLE]
        if unreadable:
            photos = "1 photo" if len(unreadable) == 1 else f"{len(unreadable)} photos"
            their = "its" if len(unreadable) == 1 else "their"
            yield self.limitation(f"{photos} could not be read completely, so {their} location "
                                  f"is unknown (for example {unreadable[0].path}).")
        found = [r for r in records if r.status == WITH_LOCATION]
        if found:
            yield self._finding(found, len(records), existing, complete, survey.home)

    def _finding(self, found: list, scanned: int, folders: list, complete: bool, home: object) -> Yielded:
        from digisafe.render.shell import strip_commands
        from digisafe.render.wording import plural

        examples = []
        for r in found[:EXAMPLES]:
            coords = r.coordinates()
            examples.append({"path": str(r.path), "found_in": sorted({i.carrier for i in r.items}),
                             "coordinates": [list(c) for c in coords[:1]], "places": r.places()[:3]})
        more = "" if complete else " (at least: the scan stopped early)"
        return self.finding(
            Severity.LOW,
            (f"1 photo or video shows where it was taken{more}" if len(found) == 1 else
             f"{plural(len(found), 'photo or video', 'photos or videos')} show where they were taken{more}"),
            subject=", ".join(str(f) for f in folders),
            detail=(f"Of {scanned} photos and videos checked, {len(found)} carry a location (GPS coordinates "
                    "or place names). Anyone you send or post them to may be able to see where they were taken."),
            confidence=Confidence.HIGH,
            evidence={"with_location": len(found), "scanned": scanned, "complete": complete,
                      "folders": [str(f) for f in folders], "examples": examples},
            advice=("Before you share one of these photos, make cleaned copies with "
                    + " and ".join(strip_commands(_holding(folders, found), home))
                    + " and share the copies. Keep the originals: they can be evidence. " + SAFETY_CAUTION),
            guidance="photos.found-on-laptop",
        )
