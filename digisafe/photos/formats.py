"""Recognise a photo or video by its first bytes (never by its name) and call its walker."""

from __future__ import annotations

import os
import struct

from digisafe.core.safefile import open_regular
from digisafe.photos.types import NotAPhoto, PhotoError, Unsupported, WalkResult

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 3 ms of a photo scan's start-up)
if TYPE_CHECKING:
    from typing import BinaryIO, Callable

    from digisafe.photos.jpeg_seen import SeenJpeg

# Extensions of photos, videos and camera files that may reveal a place. Inside a folder, every file
# is sniffed by its content; a file with one of these names that we cannot read is listed as "could
# not be checked", never skipped (other files that turn out not to be photos are skipped silently; a
# named file is always reported). The audit's quick look only opens files with these names.
PHOTO_EXTENSIONS = frozenset(
    ".jpg .jpeg .jpe .jfif .jfi .jif .thm .mpo .jps .tif .tiff .dng .cr2 .nef .nrw .arw .srf .sr2 .orf .rw2 "
    ".pef .ptx .srw .raf .3fr .fff .erf .kdc .dcr .k25 .mef .mos .iiq .rwl .raw .rwz .gpr .bay .eip "
    ".mdc .x3f .mrw .crw .cr3 .ari .r3d .png .webp .gif .heic .heif .hif .heics .avif .avifs "
    ".jxl .jp2 .jpx .jpf .j2k .jxr .wdp .hdp .psd .psb .xmp .exv .mp4 .m4v .mov .qt .3gp .3g2 .insv .insp "
    ".lrv .360 .avi .mts .m2ts .m2t .mpg .mpeg .vob .mkv .webm .wmv .asf .flv .f4v .mxf .dv .dif".split()
)  # (not .ts, .mod, .cap: far more often TypeScript, music modules and packet captures)
# Recognised, but not read (yet): reported as "could not be checked", never as "no location".
UNSUPPORTED = (("Matroska/WebM video", b"\x1a\x45\xdf\xa3"), ("Windows Media (ASF) video", b"\x30\x26\xb2\x75"),
               ("Flash video", b"FLV\x01"), ("MXF video", b"\x06\x0e\x2b\x34"),
               ("DV video", b"\x1f\x07\x00"))
TRANSPORT_STREAM = "MPEG transport stream video"
ISOBMFF_TOP = {b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot", b"uuid"}
JXL_CONTAINER = b"\x00\x00\x00\x0cJXL \r\n\x87\n"
JP2_SIGNATURE = b"\x00\x00\x00\x0cjP  \r\n\x87\n"
# JPEG XR / HD Photo (.jxr .wdp .hdp): "II" 0xBC then a version byte, then a TIFF-style IFD chain.
JXR_MAGICS = (b"II\xbc\x01", b"II\xbc\x00")
SNIFF_BYTES = 400  # enough for three 192-byte M2TS packets


def _transport_stream(head: bytes) -> bool:
    """MPEG-2 TS: sync byte 0x47 every 188 bytes; AVCHD/Blu-ray M2TS (.mts/.m2ts): every 192 bytes,
    each packet led by a 4-byte timecode (any value: a Sony camcorder's first one is not zero)."""
    if head[:2] == b"\x47\x40" or head[:5] == b"\0\0\0\0\x47":
        return True
    for first, step in ((0, 188), (4, 192)):
        hits = [head[i] for i in range(first, len(head), step)]
        if len(hits) >= 2 and all(b == 0x47 for b in hits):
            return True
    return False


def sniff(head: bytes) -> str | None:
    """The container kind from the first bytes (up to SNIFF_BYTES), or None."""
    if head[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if head[:4] in (b"II*\0", b"MM\0*", b"IIRO", b"IIRS", b"IIU\0"):
        return "tiff"
    if head[:4] in JXR_MAGICS:
        return "jxr"
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:12] == JXL_CONTAINER or head[:2] == b"\xff\x0a":
        return "jxl"
    if head[:12] == JP2_SIGNATURE:
        return "jp2"
    if head[:16] == b"FUJIFILMCCD-RAW ":
        return "raf"
    if head[:4] == b"8BPS":
        return "psd"
    if head[:4] == b"\0MRM":
        return "mrw"
    if head[6:14] == b"HEAPCCDR":
        return "crw"
    if head[:4] == b"FOVb":
        return "x3f"
    if head[:4] == b"RIFF" and head[8:12] in (b"AVI ", b"AVIX"):
        return "avi"
    for name, magic in UNSUPPORTED:
        if head.startswith(magic):
            return name
    if _transport_stream(head):
        return TRANSPORT_STREAM
    if len(head) >= 8 and head[4:8] in ISOBMFF_TOP:
        return "isobmff"
    if head[:4] in (b"II+\0", b"MM\0+"):
        return "bigtiff"
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith((b"<?xpacket", b"<x:xmpmeta", b"<x:xapmeta")):
        return "xmp"
    return None


def _tiff(f: BinaryIO, size: int) -> WalkResult:
    from digisafe.photos.afcp import walk_trailers
    from digisafe.photos.tiff import walk_tiff
    from digisafe.photos.view import FileView

    return walk_tiff(FileView(f, 0, size), 0, where="TIFF").merge(walk_trailers(f, size))


def _sidecar(f: BinaryIO, size: int) -> WalkResult:
    """An XMP sidecar file (photo.xmp next to a raw photo): the whole file is one packet."""
    from digisafe.photos.view import FileView
    from digisafe.photos.xmp import walk_xmp

    return walk_xmp(FileView(f, 0, size), 0, where="XMP sidecar")


def _raf(f: BinaryIO, size: int) -> WalkResult:
    # NOTE: Fujifilm RAF: a JPEG preview (with the full EXIF) at the offset in bytes 84..92.
    from digisafe.photos.jpeg import walk_jpeg_block
    from digisafe.photos.view import FileView

    f.seek(84)
    raw = f.read(8)
    if len(raw) < 8:
        raise PhotoError("RAF: truncated header")
    start, length = struct.unpack(">II", raw)
    if start + length > size or length < 4:
        raise PhotoError("RAF: preview JPEG out of range")
    # NOTE: the camera's EXIF (and GPS) lives in this preview; the raw block holds sensor data.
    return walk_jpeg_block(FileView(f, start, length), start, where="RAF preview JPEG")


def _own(module: str, name: str) -> Callable[[BinaryIO, int], WalkResult]:
    def call(f: BinaryIO, size: int) -> WalkResult:
        # (__import__ with a fromlist returns the module itself; importlib costs start-up time)
        return getattr(__import__(module, fromlist=(name,)), name)(f, size)

    return call


WALKERS: dict[str, Callable[[BinaryIO, int], WalkResult]] = {
    "jpeg": _own("digisafe.photos.jpeg", "walk_jpeg"),
    "tiff": _tiff,
    "bigtiff": _tiff,
    "jxr": _tiff,
    "png": _own("digisafe.photos.png", "walk_png"),
    "webp": _own("digisafe.photos.riff", "walk_webp"),
    "gif": _own("digisafe.photos.gif", "walk_gif"),
    "raf": _raf,
    "xmp": _sidecar,
    "isobmff": _own("digisafe.photos.isobmff", "walk_isobmff"),
    "jxl": _own("digisafe.photos.jxl", "walk_jxl"),
    "jp2": _own("digisafe.photos.jxl", "walk_jp2"),
    "psd": _own("digisafe.photos.psd", "walk_psd"),
    "mrw": _own("digisafe.photos.rawmisc", "walk_mrw"),
    "crw": _own("digisafe.photos.rawmisc", "walk_crw"),
    "x3f": _own("digisafe.photos.rawmisc", "walk_x3f"),
    "avi": _own("digisafe.photos.rawmisc", "walk_avi"),
}


def walk_file(f: BinaryIO, size: int | None = None, quick: bool = False,
              seen: SeenJpeg | None = None) -> tuple[str, WalkResult]:
    """Sniff and walk an open (read-only, seekable) file: (kind, result). PhotoError on failure.
    ``quick``: a faster overview for big folders (JPEG: MPF index instead of a full-file search).
    ``seen``: photos strip's record of a JPEG's walk (see jpeg_seen); other formats ignore it."""
    if size is None:
        size = os.fstat(f.fileno()).st_size
    f.seek(0)
    head = f.read(SNIFF_BYTES)
    kind = sniff(head)
    if kind is None:
        raise NotAPhoto("not a photo or video this tool knows (by content, whatever its name): location "
                        "could not be checked")
    if kind not in WALKERS:
        raise Unsupported(f"{kind}: format not supported yet, location could not be checked")
    try:
        if (quick or seen is not None) and kind == "jpeg":
            from digisafe.photos.jpeg import walk_jpeg

            return kind, walk_jpeg(f, size, quick=quick, seen=seen)
        return kind, WALKERS[kind](f, size)
    except PhotoError:
        raise
    except (struct.error, IndexError, ValueError, OverflowError, RecursionError, UnicodeError) as exc:
        raise PhotoError(f"{kind}: malformed file ({type(exc).__name__}: {exc})") from None


def walk_path(path: str | os.PathLike[str], quick: bool = False) -> tuple[str, WalkResult]:
    """Open ``path`` read-only and walk it."""
    try:
        with open_regular(path) as f:
            return walk_file(f, quick=quick)
    except OSError as exc:
        raise PhotoError(f"cannot read: {exc.strerror or exc}") from None
