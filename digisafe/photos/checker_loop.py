"""The checker process's side of digisafe.photos.checker: answer the main process's requests, in
order, until it says goodbye or goes away.

A request is a temp file to look at (exifread's GPS tags in it) or a sync (``SYNC`` + folders):
one syncfs per filesystem, on the descriptor the main process opened before it wrote anything.
(Tried: starting each looked-at copy's write-back early, sync_file_range with no wait, when no
request was waiting; the group's syncfs then took 1 ms instead of 4-5, but the write-back of a
4 MB copy could hold the checker up 10-20 ms, and the main process waited for its answers; the same
write-back from a thread of the checker: the sync took 1-3 ms instead of 5-6, but a 48-photo strip
was no faster, median of 31 alternated runs, loaded machine: 103 -> 107 ms, 67 -> 70 ms CPU of the
strip process. Syncing in the background between looks: file creation in the main process then
waited on the journal.)
"""

from __future__ import annotations

import os
from pathlib import Path

from digisafe.photos.checker import _LEN, NO_ANSWER, NOT_SYNCED, SYNC, SYNCED, _look
from digisafe.system.forkmap import read_exactly, write_all

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: ~3 ms of a small strip's start)
if TYPE_CHECKING:
    from typing import Any, Callable


def serve(requests: int, replies: int, filesystems: dict[int, tuple[int, str]]) -> bool:
    """Answer requests until goodbye (True) or until the request pipe closes without one (False:
    the main process died). ``filesystems``: {device: (descriptor, folder)} (checker._filesystems)."""
    from digisafe.photos import strip  # (strip.exifread_gps: the very function the inline check calls)

    try:
        import exifread  # noqa: F401 - now, while the main process walks the first photos
    except ImportError:
        pass
    syncer = _Syncer(filesystems)
    while True:
        raw = read_exactly(requests, _LEN.size)
        if raw is None:
            return False
        length = _LEN.unpack(raw)[0]
        if length == 0:
            return True
        body = read_exactly(requests, length)
        if body is None:
            return False
        if body.startswith(SYNC):
            answer = syncer.sync(body[len(SYNC):].split(b"\0"))
        else:
            answer = _look_at(body, strip.exifread_gps)
        try:
            write_all(replies, _LEN.pack(len(answer)) + answer)
        except BrokenPipeError:  # the main process is gone
            return False


def _look_at(name: bytes, exifread_gps: Any) -> bytes:
    """exifread's answer for the temp file ``name`` (NO_ANSWER if it failed)."""
    try:
        tags = _look(Path(os.fsdecode(name)), exifread_gps)
    except Exception:  # noqa: BLE001 - "no answer": the main process then looks itself
        return NO_ANSWER
    return "\n".join(tags).encode("utf-8", "surrogateescape")


class _Syncer:
    def __init__(self, filesystems: dict[int, tuple[int, str]]) -> None:
        from digisafe.system.durability import libc_syncfs

        self.filesystems = filesystems
        self.call: Callable[[int], int] | None = libc_syncfs()
        if self.call is not None:
            self.call(-1)  # (looks libc up now, while the main process works; syncs nothing)

    def sync(self, folders: list[bytes]) -> bytes:
        """One syncfs per filesystem holding ``folders``: SYNCED, or NOT_SYNCED if one failed."""
        from digisafe.system.durability import sync_filesystems

        if self.call is None:
            return NOT_SYNCED
        opened = {device: fd for device, (fd, _path) in self.filesystems.items()}
        return SYNCED if sync_filesystems(folders, self.call, opened) else NOT_SYNCED
