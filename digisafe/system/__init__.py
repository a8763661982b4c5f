"""The only code that touches the real machine or looks at ``sys.platform``.

``LaptopSubject`` (the live laptop) builds its Context from the real providers (``build_context``).
Each provider imports its heavy dependency (psutil, winreg) only when first used, so the CLI
starts fast.

NOTE: `photos strip` imports digisafe.system.durability and .lifetime, which runs this module first:
it keeps to the standard library and the platform enum. ``LaptopSubject`` (with the subject
dataclasses) lives in digisafe/system/laptop.py and is loaded from here on first use, and the
Context model only when ``build_context`` runs.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from digisafe.core.platforms import Platform

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 3 ms of a photo scan's start-up)
if TYPE_CHECKING:
    from typing import Any, Mapping

    from digisafe.core.context import Context
    from digisafe.system.laptop import LaptopSubject

__all__ = ["LaptopSubject", "build_context", "current_platform", "identity", "is_admin", "on_windows",
           "platform_info", "user_data_dir"]


def on_windows() -> bool:
    """Windows: click expands wildcards in its command line and writes to its console itself, so
    the click-free photo path (commands/quick.py, commands/echo.py) stands aside there."""
    return os.name == "nt"


def current_platform() -> Platform:
    if sys.platform.startswith("win"):
        return Platform.WINDOWS
    if sys.platform == "darwin":
        return Platform.MACOS
    return Platform.LINUX


def is_admin() -> bool:
    if current_platform() == Platform.WINDOWS:
        try:
            import ctypes

            return bool(ctypes.windll.shell32.IsUserAnAdmin())  # type: ignore[attr-defined]
        except Exception:  # noqa: BLE001 - any failure means we cannot tell: assume not
            return False
    return os.geteuid() == 0


def user_data_dir() -> Path:
    """Where `digisafe indicators update` keeps its data (nothing else is stored)."""
    platform = current_platform()
    if platform == Platform.WINDOWS:
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "digisafe"
    if platform == Platform.MACOS:
        return Path.home() / "Library" / "Application Support" / "digisafe"
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "digisafe"


def platform_info() -> dict[str, str]:
    import platform

    return {
        "system": current_platform().value,
        "release": platform.release(),
        "machine": platform.machine(),
        "python": platform.python_version(),
    }


def identity() -> dict[str, str]:
    import getpass
    import socket

    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name is not an error worth failing over
        user = ""
    return {"hostname": socket.gethostname(), "user": user}


def build_context(
    options: Mapping[str, Mapping[str, Any]] | None = None,
    known_tools: frozenset[str] = frozenset(),
    data_dir: Path | None = None,
) -> Context:
    from digisafe.core.context import Context
    from digisafe.core.subject import SubjectInfo, SubjectKind
    from digisafe.system.commands import SubprocessRunner
    from digisafe.system.files import RealFiles
    from digisafe.system.processes import PsutilNetwork, PsutilProcesses, PsutilSessions

    platform = current_platform()
    registry = None
    if platform == Platform.WINDOWS:
        from digisafe.system.registry import WinRegistry

        registry = WinRegistry()
    processes = PsutilProcesses()  # read once per audit, shared with the socket listing
    return Context(
        platform=platform,
        files=RealFiles(),
        processes=processes,
        network=PsutilNetwork(processes),
        sessions=PsutilSessions(),
        commands=SubprocessRunner(),
        registry=registry,
        is_admin=is_admin(),
        data_dir=data_dir or user_data_dir(),
        options=options or {},
        known_tools=known_tools,
        subject=SubjectInfo(SubjectKind.LAPTOP, platform, "this laptop"),
    )


def __getattr__(name: str) -> Any:
    if name == "LaptopSubject":
        from digisafe.system.laptop import LaptopSubject

        return LaptopSubject
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
