"""What other commands call to put their output into the log (`--log LOGDIR`): no passphrase is
needed to add, because records are sealed to the log's public key."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, BinaryIO, Callable

from digisafe.records.entry import iso, utc_now
from digisafe.records.store import LogStore


def _describe(name: str, note: str, source: str, entry: int | None) -> Callable[[int, str], dict[str, Any]]:
    added = iso(utc_now())

    def describe(size: int, sha256: str) -> dict[str, Any]:
        return {"v": 1, "recorded_at": added, "name": name, "size": size, "sha256": sha256,
                "note": note, "source": source, "entry": entry}

    return describe


def add_attachment_from_stream(log_dir: Path, stream: BinaryIO, name: str, note: str = "", source: str = "",
                               entry: int | None = None, progress: Callable[[int], None] | None = None) -> int:
    """Encrypt ``stream`` into the log in ``log_dir``; returns its record number."""
    with LogStore.open(Path(log_dir)) as store:
        if entry is not None and store.row(entry) is None:
            from digisafe.records.errors import LogError

            raise LogError(f"there is no #{entry} in this log to attach to")
        return store.add_attachment(stream, _describe(name, note, source, entry), progress)


def add_attachment_from_bytes(log_dir: Path, data: bytes, name: str, note: str = "", source: str = "") -> int:
    """Add a report or manifest that is already in memory (e.g. `photos strip --manifest --log`)."""
    return add_attachment_from_stream(log_dir, io.BytesIO(data), name, note, source)


def check_log(log_dir: Path, needs: object = True, option: str = "") -> None:
    """Fail early (before a long run) if ``log_dir`` holds no usable log, or if the option that
    makes what goes into the log (``needs``, e.g. --manifest) was not given."""
    from digisafe.records.errors import LogError

    if needs is None:
        raise LogError(f"--log adds to the incident log what {option} writes: give {option} too")
    LogStore.open(Path(log_dir)).close()


def add_file_to_log(log_dir: Path, path: Path, note: str = "", source: str = "", entry: int | None = None) -> int:
    """Add a file another command just wrote (a manifest, a report), streamed; never a FIFO."""
    from digisafe.core.safefile import NotARegularFile, open_regular
    from digisafe.records.errors import LogError

    try:
        handle = open_regular(path)
    except (OSError, NotARegularFile) as exc:
        raise LogError(f"cannot add {path} to the log: {exc.strerror or exc}") from None
    with handle:
        return add_attachment_from_stream(log_dir, handle, Path(path).name, note, source, entry)


def add_report_to_log(log_dir: Path, report: Any) -> int:
    """Add an audit report (digisafe.core.model.Report) as JSON, re-renderable with
    `digisafe report`; named after what was audited and when (UTC)."""
    from digisafe.render import render

    kind = getattr(report.subject, "kind", None) or "audit"
    stamp = "".join(ch for ch in str(report.finished_at) if ch.isalnum())[:15] or "report"
    name = f"{kind}-report-{stamp}.json"
    data = render(report, "json").encode("utf-8")
    return add_attachment_from_bytes(log_dir, data, name, note=report.subject.description, source="digisafe audit")
