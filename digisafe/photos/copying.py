"""The copy of a photo that strip writes: the original's bytes (from memory when it was walked
whole, else the kernel copy, else plain reads) with the cuts left out and the patches applied.
strip.py calls ``copy_patched`` (as ``_copy``) for each output."""

from __future__ import annotations

import os

from digisafe.photos.types import PhotoError, WalkResult

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: ~3 ms of a small strip's start)
if TYPE_CHECKING:
    from typing import BinaryIO


def copy_patched(src: BinaryIO, dst: BinaryIO, size: int, result: WalkResult, walked: bytes | None = None) -> None:
    """Copy ``src`` into ``dst`` and apply the patches. ``walked``: the whole file as the walk read it
    (see jpeg_seen): written as it is, so the copy holds exactly the bytes that were walked."""
    cuts = sorted(result.cuts, key=lambda c: c.offset)
    if walked is not None and not cuts and len(walked) == size:
        patches = sorted(result.patches, key=lambda p: p.offset)
        if patches and all(a.end <= b.offset for a, b in zip(patches, patches[1:])) \
                and patches[0].offset >= 0 and patches[-1].end <= size:
            # NOTE: the walked bytes and the patches written in file order, through the buffer: the
            # same bytes as the write and the seek + write per patch below, with two system calls
            # per patch fewer (and no copy of the walked bytes: slices of a memoryview).
            view, pos = memoryview(walked), 0
            for patch in patches:
                dst.write(view[pos:patch.offset])
                dst.write(patch.data)
                pos = patch.end
            dst.write(view[pos:])
            return
        dst.write(walked)  # (faster than the kernel copy too: the bytes are in memory already)
    elif not cuts:
        src.seek(0)
        try:
            _plain_copy(src, dst) if os.name == "nt" else _kernel_copy(src, dst, size)
        except OSError:
            src.seek(0)
            dst.seek(0)
            dst.truncate()
            _plain_copy(src, dst)
    else:
        pos = 0
        for cut in cuts:
            _copy_range(src, dst, pos, cut.offset - pos)
            pos = max(pos, cut.end)
        _copy_range(src, dst, pos, size - pos)
    # NOTE: patches are in original-file coordinates; map them past the cuts before writing.
    for patch in result.patches:
        if any(c.offset <= patch.offset < c.end for c in cuts):
            continue
        shift = sum(c.length for c in cuts if c.end <= patch.offset)
        dst.seek(patch.offset - shift)
        dst.write(patch.data)


def _plain_copy(src: BinaryIO, dst: BinaryIO) -> None:
    import shutil  # (Windows, or a kernel copy that failed: start-up cost elsewhere)

    shutil.copyfileobj(src, dst, 1 << 20)


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
