"""Collector for DS-INPUT-010 (Linux): which programs hold a keyboard open, who is in the input
group, and whether the desktop session is X11. Reads /proc, /etc/group and the environment into a
``KeyboardSnapshot``; the parsers it uses are in ``digisafe.monitoring.inputdevices``."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Mapping

from digisafe.monitoring.running import running_processes

if TYPE_CHECKING:
    from pathlib import Path

    from digisafe.core.context import Context, ProcessInfo


@dataclass(frozen=True)
class KeyboardReader:
    pid: int
    events: tuple[str, ...]  # "event3"
    process: ProcessInfo | None = None  # from the process list, when it still lists the pid
    comm: str = ""  # /proc/<pid>/comm, for a pid the process list did not have


@dataclass(frozen=True)
class KeyboardSnapshot:
    keyboards: Mapping[str, str] | None  # event -> device name; None: /proc/bus/input/devices unreadable
    readers: tuple[KeyboardReader, ...] = ()
    inspected: int = 0  # programs whose open files could be listed
    denied: int = 0  # programs whose open files were hidden (other users', root's)
    input_members: tuple[str, ...] | None = ()  # None: /etc/group unreadable
    user: str = ""
    session: Mapping[str, str | None] = field(default_factory=dict)  # XDG_SESSION_TYPE, DISPLAY, WAYLAND_DISPLAY


def _read_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


def keyboard_holders(proc: Path, keyboards: Mapping[str, str] | None) -> tuple[dict[int, set[str]], int, int]:
    """pid -> keyboard events it holds open; and how many processes were / were not inspectable."""
    holders: dict[int, set[str]] = {}
    seen = denied = 0
    try:
        pids = [int(n) for n in os.listdir(proc) if n.isdigit()]
    except OSError:
        return holders, 0, 0
    for pid in pids:
        fd_dir = proc / str(pid) / "fd"
        try:
            fds = os.listdir(fd_dir)
        except PermissionError:
            denied += 1
            continue
        except OSError:
            continue  # the process ended meanwhile
        seen += 1
        for fd in fds:
            try:
                target = os.readlink(fd_dir / fd)
            except OSError:
                continue
            if target.startswith("/dev/input/event"):
                event = target.rsplit("/", 1)[-1]
                if keyboards is None or event in keyboards:
                    holders.setdefault(pid, set()).add(event)
    return holders, seen, denied


def collect_keyboards(ctx: Context) -> KeyboardSnapshot:
    from digisafe.monitoring.inputdevices import group_members, keyboard_events, parse_input_devices

    files = ctx.files
    if files is None:
        return KeyboardSnapshot(None)
    devices_text = _read_text(files.path("/proc/bus/input/devices"))
    keyboards = keyboard_events(parse_input_devices(devices_text)) if devices_text is not None else None
    holders, seen, denied = keyboard_holders(files.path("/proc"), keyboards)
    readers: list[KeyboardReader] = []
    if holders:
        known = {p.pid: p for p in running_processes(ctx)}
        for pid in sorted(holders):
            comm = "" if pid in known else (_read_text(files.path(f"/proc/{pid}/comm")) or "").strip()
            readers.append(KeyboardReader(pid, tuple(sorted(holders[pid])), known.get(pid), comm))
    group_text = _read_text(files.path("/etc/group"))
    return KeyboardSnapshot(
        keyboards=keyboards,
        readers=tuple(readers),
        inspected=seen,
        denied=denied,
        input_members=tuple(group_members(group_text, "input")) if group_text is not None else None,
        user=files.env("USER") or files.env("LOGNAME") or "",
        session={name: files.env(name) for name in ("XDG_SESSION_TYPE", "DISPLAY", "WAYLAND_DISPLAY")},
    )
