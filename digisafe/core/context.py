"""The Context a check receives, and the provider protocols behind it (types only).

Real providers live in ``digisafe.system`` (the only code that touches the machine); tests build a
Context from fakes rooted at a temporary folder (``tests/fakes.py``). Checks read the machine only
through these providers, so the same check runs against a real laptop, a fake, or a capture.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Protocol, Sequence, TypeVar

from digisafe.core.platforms import Platform
from digisafe.core.subject import SubjectInfo, SubjectKind

T = TypeVar("T")


@dataclass(frozen=True)
class ProcessInfo:
    pid: int
    name: str
    exe: str | None = None  # None when the OS would not tell us (no rights)
    cmdline: tuple[str, ...] = ()
    username: str | None = None
    create_time: float | None = None  # seconds since the epoch
    ppid: int | None = None


@dataclass(frozen=True)
class ListeningSocket:
    proto: str  # "tcp" or "udp"
    address: str
    port: int
    pid: int | None = None
    process_name: str | None = None

    @property
    def loopback_only(self) -> bool:
        """Reachable only from this computer itself (127.0.0.0/8, ::1, IPv4-mapped 127.x)."""
        return self.address.startswith(("127.", "::1", "::ffff:127."))


@dataclass(frozen=True)
class SocketListing:
    sockets: tuple[ListeningSocket, ...]
    complete: bool = True  # False when other users' sockets (or their owners) were hidden from us
    reason: str = ""


@dataclass(frozen=True)
class RemoteConnection:
    """An open connection to another computer (used to spot listed command-and-control addresses)."""

    remote: str  # IP address
    port: int
    pid: int | None = None
    process_name: str | None = None
    status: str = ""


@dataclass(frozen=True)
class ConnectionListing:
    connections: tuple[RemoteConnection, ...]
    complete: bool = True
    reason: str = ""


@dataclass(frozen=True)
class LoginSession:
    user: str
    terminal: str | None = None
    host: str | None = None  # remote host for a remote session; empty or None for local
    started: float | None = None
    pid: int | None = None


@dataclass(frozen=True)
class CommandResult:
    returncode: int
    stdout: str
    stderr: str = ""


class CommandUnavailable(Exception):
    """The program is not installed, or could not be run, on this machine."""


class ProcessSource(Protocol):
    def processes(self) -> Sequence[ProcessInfo]: ...


class NetworkSource(Protocol):
    def listening(self) -> SocketListing: ...


class SessionSource(Protocol):
    def sessions(self) -> Sequence[LoginSession]: ...


class CommandRunner(Protocol):
    """Runs a read-only program (gsettings, systemctl, profiles, nvram) and returns its output."""

    def run(self, argv: Sequence[str], timeout: float = 10.0) -> CommandResult: ...


class RegistrySource(Protocol):
    """Windows registry, read-only. Keys are written 'HKLM\\SOFTWARE\\...' or 'HKCU\\...'."""

    def values(self, key: str) -> Mapping[str, Any] | None:
        """The values of a key (name -> data), or None if the key does not exist."""

    def subkeys(self, key: str) -> Sequence[str]:
        """The names of a key's subkeys ([] if the key does not exist)."""


class Files(Protocol):
    """Where files are. ``path('/etc/x')`` and ``path('~/.config')`` map into the real machine or a
    fake root, so a check never builds a system path by hand."""

    home: Path

    def path(self, path: str) -> Path: ...

    def env(self, name: str, default: str | None = None) -> str | None: ...


@dataclass
class Context:
    """What a check reads through. Only the providers its subject has are set: a captured listing
    has processes but no files, a phone has a ``device`` transport and no laptop providers."""

    platform: Platform  # a str enum: Platform.MACOS == "macos"
    files: Files | None = None
    processes: ProcessSource | None = None
    network: NetworkSource | None = None
    sessions: SessionSource | None = None
    commands: CommandRunner | None = None
    registry: RegistrySource | None = None  # only on Windows (or a fake)
    is_admin: bool = False
    data_dir: Path | None = None  # the user's digisafe data folder (updated indicators); may not exist
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # per-check, from a profile
    known_tools: frozenset[str] = frozenset()  # tools a caseworker marked as known and consented
    now: Callable[[], float] = time.time
    # Versions of data a check relied on (e.g. the indicator database); copied into Report.sources.
    sources: dict[str, Any] = field(default_factory=dict)
    subject: SubjectInfo | None = None  # what is audited; None means this laptop (set in __post_init__)
    device: object | None = None  # a phone's read-only transport (its type belongs to its feature)
    _cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.platform = Platform.parse(self.platform)
        if self.subject is None:
            self.subject = SubjectInfo(SubjectKind.LAPTOP, self.platform, "this laptop")

    def option(self, check_id: str, name: str, default: Any = None) -> Any:
        return self.options.get(check_id, {}).get(name, default)

    def cached(self, key: str, factory: Callable[[], T]) -> T:
        """One collection per audit: the first check to ask runs ``factory``, later ones share it.
        An exception is not cached (the next check tries again and reports its own failure)."""
        if key not in self._cache:
            self._cache[key] = factory()
        return self._cache[key]
