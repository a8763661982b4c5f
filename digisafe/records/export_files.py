"""`log export --attachments DIR`: the attached files, decrypted, with a manifest of their hashes.

Each file is written under a temporary name in DIR, checked against its SHA-256 while it is
decrypted, and only then renamed to its own name; a file that fails the check is removed and
reported. The folder is new and private (0700), and so are any parents it needs; files are 0600.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from digisafe.core.safefile import fsync_dir, make_private_dirs, write_private
from digisafe.records.errors import LogError
from digisafe.records.reader import UnlockedLog
from digisafe.records.timeline import EXPORT_WARNING, Timeline

_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


def safe_name(seq: int, name: str) -> str:
    """'#12' plus the original name, without path separators or characters Windows refuses.

    NOTE: a stored name is already a base name, so a backslash in it is part of the name (legal on
    POSIX; an undecodable byte is stored as ``\\xff``): it becomes ``_`` like ':' and '?', never a
    separator that would drop what comes before it. A '/' (only in a crafted record) still is one."""
    base = _UNSAFE.sub("_", name.rsplit("/", 1)[-1]).strip(" .") or "file"
    return f"{seq:04d}-{base[:120]}"


def _write_one(log: UnlockedLog, opened, target: Path) -> None:  # noqa: ANN001 - reader.Opened
    tmp = target.with_name(f".{target.name}.part")
    fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            log.write_attachment(opened, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def export_attachments(log: UnlockedLog, timeline: Timeline, folder: Path) -> list[str]:
    """Write every readable attachment into the new ``folder``; returns the problems."""
    try:
        if os.path.lexists(folder):
            raise FileExistsError(folder)
        make_private_dirs(folder.parent)  # NOTE: mkdir(parents=True) would give new parents the default mode
        folder.mkdir(mode=0o700)
        os.chmod(folder, 0o700)
    except FileExistsError:
        raise LogError(f"{folder} already exists: give a new folder for the attachments") from None
    except OSError as exc:
        raise LogError(f"cannot create {folder}: {exc.strerror or exc}") from None
    problems, files = [], []
    for item in timeline.items:
        if not item.is_attachment or item.error:
            continue
        name = safe_name(item.seq, str(item.data.get("name", "")))
        try:
            _write_one(log, log.record(item.seq), folder / name)
        except LogError as exc:
            problems.append(str(exc))
            continue
        except OSError as exc:  # a full disk, a file-size limit: the rest would fail the same way
            raise LogError(f"cannot write {folder / name}: {exc.strerror or exc}; the export stopped there "
                           f"(the files before it are in {folder}, with no manifest)") from None
        files.append({"number": item.seq, "file": name, "original_name": item.data.get("name"),
                      "size": item.data.get("size"), "sha256": item.data.get("sha256"),
                      "added": item.data.get("recorded_at"), "record_hash": item.hash_hex})
    manifest = {"tool": "digisafe log export", "exported_at": timeline.exported_at, "warning": EXPORT_WARNING,
                "log_head_hash": timeline.head_hex, "chain_intact": timeline.chain_ok, "files": files}
    write_private(folder / "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    fsync_dir(folder)
    return problems
