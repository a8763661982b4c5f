"""Write files the safe way: atomically (temp file, fsync, rename) and private to the user (0600);
and open files for reading without ever blocking on a FIFO or device someone left in their place.

Use ``write_private`` for every file digisafe writes on request (reports, manifests, checklists,
the indicator store). A crash or power cut leaves either the old file or the new one, never half
of one, and no temp file is left behind on error. It writes only to a new name or over a regular
file: a device node, FIFO, socket or symbolic link at the target is refused (``-o /dev/null`` run
as root must never replace /dev/null with a file).

Use ``read_limited`` for every file a user names (a report, profile, listing or feed): it opens
through ``open_regular`` and caps the bytes actually read, since a device reports size 0.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from digisafe.core.errors import InputError

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 3 ms of a photo scan's start-up)
if TYPE_CHECKING:
    from typing import BinaryIO, Sequence


class NotARegularFile(OSError):
    """A path that is a FIFO, socket, device or folder where a file was expected."""


def open_regular(path: str | os.PathLike[str]) -> BinaryIO:
    """Open ``path`` read-only only if it is a regular file; NotARegularFile otherwise.

    NOTE: a plain open() of a FIFO waits forever for a writer, so a named pipe planted as
    ~/.ssh/authorized_keys or Pictures/x.jpg would hang the audit. O_NONBLOCK makes that open return
    at once; fstat on the open descriptor (no race with a swapped path) then refuses it.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file (a pipe, socket or device)"
            raise NotARegularFile(errno.EINVAL, f"{kind}; not read", os.fspath(path))
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _megabytes(limit: int) -> str:
    return f"{limit / (1024 * 1024):g} MB" if limit >= 1024 * 1024 else f"{limit:,} bytes"


def read_limited(path: str | os.PathLike[str], limit: int, what: str) -> bytes:
    """The bytes of a file the user named, at most ``limit`` of them; one clear InputError otherwise.

    ``what`` names the kind of file for the message ("report", "profile", "process listing").
    NOTE: the cap is on what is read, not on what stat says: /dev/zero or a /proc file says size 0.
    """
    try:
        with open_regular(path) as handle:
            data = handle.read(limit + 1)
    except NotARegularFile as exc:
        raise InputError(f"cannot read {what} {path}: {exc.strerror}") from None
    except OSError as exc:
        raise InputError(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise InputError(f"{what} {path} is larger than {_megabytes(limit)}, the most digisafe reads as a {what}; "
                         "not read")
    return data


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where the OS cannot, e.g. Windows)."""
    if os.name == "nt":
        return  # NOTE: Windows cannot open a directory for fsync; the rename is still atomic there.
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


def make_private_dirs(folder: str | os.PathLike[str]) -> None:
    """Create ``folder`` and its missing parents readable by the user only (0700). Folders that
    already exist are left as they are (NOTE: Path.mkdir(parents=True) gives parents the default
    mode, so each missing level is made here)."""
    missing = []
    current = Path(folder)
    while not current.exists() and current.parent != current:
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:
            pass


def write_private(path: str | os.PathLike[str], data: bytes | str, mode: int = 0o600) -> Path:
    """Atomically write ``data`` to ``path`` with permissions ``mode``; InputError on failure."""
    target = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder = target.parent if str(target.parent) else Path(".")
    refuse_special_target(target)
    import tempfile  # (here, not at the top: `photos scan` and `strip` import this module at start)

    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(f"cannot write {target}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            os.chmod(tmp, mode)
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise InputError(f"cannot write {target}: {exc.strerror or exc}") from None
        raise
    fsync_dir(folder)
    return target


def refuse_special_target(target: Path) -> None:
    """InputError unless ``target`` is absent or a regular file (not followed through a symlink).

    NOTE: the atomic rename replaces whatever entry has the name: a symlink, a FIFO, or a device
    node such as /dev/null. Only a new name or an existing regular file may be written.
    """
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise InputError(f"cannot write {target}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(mode):
        raise InputError(f"cannot write {target}: it is a folder")
    if stat.S_ISLNK(mode):
        raise InputError(f"cannot write {target}: it is a symbolic link; give the name of a new or regular file")
    if not stat.S_ISREG(mode):
        raise InputError(f"cannot write {target}: it is a device, pipe or socket, not a regular file; "
                         "give the name of a new or regular file")


def check_writable(path: str | os.PathLike[str]) -> None:
    """Fail early (before a long run) if ``path`` cannot be written; creates nothing."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    refuse_special_target(target)
    if not folder.is_dir():
        raise InputError(f"cannot write {target}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK) or (target.exists() and not os.access(target, os.W_OK)):
        raise InputError(f"cannot write {target}: permission denied")


def refuse_replacing_input(output: str | os.PathLike[str] | None, inputs: Sequence[str | os.PathLike[str]],
                           what: str) -> None:
    """InputError if ``output`` is one of the files the command reads (``what`` says which kind: "the
    process listing read", "one of the photos scanned"): that file may be evidence.

    NOTE: compared by device and inode, so ``./a.jpg`` and ``/home/x/A.JPG`` on a case-insensitive
    disk are caught. Past a few inputs (a photo folder) only those with the output's name, in any
    case, are compared: a hard link under another name is not caught, one stat per photo is saved.
    """
    if output is None:
        return
    try:
        written = os.stat(output)
    except OSError:
        return  # a new name is none of the inputs
    name = os.path.basename(output).lower()
    for path in inputs:
        if len(inputs) > 64 and os.path.basename(path).lower() != name:
            continue
        try:
            same = os.path.samestat(written, os.stat(path))
        except OSError:
            continue
        if same:
            raise InputError(f"cannot write {output}: it is {what} ({path}), which would be lost; "
                             "give a new file name")
