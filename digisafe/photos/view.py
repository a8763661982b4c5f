"""Random access to part of a file without reading it all: ``FileView`` behaves like ``bytes`` for
``len()`` and slicing, so payload walkers (tiff, xmp) work the same on a small in-memory block
(JPEG APP1) and on a 50 MB raw file (only the bytes they ask for are read)."""

from __future__ import annotations

from digisafe.photos.types import PhotoError

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 3 ms of a photo scan's start-up)
if TYPE_CHECKING:
    from typing import BinaryIO, Union

MAX_SLICE = 64 * 1024 * 1024  # no single metadata read may be larger than this


class FileView:
    def __init__(self, f: BinaryIO, start: int, length: int) -> None:
        self._f = f
        self._start = start
        self._length = max(0, length)

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, key: Union[slice, int]) -> Union[bytes, int]:
        if isinstance(key, int):
            chunk = self[key:key + 1]
            if not chunk:
                raise IndexError(key)
            return chunk[0]
        start, stop, _ = key.indices(self._length)
        if stop <= start:
            return b""
        if stop - start > MAX_SLICE:
            raise PhotoError(f"refusing to read {stop - start} bytes of metadata at once")
        self._f.seek(self._start + start)
        return self._f.read(stop - start)

    def view(self, start: int, length: int) -> FileView:
        """A sub-view; offsets are relative to this view."""
        start = max(0, min(start, self._length))
        return FileView(self._f, self._start + start, min(length, self._length - start))


if TYPE_CHECKING:  # (for annotations only: import it under TYPE_CHECKING too)
    Data = Union[bytes, bytearray, memoryview, FileView]
