"""What the walk of one JPEG saw, kept for ``photos strip``: the file's bytes exactly as they were
walked (read whole, in one read) and every ``FF D8 FF`` after its first scan (where an embedded JPEG
may start).

strip writes its copy from exactly these bytes, then its patches (not a kernel copy of a file that
could have changed since it was walked). The verify walk of that copy is the full walk with one
difference: it does not search every byte of the copy for ``FF D8 FF`` again (for a 4 MB photo that
search is most of the walk). The copy holds the walked bytes everywhere outside the patches, so an
``FF D8 FF`` there is one the first walk found; one that overlaps a patch (the pattern is three
bytes) is looked for in the copy itself, and so is any stretch the first walk did not search. The
positions are therefore exactly those a search of the copy would find.
"""

from __future__ import annotations

from digisafe.photos.types import Patch

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 3 ms of a photo scan's start-up)
if TYPE_CHECKING:
    from typing import List, Optional, Sequence

    from digisafe.photos.view import Data

MAX_POSITIONS = 4096  # more FF D8 FF than this (a hostile file): not kept, the copy is searched again


class SeenJpeg:
    """Filled by ``jpeg.walk_jpeg(..., seen=)`` when it walks a JPEG in memory."""

    __slots__ = ("data", "start", "positions", "patches")

    def __init__(self) -> None:
        self.data: Optional[bytes] = None  # the whole file as walked (None: not walked in memory)
        self.start = 0  # where the search for FF D8 FF began (the end of the first scan's header)
        self.positions: Optional[List[int]] = None  # every FF D8 FF from ``start`` on (None: not kept)
        self.patches: Optional[Sequence[Patch]] = None  # set on the copy's record (see for_copy)

    def for_copy(self, patches: Sequence[Patch]) -> Optional[SeenJpeg]:
        """The record to verify a copy written from ``data`` with ``patches`` applied; None if
        there is nothing to reuse (the copy is then searched in full)."""
        if self.data is None or self.positions is None:
            return None
        copy = SeenJpeg()
        copy.start, copy.positions, copy.patches = self.start, self.positions, list(patches)
        return copy

    def positions_in(self, copy: Data, start: int) -> List[int]:
        """Every ``FF D8 FF`` of ``copy`` at or after ``start``, in order (see the module note)."""
        import bisect

        from digisafe.photos.jpeg import SOI_SEARCH  # (walk_jpeg, the caller, has imported it)

        assert self.positions is not None and self.patches is not None
        size = len(copy)
        # (an FF D8 FF at p reads bytes p, p+1, p+2: it overlaps a patch [lo, hi) when lo-2 <= p < hi)
        dirty = sorted((p.offset - 2, p.end) for p in self.patches if p.data)
        merged: List[List[int]] = []
        for lo, hi in dirty:
            if merged and lo <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], hi)
            else:
                merged.append([lo, hi])
        starts = [lo for lo, _hi in merged]

        def clean(p: int) -> bool:
            i = bisect.bisect_right(starts, p) - 1
            return i < 0 or p >= merged[i][1]

        found = {p for p in self.positions if p >= start and clean(p)}
        windows = [(lo, hi + 2) for lo, hi in merged]
        if start < self.start:  # (the copy's first scan ends earlier: search up to where the walk began)
            windows.append((start, self.start + 2))
        for lo, hi in windows:
            lo, hi = max(lo, start, 0), min(hi, size)
            if hi - lo >= 3:
                found.update(lo + m.start() for m in SOI_SEARCH.finditer(bytes(copy[lo:hi])))
        return sorted(found)
