"""The independent cross-check of every cleaned file: the GPS tags exifread (a parser that is not
ours) still sees. Used by strip.verify, after our own walker's re-read."""

from __future__ import annotations

import io

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: ~3 ms of a small strip's start)
if TYPE_CHECKING:
    from typing import Any, BinaryIO

EXIFREAD_HEAD = 1 << 20


def exifread_gps(f: BinaryIO) -> list[str]:
    """GPS tags exifread still sees (the independent cross-check); [] if it sees none or fails."""
    import exifread

    _quiet_exifread()
    f.seek(0)
    # NOTE: exifread makes thousands of tiny reads; hand it the head of the file in memory (EXIF
    # sits at the start of every format it reads) and the whole file only when the head is not enough.
    head = io.BytesIO(f.read(EXIFREAD_HEAD))
    try:
        tags = _exifread_gps_tags(head)
        if tags is None:
            head.seek(0)
            tags = exifread.process_file(head, details=False, extract_thumbnail=False)
        if not tags and len(head.getbuffer()) == EXIFREAD_HEAD:
            f.seek(0)
            tags = exifread.process_file(f, details=False, extract_thumbnail=False)
    except Exception:  # noqa: BLE001 - exifread fails on many valid files; our walker is primary
        return []
    return sorted(k for k in tags if k.startswith("GPS ") and k != "GPS GPSVersionID")


def _quiet_exifread() -> None:
    import logging

    logger = logging.getLogger("exifread")
    if logger.level != logging.CRITICAL:
        logger.setLevel(logging.CRITICAL)


def _exifread_gps_tags(fh: BinaryIO) -> dict[str, Any] | None:
    """What ``exifread.process_file(fh, details=False)`` finds, restricted to what can lead to GPS:
    exifread's own parser walks the IFD chain, the Exif IFD and every GPS IFD, but decodes only the
    GPS tags and the pointers (decoding every tag of every IFD was 2/3 of the cost of a strip).
    None if this exifread version does not have the internals it relies on (the caller then uses
    ``process_file``)."""
    gps_only = _gps_only_class()
    if gps_only is None:
        return None
    from exifread.core.exceptions import ExifNotFound, InvalidExif
    from exifread.core.find_exif import determine_type, get_endian_str

    fh.seek(0)
    try:
        offset, endian_bytes, fake_exif = determine_type(fh)
    except (ExifNotFound, InvalidExif):
        return {}
    endian, _name = get_endian_str(endian_bytes)
    hdr = gps_only(fh, endian, offset, fake_exif, False, False, False, True)
    for index, ifd in enumerate(hdr.list_ifd()):
        hdr.dump_ifd(ifd=ifd, ifd_name="Image" if index == 0 else "Thumbnail" if index == 1 else f"IFD {index}")
    exif_ifd = hdr.tags.get("Image ExifOffset")
    if exif_ifd:
        hdr.dump_ifd(ifd=exif_ifd.values[0], ifd_name="EXIF")
    return hdr.tags


_GPS_ONLY: list[Any] = []


def _gps_only_class() -> Any:
    """exifread's ExifHeader decoding only the GPS tags and the pointers (made once per process)."""
    if not _GPS_ONLY:
        try:
            from exifread.core.exceptions import ExifNotFound, InvalidExif  # noqa: F401 - checked here
            from exifread.core.exif_header import ExifHeader
            from exifread.core.find_exif import determine_type, get_endian_str  # noqa: F401 - checked here
        except ImportError:
            _GPS_ONLY.append(None)
            return None
        process_tag = getattr(ExifHeader, "_process_tag", None)
        if process_tag is None:
            _GPS_ONLY.append(None)
            return None

        class GpsOnly(ExifHeader):  # type: ignore[misc, valid-type]
            def _process_tag(self, ifd: int, ifd_name: str, *args: Any, **kwargs: Any) -> None:
                tag = args[2] if len(args) > 2 else kwargs.get("tag")
                if ifd_name == "GPS" or tag in POINTER_TAGS:
                    process_tag(self, ifd, ifd_name, *args, **kwargs)

        _GPS_ONLY.append(GpsOnly)
    return _GPS_ONLY[0]


POINTER_TAGS = frozenset({0x8825, 0x8769})  # GPSInfo, ExifOffset (as exifread itself follows them)
