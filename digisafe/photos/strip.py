"""Strip location from one file: copy, patch, verify, rename. Never a half-written or unverified
"clean" file: on any doubt or failure the temp file is removed and the outcome says why.

Steps: walk the original (opened read-only); copy it into a temp file in the destination folder
(kernel copy when nothing is cut; a JPEG walked in memory is written from the bytes walked);
overwrite the location bytes (same length); fsync; re-walk the copy with our walker AND read it with
exifread: no location, no doubt, right size; then rename over the destination (atomic) and fsync the
folder.
"""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

from digisafe.core.safefile import NotARegularFile, fsync_dir, make_private_dirs, open_regular
from digisafe.photos import temps
from digisafe.photos.copying import copy_patched as _copy
from digisafe.photos.crosscheck import exifread_gps
from digisafe.photos.formats import walk_file
from digisafe.photos.jpeg_seen import SeenJpeg
from digisafe.photos.outcome import CLEANED, NO_LOCATION, NOT_CLEANED, WOULD_CLEAN, Outcome
from digisafe.photos.types import PhotoError, WalkResult

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: ~3 ms of a small strip's start)
if TYPE_CHECKING:
    from typing import Any, BinaryIO


def sha256_file(path: Path) -> str:
    import hashlib  # (only for --manifest: start-up cost)

    digest = hashlib.sha256()
    with open_regular(path) as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _sha256_walked(src: BinaryIO, st: os.stat_result, seen: SeenJpeg) -> str:
    """The hash of the original as walked: of the bytes the walk read (what a copy is written from),
    else of the file opened for the walk (not of whatever its name points to by now)."""
    import hashlib

    if seen.data is not None and len(seen.data) == st.st_size:
        return hashlib.sha256(seen.data).hexdigest()
    digest = hashlib.sha256()
    src.seek(0)
    for block in iter(lambda: src.read(1 << 20), b""):
        digest.update(block)
    return digest.hexdigest()


def verify(f: BinaryIO, expected_size: int, unchanged: BinaryIO | None = None,
           seen: SeenJpeg | None = None, exifread: bool = True) -> str | None:
    """Why the output ``f`` (the written copy, open for reading) is not clean, or None when it is.

    ``unchanged``: the original (or the bytes its walk read), when the output is a plain copy of it
    (nothing patched or cut) and its walk found no location and no doubt. The copy then holds the
    same bytes (checked: same size; a kernel copy of an original unchanged since it was opened, or
    the very bytes that were walked), so walking it again would repeat the same walk: only
    exifread's independent look is run, on those bytes (in memory, or the original's cached ones).
    ``seen``: the copy was written from the bytes the walk of a JPEG read (``SeenJpeg.for_copy``):
    its walk takes the positions of embedded JPEGs from there instead of searching every byte.
    ``exifread`` False: exifread's look is left to the checker process (digisafe.photos.checker),
    whose answer is awaited before the copy is renamed into place."""
    size = os.fstat(f.fileno()).st_size
    if size != expected_size:
        return f"output has {size} bytes, expected {expected_size}"
    if unchanged is None:
        try:
            _kind, again = walk_file(f, size, seen=seen)
        except PhotoError as exc:
            return f"the cleaned copy could not be re-read ({exc})"
        if again.items:
            return f"location still present after cleaning ({again.items[0].where})"
        if again.doubts:
            return f"the cleaned copy could not be checked with certainty ({again.doubts[0]})"
    if not exifread:
        return None
    left = exifread_gps(f if unchanged is None else unchanged)
    if left:
        return f"exifread still sees GPS tags: {', '.join(left[:3])}"
    return None


def commit_output(outcome: Outcome) -> None:
    """Rename the verified temp file over the destination (atomic)."""
    tmp, outcome.pending = outcome.pending, None
    if tmp is None or outcome.output is None:
        return
    try:
        os.replace(tmp, outcome.output)
        temps.forget(tmp)
    except OSError as exc:
        temps.remove(tmp)
        outcome.status, outcome.sha256_after = NOT_CLEANED, None
        outcome.reason = f"could not put the cleaned file in place: {exc.strerror or exc}"


def discard_output(outcome: Outcome) -> None:
    if outcome.pending is not None:
        temps.remove(outcome.pending)
        outcome.pending = None


def strip_file(source: Path, output: Path | None, *, dry_run: bool = False, hashes: bool = False) -> Outcome:
    """Clean ``source`` into ``output`` (``output == source`` for in place; None = look only)."""
    outcome = prepare(source, output, dry_run=dry_run, hashes=hashes, sync_each=True)
    try:
        commit_output(outcome)
    finally:
        discard_output(outcome)
    if outcome.output is not None and outcome.status in (CLEANED, NO_LOCATION) and not dry_run:
        fsync_dir(outcome.output.parent)
    return outcome


def prepare(source: Path, output: Path | None, *, dry_run: bool, hashes: bool, sync_each: bool) -> Outcome:
    """Everything up to (not including) the rename: walk, copy, patch, verify into a temp file."""
    outcome = Outcome(source, output, NOT_CLEANED)
    seen = SeenJpeg()
    try:
        with open_regular(source) as src:
            st = os.fstat(src.fileno())
            outcome.kind, result = walk_file(src, st.st_size, seen=seen)
            outcome.items = list(result.items)
            if result.doubts:
                outcome.reason = "could not be read with certainty: " + result.doubts[0]
                return outcome
            if hashes:
                outcome.sha256_before = _sha256_walked(src, st, seen)
            if not result.items:
                outcome.status = NO_LOCATION
                if not dry_run and output is not None and output != source:
                    # --out: an unchanged (verified) copy keeps the mirror complete
                    _write(outcome, src, st, result, sync_each, hashes, NO_LOCATION, seen)
                return outcome
            if dry_run or output is None:
                outcome.status = WOULD_CLEAN
                return outcome
            _write(outcome, src, st, result, sync_each, hashes, CLEANED, seen)
            return outcome
    except PhotoError as exc:
        outcome.status, outcome.reason = NOT_CLEANED, str(exc)
    except NotARegularFile:
        outcome.status, outcome.reason = NOT_CLEANED, "not a regular file"
    except OSError as exc:
        outcome.status, outcome.reason = NOT_CLEANED, f"cannot read or write: {exc.strerror or exc}"
    discard_output(outcome)
    return outcome


_made: set[Path] = set()
CHECKER: Any = None  # a digisafe.photos.checker.Checker while strip_many runs one (else exifread looks inline)


def _temp_in(folder: Path, name: str) -> tuple[int, Path]:
    """A temp file in ``folder``, creating the folder the first time this process needs it (one
    mkdir per folder, not one per file; again if it was removed meanwhile)."""
    if folder not in _made:
        make_private_dirs(folder)
        _made.add(folder)
    try:
        return temps.create(folder, name)
    except FileNotFoundError:
        make_private_dirs(folder)
        return temps.create(folder, name)


def _write(outcome: Outcome, src: BinaryIO, st: os.stat_result, result: WalkResult, sync_each: bool,
           hashes: bool, success: str, seen: SeenJpeg) -> None:
    output = outcome.output
    assert output is not None
    walked = seen.data if not result.cuts and seen.data is not None and len(seen.data) == st.st_size else None
    # An original replaced in place keeps its mode; a copy we write is the user's alone (0600).
    mode = stat.S_IMODE(st.st_mode) if output == outcome.source else 0o600
    by_fd = hasattr(os, "fchmod") and os.utime in os.supports_fd  # (not on Windows: by name, once closed)
    fd, tmp = _temp_in(output.parent, output.name)
    try:
        with os.fdopen(fd, "r+b") as dst:
            _copy(src, dst, st.st_size, result, walked)
            dst.flush()
            if by_fd:  # (after the last write, which sets the modification time)
                os.fchmod(dst.fileno(), mode)
                os.utime(dst.fileno(), ns=(st.st_atime_ns, st.st_mtime_ns))
            if sync_each:
                os.fsync(dst.fileno())
            # NOTE: a plain copy is not walked again only when it holds the bytes that were walked:
            # the very bytes (``walked``), or a kernel copy of an original that has not changed since
            # it was opened (a same-size rewrite in place, e.g. adding location, between the walk and
            # the copy was kept as 'no location' unchecked: exifread does not read XMP).
            plain = success == NO_LOCATION and not result.items and not result.patches and not result.cuts \
                and (walked is not None or _unchanged(st, os.fstat(src.fileno())))
            reuse = seen.for_copy(result.patches) if walked is not None else None
            # (exifread then reads the bytes the copy holds: those walked, else the original's)
            unchanged = (src if walked is None else io.BytesIO(walked)) if plain else None
            checker = CHECKER
            problem = verify(dst, st.st_size - sum(c.length for c in result.cuts), unchanged, reuse,
                             exifread=checker is None)
        if problem:
            outcome.status, outcome.reason = NOT_CLEANED, problem
            temps.remove(tmp)
            return
        if not by_fd:
            os.chmod(tmp, mode)
            os.utime(tmp, ns=(st.st_atime_ns, st.st_mtime_ns))
        if hashes:
            outcome.sha256_after = outcome.sha256_before if plain else sha256_file(tmp)
    except BaseException:
        temps.remove(tmp)
        raise
    outcome.status, outcome.pending = success, tmp
    outcome.changes = changes_made(result)
    if checker is not None:  # (the copy holds the bytes exifread would have read: those walked, or equal)
        checker.submit(outcome, tmp)


def _unchanged(before: os.stat_result, after: os.stat_result) -> bool:
    return (before.st_size, before.st_mtime_ns, before.st_ctime_ns) == (after.st_size, after.st_mtime_ns,
                                                                        after.st_ctime_ns)


def changes_made(result: WalkResult) -> list[dict[str, Any]]:
    """The evidence record of what the copy changed, from the walkers' patch list: every overwritten
    byte range (original-file offsets; touching ranges joined) and every range left out, with what
    each was."""
    merged: list[list[Any]] = []  # [start, end, whats]
    for p in sorted(result.patches, key=lambda p: p.offset):
        what = p.what or "location data overwritten"
        if merged and p.offset <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], p.end)
            if what not in merged[-1][2]:
                merged[-1][2].append(what)
        elif p.data:
            merged.append([p.offset, p.end, [what]])
    changes = [{"offset": lo, "length": hi - lo, "what": "; ".join(whats)} for lo, hi, whats in merged]
    changes += [{"offset": c.offset, "length": c.length, "what": "left out of the copy"} for c in result.cuts]
    return changes
