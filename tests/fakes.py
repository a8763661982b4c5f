"""Fakes for every provider, so checks run against a made-up laptop rooted at a temp folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Sequence

from digisafe.core.context import (
    CommandResult,
    CommandUnavailable,
    ConnectionListing,
    Context,
    ListeningSocket,
    LoginSession,
    ProcessInfo,
    RemoteConnection,
    SocketListing,
)
from digisafe.core.platforms import Platform
from digisafe.core.subject import SubjectInfo, SubjectKind
from digisafe.system.files import RootedFiles


class FakeProcesses:
    def __init__(self, processes: Sequence[ProcessInfo] = ()) -> None:
        self.items = list(processes)

    def processes(self) -> Sequence[ProcessInfo]:
        return list(self.items)


class FakeNetwork:
    def __init__(
        self,
        sockets: Sequence[ListeningSocket] = (),
        complete: bool = True,
        reason: str = "",
        connections: Sequence[RemoteConnection] = (),
    ) -> None:
        self.listing = SocketListing(tuple(sockets), complete, reason)
        self.open = ConnectionListing(tuple(connections))

    def listening(self) -> SocketListing:
        return self.listing

    def connections(self) -> ConnectionListing:
        return self.open


class FakeSessions:
    def __init__(self, sessions: Sequence[LoginSession] = ()) -> None:
        self.items = list(sessions)

    def sessions(self) -> Sequence[LoginSession]:
        return list(self.items)


class FakeCommands:
    """Recorded command output: {("gsettings", "get", ...): CommandResult or str}. Unknown -> unavailable."""

    def __init__(self, outputs: Mapping[tuple[str, ...], CommandResult | str] | None = None) -> None:
        self.outputs = dict(outputs or {})
        self.calls: list[tuple[str, ...]] = []

    def run(self, argv: Sequence[str], timeout: float = 10.0) -> CommandResult:
        key = tuple(argv)
        self.calls.append(key)
        if key not in self.outputs:
            raise CommandUnavailable(f"{argv[0]} is not installed")
        out = self.outputs[key]
        return CommandResult(0, out) if isinstance(out, str) else out


class FakeRegistry:
    """A registry tree: {r'HKLM\\SOFTWARE\\X': {'Value': data}}; subkeys are derived from the paths."""

    def __init__(self, tree: Mapping[str, Mapping[str, Any]] | None = None) -> None:
        self.tree = {k.lower(): (k, dict(v)) for k, v in (tree or {}).items()}

    def values(self, key: str) -> Mapping[str, Any] | None:
        found = self.tree.get(key.lower())
        if found is not None:
            return found[1]
        return {} if self.subkeys(key) else None

    def subkeys(self, key: str) -> Sequence[str]:
        prefix = key.lower().rstrip("\\") + "\\"
        names = []
        for lower, (original, _) in self.tree.items():
            if lower.startswith(prefix):
                child = original[len(prefix) :].split("\\")[0]
                if child not in names:
                    names.append(child)
        return names


def captured_listing(platform: str, fmt: str, file: str) -> SubjectInfo:
    """The subject of a listing captured elsewhere (`processes --from FILE`), for make_ctx(subject=...)."""
    return SubjectInfo(SubjectKind.LISTING, Platform.parse(platform), f"process list from {file}",
                       source={"format": fmt, "file": file})


def make_context(tmp_path: Path, platform: str = "linux", **overrides: Any) -> Context:
    root = tmp_path / "root"
    home = tmp_path / "home"
    root.mkdir(exist_ok=True)
    home.mkdir(exist_ok=True)
    values: dict[str, Any] = dict(
        platform=platform,
        files=RootedFiles(root, home, overrides.pop("environ", {"HOME": str(home)})),
        processes=FakeProcesses(),
        network=FakeNetwork(),
        sessions=FakeSessions(),
        commands=FakeCommands(),
        registry=FakeRegistry() if platform == "windows" else None,
        is_admin=False,
        data_dir=tmp_path / "data",
    )
    values.update(overrides)
    return Context(**values)
