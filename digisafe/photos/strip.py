"""Strip location from one file: copy, patch, verify, rename. Never a half-written or unverified
"clean" file: on any doubt or failure the temp file is removed and the outcome says why.

Steps: walk the original (opened read-only); copy it into a temp file in the destination folder
(kernel copy when nothing is cut); overwrite the location bytes (same length); fsync; re-walk the
copy with our walker AND read it with exifread: no location, no doubt, right size; then rename over
the destination (atomic) and fsync the folder.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Iterator

from digisafe.photos.formats import walk_file
from digisafe.photos.types import LocationItem, PhotoError, WalkResult

CLEANED = "cleaned"  # location removed, output verified
NO_LOCATION = "no location"  # nothing to remove (copied unchanged with --out)
WOULD_CLEAN = "would clean"  # --dry-run
NOT_CLEANED = "NOT cleaned"  # could not be cleaned with certainty: nothing written
EXIFREAD_HEAD = 1 << 20
PROCESS_BATCH = 24  # from this many files on, use worker processes


@dataclass
class Outcome:
    source: Path
    output: Path | None
    status: str
    reason: str = ""
    kind: str = ""
    items: list[LocationItem] = field(default_factory=list)
    sha256_before: str | None = None
    sha256_after: str | None = None

    @property
    def failed(self) -> bool:
        return self.status == NOT_CLEANED

    def to_dict(self) -> dict[str, Any]:
        return {"source": str(self.source), "output": str(self.output) if self.output else None,
                "status": self.status, "reason": self.reason, "format": self.kind,
                "removed": [i.to_dict() for i in self.items] if self.status == CLEANED else [],
                "found": [i.to_dict() for i in self.items],
                "sha256_original": self.sha256_before, "sha256_output": self.sha256_after}


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _copy(src: BinaryIO, dst: BinaryIO, size: int, result: WalkResult) -> None:
    if not result.cuts:
        src.seek(0)
        try:
            shutil.copyfileobj(src, dst, 1 << 20) if os.name == "nt" else _kernel_copy(src, dst, size)
        except OSError:
            src.seek(0)
            dst.seek(0)
            dst.truncate()
            shutil.copyfileobj(src, dst, 1 << 20)
    else:
        pos = 0
        for cut in sorted(result.cuts, key=lambda c: c.offset):
            _copy_range(src, dst, pos, cut.offset - pos)
            pos = max(pos, cut.end)
        _copy_range(src, dst, pos, size - pos)
    # NOTE: patches are in original-file coordinates; map them past the cuts before writing.
    cuts = sorted(result.cuts, key=lambda c: c.offset)
    for patch in result.patches:
        if any(c.offset <= patch.offset < c.end for c in cuts):
            continue
        shift = sum(c.length for c in cuts if c.end <= patch.offset)
        dst.seek(patch.offset - shift)
        dst.write(patch.data)


def _kernel_copy(src: BinaryIO, dst: BinaryIO, size: int) -> None:
    copied, fin, fout = 0, src.fileno(), dst.fileno()
    copy = getattr(os, "copy_file_range", None)
    while copied < size:
        if copy is not None:
            n = copy(fin, fout, size - copied, copied, copied)
        else:
            n = os.sendfile(fout, fin, copied, size - copied)
        if n <= 0:
            raise OSError("short copy")
        copied += n


def _copy_range(src: BinaryIO, dst: BinaryIO, start: int, length: int) -> None:
    src.seek(start)
    while length > 0:
        block = src.read(min(length, 1 << 20))
        if not block:
            raise PhotoError("the file changed while it was being copied")
        dst.write(block)
        length -= len(block)


def exifread_gps(f: BinaryIO) -> list[str]:
    """GPS tags exifread still sees (the independent cross-check); [] if it sees none or fails."""
    import logging

    import exifread

    logging.getLogger("exifread").setLevel(logging.CRITICAL)
    f.seek(0)
    # NOTE: exifread makes thousands of tiny reads; hand it the head of the file in memory (EXIF
    # sits at the start of every format it reads) and the whole file only when the head is not enough.
    head = io.BytesIO(f.read(EXIFREAD_HEAD))
    try:
        tags = exifread.process_file(head, details=False, extract_thumbnail=False)
        if not tags and len(head.getbuffer()) == EXIFREAD_HEAD:
            f.seek(0)
            tags = exifread.process_file(f, details=False, extract_thumbnail=False)
    except Exception:  # noqa: BLE001 - exifread fails on many valid files; our walker is primary
        return []
    return sorted(k for k in tags if k.startswith("GPS ") and k != "GPS GPSVersionID")


def verify(path: Path, expected_size: int) -> str | None:
    """Why the output is not clean, or None when it is."""
    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if size != expected_size:
            return f"output has {size} bytes, expected {expected_size}"
        try:
            _kind, again = walk_file(f, size)
        except PhotoError as exc:
            return f"the cleaned copy could not be re-read ({exc})"
        if again.items:
            return f"location still present after cleaning ({again.items[0].where})"
        if again.doubts:
            return f"the cleaned copy could not be checked with certainty ({again.doubts[0]})"
        left = exifread_gps(f)
        if left:
            return f"exifread still sees GPS tags: {', '.join(left[:3])}"
    return None


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _strip_job(job: tuple[Path, Path | None], dry_run: bool, hashes: bool) -> Outcome:
    return strip_file(job[0], job[1], dry_run=dry_run, hashes=hashes, fsync_folder=False)


def _pool(count: int) -> Any:
    """Worker processes for big batches on POSIX (parsing is CPU-bound; fork is cheap and keeps the
    imported modules); threads otherwise. More workers than CPUs, to overlap the fsync waits."""
    from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

    cpus = os.cpu_count() or 1
    if count >= PROCESS_BATCH and cpus > 1 and os.name == "posix":
        import multiprocessing

        if "fork" in multiprocessing.get_all_start_methods():
            return ProcessPoolExecutor(max_workers=min(2 * cpus, 8), mp_context=multiprocessing.get_context("fork"))
    return ThreadPoolExecutor(max_workers=max(1, min(4, count)))


def strip_many(jobs: list[tuple[Path, Path | None]], *, dry_run: bool = False,
               hashes: bool = False) -> Iterator[Outcome]:
    """Strip many files; outcomes in the order of ``jobs``. Each output folder is fsynced once at the
    end, after all its renames."""
    import functools

    folders: set[Path] = set()
    work = functools.partial(_strip_job, dry_run=dry_run, hashes=hashes)
    try:
        with _pool(len(jobs)) as pool:
            for outcome in pool.map(work, jobs, chunksize=max(1, min(16, len(jobs) // 32))):
                if outcome.output is not None and outcome.status in (CLEANED, NO_LOCATION) and not dry_run:
                    folders.add(outcome.output.parent)
                yield outcome
    finally:
        for folder in folders:
            _fsync_dir(folder)


def strip_file(source: Path, output: Path | None, *, dry_run: bool = False, hashes: bool = False,
               fsync_folder: bool = True) -> Outcome:
    """Clean ``source`` into ``output`` (``output == source`` for in place; None = look only)."""
    outcome = Outcome(source, output, NOT_CLEANED)
    try:
        with open(source, "rb") as src:
            st = os.fstat(src.fileno())
            if not stat.S_ISREG(st.st_mode):
                outcome.reason = "not a regular file"
                return outcome
            outcome.kind, result = walk_file(src, st.st_size)
            outcome.items = list(result.items)
            if result.doubts:
                outcome.reason = "could not be read with certainty: " + result.doubts[0]
                return outcome
            if hashes:
                outcome.sha256_before = sha256_file(source)
            if not result.items:
                return _unchanged(outcome, src, st, result, dry_run, fsync_folder)
            if dry_run or output is None:
                outcome.status = WOULD_CLEAN
                return outcome
            _write(outcome, src, st, result, fsync_folder)
            if hashes and outcome.status == CLEANED:
                outcome.sha256_after = sha256_file(output)
            return outcome
    except PhotoError as exc:
        outcome.reason = str(exc)
    except OSError as exc:
        outcome.reason = f"cannot read or write: {exc.strerror or exc}"
    return outcome


def _unchanged(outcome: Outcome, src: BinaryIO, st: os.stat_result, result: WalkResult, dry_run: bool,
               fsync_folder: bool) -> Outcome:
    outcome.status = NO_LOCATION
    if dry_run or outcome.output is None or outcome.output == outcome.source:
        return outcome
    _write(outcome, src, st, result, fsync_folder)  # --out: an unchanged (verified) copy keeps the mirror complete
    if outcome.status == CLEANED:
        outcome.status = NO_LOCATION
    return outcome


def _write(outcome: Outcome, src: BinaryIO, st: os.stat_result, result: WalkResult, fsync_folder: bool) -> None:
    output = outcome.output
    assert output is not None
    folder = output.parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".digisafe-tmp", dir=folder)
    tmp = Path(tmp_name)
    expected = st.st_size - sum(c.length for c in result.cuts)
    try:
        with os.fdopen(fd, "r+b") as dst:
            _copy(src, dst, st.st_size, result)
            dst.flush()
            os.fsync(dst.fileno())
        problem = verify(tmp, expected)
        if problem:
            outcome.status, outcome.reason = NOT_CLEANED, problem
            tmp.unlink()
            return
        os.chmod(tmp, stat.S_IMODE(st.st_mode))
        os.utime(tmp, ns=(st.st_atime_ns, st.st_mtime_ns))
        os.replace(tmp, output)
    except BaseException:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise
    if fsync_folder:
        _fsync_dir(folder)
    outcome.status = CLEANED
