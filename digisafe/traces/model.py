"""The snapshots the trace collectors return (what the checks judge)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

from digisafe.core.context import RemoteConnection


@dataclass(frozen=True)
class HostVisits:
    """Visits to one host in one browser profile (no address beyond the host is kept)."""

    host: str
    first: str | None  # UTC ISO 8601
    last: str | None
    count: int


@dataclass(frozen=True)
class Download:
    """A file downloaded in one browser profile: the hosts it came through and its file name."""

    hosts: tuple[str, ...]  # download URL chain, then the page and referrer
    file_name: str  # the saved file's name only, not its folder
    started: str | None  # UTC ISO 8601


@dataclass(frozen=True)
class ProfileHistory:
    browser: str
    profile: str
    path: str
    file: str  # the history database read (a private copy was read, never this file)
    hosts: Mapping[str, HostVisits] = field(default_factory=dict)
    downloads: tuple[Download, ...] = ()
    listed: bool = True


@dataclass(frozen=True)
class WebHistory:
    profiles: tuple[ProfileHistory, ...]
    limitations: tuple[str, ...] = ()
    looked_in: tuple[str, ...] = ()


@dataclass(frozen=True)
class HostsEntry:
    address: str
    name: str
    line: int


@dataclass(frozen=True)
class NetworkTraces:
    hosts_file: str
    hosts_entries: tuple[HostsEntry, ...] = ()
    dns_names: tuple[str, ...] = ()  # names in the DNS cache (Windows); () elsewhere
    connections: tuple[RemoteConnection, ...] = ()
    limitations: tuple[str, ...] = ()
