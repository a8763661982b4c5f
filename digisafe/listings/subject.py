"""The subject of `digisafe processes --from FILE`: a process listing captured on another computer.

It has running programs and nothing else: no files, sockets, sessions or commands to read, so its
Context carries only ``processes`` and the checks for this subject kind judge names, paths and
command lines. The user and computer names found in the listing (``LAPTOP-7Q2\\Sarah``) are its
identity: the session keeps them out of the report unless ``--include-identity`` is given.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from digisafe.core.context import Context, ProcessInfo
from digisafe.core.errors import InputError
from digisafe.core.platforms import Platform
from digisafe.core.subject import Identity, Subject, SubjectInfo, SubjectKind
from digisafe.listings import JSON_KEY, MAX_LISTING_BYTES, Listing, listing_block, parse_listing
from digisafe.listings.base import check_platform
from digisafe.monitoring.running import running_processes

# Accounts that are the system's own, never the person's (Windows domains and POSIX daemons).
_SERVICE_DOMAINS = frozenset({"nt authority", "nt service", "window manager", "font driver host", "iis apppool"})
_SYSTEM_USERS = frozenset(
    {"system", "local service", "network service", "root", "daemon", "nobody", "messagebus", "syslog", "avahi",
     "polkitd", "colord", "rtkit", "gdm", "lightdm", "sddm", "kernoops", "whoopsie", "geoclue", "cups", "n/a"}
)  # fmt: skip


class ListedProcesses:
    """A ProcessSource over rows read from a file."""

    def __init__(self, rows: Sequence[ProcessInfo]) -> None:
        self.rows = tuple(rows)

    def processes(self) -> Sequence[ProcessInfo]:
        return list(self.rows)


def listing_identity(rows: Iterable[ProcessInfo]) -> Identity:
    """The person's account in a listing: the most common owner that is not a system account.
    ``COMPUTER\\user`` (Windows) gives both names; ``ps`` gives only the user."""
    owners: Counter[tuple[str, str]] = Counter()
    for row in rows:
        if not row.username:
            continue
        domain, _, user = row.username.rpartition("\\")
        if domain.lower() in _SERVICE_DOMAINS or user.lower() in _SYSTEM_USERS:
            continue
        if user.startswith("_") or user.isdigit() or user.lower().startswith(("systemd-", "dwm-", "umfd-")):
            continue
        owners[(domain, user)] += 1
    if not owners:
        return Identity()
    (domain, user), _count = owners.most_common(1)[0]
    return Identity(hostname=domain, user=user)


def _utc(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _captured_in_json(data: bytes) -> str | None:
    """When digisafe's own JSON says it was captured (the bytes already parsed once: no nesting risk)."""
    import json

    try:
        block = json.loads(data.decode("utf-8-sig"))
        found = (block.get("attachments") or {}).get(JSON_KEY) or block.get(JSON_KEY) or {}
        return found["captured_at"] if isinstance(found.get("captured_at"), str) else None
    except (ValueError, AttributeError):
        return None


class ListingSubject(Subject):
    """A listing read from ``path``; ``platform`` overrides what the content suggests."""

    def __init__(self, path: Path, platform: Platform | str | None = None) -> None:
        self.path = Path(path)
        self.listing, digest, modified = self._read()
        chosen = Platform.parse(platform) if platform is not None else self.listing.platform
        if chosen is not None:
            check_platform(self.listing, chosen, str(self.path))
        if chosen is None:
            raise InputError(f"{self.path}: cannot tell which system this listing comes from; give --platform")
        self.platform = chosen
        captured = self._captured_at(modified)
        when = captured.replace("T", " ")[:16]
        self.info = SubjectInfo(
            kind=SubjectKind.LISTING,
            platform=chosen,
            description=f"process list from {self.path.name} ({chosen.label}), captured {when} UTC",
            captured_at=captured,
            source={
                "file": self.path.name,
                "format": self.listing.format,
                "sha256": digest,
                "processes": len(self.listing.processes),
            },
        )

    def _read(self) -> tuple[Listing, str, float]:
        from digisafe.core.safefile import read_limited

        data = read_limited(self.path, MAX_LISTING_BYTES, "process listing")  # regular files only, capped
        try:
            modified = self.path.stat().st_mtime
        except OSError as exc:
            raise InputError(f"cannot read {self.path}: {exc.strerror or exc}") from None
        listing = parse_listing(data, str(self.path))
        if not listing.processes:  # a capture cut short after its header: judging it would look clean
            raise InputError(f"{self.path}: no processes in this listing (was the capture cut short?); nothing "
                             "was checked")
        self._json_captured = _captured_in_json(data) if listing.format == "digisafe-json" else None
        return listing, hashlib.sha256(data).hexdigest(), modified

    def _captured_at(self, modified: float) -> str:
        """digisafe's own JSON says when it was captured; otherwise the file's time is the best clue."""
        return self._json_captured or _utc(modified)

    def context(
        self,
        options: Mapping[str, Mapping[str, Any]],
        known_tools: frozenset[str],
        data_dir: Path | None,
    ) -> Context:
        if data_dir is None:
            from digisafe.system import user_data_dir

            data_dir = user_data_dir()
        ctx = Context(
            platform=self.platform,
            processes=ListedProcesses(self.listing.processes),
            data_dir=data_dir,
            options=options,
            known_tools=known_tools,
            subject=self.info,
        )
        ctx.sources["listing"] = {**dict(self.info.source or {}), "platform": self.platform.value}
        return ctx

    def platform_info(self) -> dict[str, str]:
        return {"system": self.platform.value, "release": "captured listing", "machine": self.path.name, "python": ""}

    def identity(self) -> Identity:
        return listing_identity(self.listing.processes)


def process_listing_attachment(ctx: Context) -> dict[str, Any]:
    """Report.attachments for `digisafe processes --format json`: the rows that were checked, so the
    file can be read back with --from. Shares the reading the check made (``ctx.cached``)."""
    rows = running_processes(ctx)
    captured = ctx.subject.captured_at if ctx.subject is not None and ctx.subject.captured_at else _utc(ctx.now())
    return {JSON_KEY: listing_block(rows, ctx.platform, captured)}

