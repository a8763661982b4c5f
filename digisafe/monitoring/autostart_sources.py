"""Read the places that start programs automatically, through the Context's providers.

``collect_autostart(ctx)`` returns the entries (parsed by ``digisafe.monitoring.autostart``) and the places it
could not read, so a check can say it saw only part of the picture.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from digisafe.core.safefile import open_regular
from digisafe.monitoring.autostart import (
    AutostartEntry,
    parse_crontab,
    parse_desktop,
    parse_launchd_plist,
    parse_scheduled_task,
    parse_systemd_unit,
    run_key_entries,
    service_entry,
    startup_entry,
)

if TYPE_CHECKING:
    from digisafe.core.context import Context, Files, RegistrySource

MAX_FILE_BYTES = 1024 * 1024
_ENV = re.compile(r"%([A-Za-z0-9_()]+)%")

RUN_KEYS = tuple(
    f"{hive}\\{base}\\{leaf}"
    for hive, base in (
        ("HKCU", r"Software\Microsoft\Windows\CurrentVersion"),
        ("HKLM", r"SOFTWARE\Microsoft\Windows\CurrentVersion"),
        ("HKLM", r"SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion"),
    )
    for leaf in ("Run", "RunOnce")
)
SERVICES_KEY = r"HKLM\SYSTEM\CurrentControlSet\Services"
WINLOGON_KEY = r"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon"
STARTUP_FOLDERS = (
    r"%APPDATA%\Microsoft\Windows\Start Menu\Programs\Startup",
    r"%ProgramData%\Microsoft\Windows\Start Menu\Programs\StartUp",
)


@dataclass
class AutostartScan:
    entries: list[AutostartEntry] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # places we could not look into


def expand_windows_vars(text: str, files: Files) -> str:
    """%APPDATA% and friends, from the audited machine's environment; unknown ones stay as written."""
    return _ENV.sub(lambda m: files.env(m.group(1)) or files.env(m.group(1).upper()) or m.group(0), text)


def _read(path: Path, scan: AutostartScan) -> bytes | None:
    try:
        with open_regular(path) as handle:
            return handle.read(MAX_FILE_BYTES)
    except PermissionError:
        scan.unreadable.append(str(path))
    except OSError:
        pass
    return None


def _files_in(folder: Path, scan: AutostartScan, suffixes: tuple[str, ...] = ()) -> Iterable[Path]:
    try:
        children = sorted(folder.iterdir())
    except PermissionError:
        scan.unreadable.append(str(folder))
        return []
    except OSError:
        return []
    return [c for c in children if c.is_file() and (not suffixes or c.name.lower().endswith(suffixes))]


def _homes(files: Files, base: str, scan: AutostartScan) -> list[Path]:
    """This user's home first, then the other accounts' homes under ``base`` (/home or /Users)."""
    homes = [files.home]
    try:
        others = sorted(files.path(base).iterdir())
    except PermissionError:
        scan.unreadable.append(str(files.path(base)))
        others = []
    except OSError:
        others = []
    mine = os.path.realpath(files.home)
    for home in others:
        if home.is_dir() and home.name != "Shared" and os.path.realpath(home) != mine:
            homes.append(home)
    return homes


def _linux(files: Files, scan: AutostartScan) -> None:
    user_folders = [
        home / sub for home in _homes(files, "/home", scan) for sub in (".config/autostart", ".config/systemd/user")
    ]
    for folder in [*[f for f in user_folders if f.name == "autostart"], files.path("/etc/xdg/autostart")]:
        for path in _files_in(folder, scan, (".desktop",)):
            data = _read(path, scan)
            entry = parse_desktop(data.decode("utf-8", "replace"), str(path)) if data else None
            if entry:
                scan.entries.append(entry)
    system_units = [files.path("/etc/systemd/user"), files.path("/etc/systemd/system")]
    for folder in [*[f for f in user_folders if f.name == "user"], *system_units]:
        for path in _files_in(folder, scan, (".service",)):
            data = _read(path, scan)
            entry = parse_systemd_unit(data.decode("utf-8", "replace"), str(path), path.name) if data else None
            if entry:
                scan.entries.append(entry)
    for folder, has_user in (("/var/spool/cron/crontabs", False), ("/var/spool/cron", False), ("/etc/cron.d", True)):
        for path in _files_in(files.path(folder), scan):
            data = _read(path, scan)
            if data:
                scan.entries.extend(parse_crontab(data.decode("utf-8", "replace"), str(path), has_user))
    data = _read(files.path("/etc/crontab"), scan)
    if data:
        scan.entries.extend(parse_crontab(data.decode("utf-8", "replace"), str(files.path("/etc/crontab")), True))


def _darwin(files: Files, scan: AutostartScan) -> None:
    agents = [home / "Library" / "LaunchAgents" for home in _homes(files, "/Users", scan)]
    for folder in [*agents, files.path("/Library/LaunchAgents"), files.path("/Library/LaunchDaemons")]:
        for path in _files_in(folder, scan, (".plist",)):
            data = _read(path, scan)
            entry = parse_launchd_plist(data, str(path)) if data else None
            if entry:
                scan.entries.append(entry)


def _windows(files: Files, registry: RegistrySource | None, scan: AutostartScan) -> None:
    if registry is not None:
        for key in RUN_KEYS:
            values = registry.values(key)
            if values:
                scan.entries.extend(run_key_entries(key, dict(values)))
        for name in registry.subkeys(SERVICES_KEY):
            key = f"{SERVICES_KEY}\\{name}"
            entry = service_entry(key, name, dict(registry.values(key) or {}))
            if entry:
                scan.entries.append(entry)
        scan.entries.extend(_winlogon(registry))
    _scheduled_tasks(files, scan)
    for folder in STARTUP_FOLDERS:
        expanded = expand_windows_vars(folder, files)
        if "%" in expanded:
            continue
        for path in _files_in(files.path(expanded), scan):
            if path.name.lower() == "desktop.ini":
                continue
            data = _read(path, scan) or b""
            scan.entries.append(startup_entry(path.name, data, f"{expanded}\\{path.name}"))


def _scheduled_tasks(files: Files, scan: AutostartScan) -> None:
    root_text = expand_windows_vars(r"%SystemRoot%\System32\Tasks", files)
    if "%" in root_text:
        root_text = r"C:\Windows\System32\Tasks"
    root = files.path(root_text)

    def refused(error: OSError) -> None:
        if isinstance(error, PermissionError):
            scan.unreadable.append(str(error.filename or root))

    for folder, _dirs, names in os.walk(root, onerror=refused):
        for name in sorted(names):
            path = Path(folder) / name
            data = _read(path, scan)
            if data:
                relative = path.relative_to(root).as_posix().replace("/", "\\")
                scan.entries.extend(parse_scheduled_task(data, f"{root_text}\\{relative}", name))


def _winlogon(registry: RegistrySource) -> list[AutostartEntry]:
    """Extra programs added to Winlogon Userinit/Shell (Refog and DarkComet start this way)."""
    values = registry.values(WINLOGON_KEY) or {}
    expected = {"userinit": r"c:\windows\system32\userinit.exe", "shell": "explorer.exe"}
    entries = []
    for name, usual in expected.items():
        data = next((v for k, v in values.items() if k.lower() == name), None)
        if not isinstance(data, str):
            continue
        for part in (p.strip().strip('"') for p in data.split(",")):
            if part and part.lower() not in (usual, usual.rsplit("\\", 1)[-1]):
                entries.append(AutostartEntry("winlogon", WINLOGON_KEY, name.capitalize(), part, part))
    return entries


def collect_autostart(ctx: Context) -> AutostartScan:
    scan = AutostartScan()
    if ctx.platform == "linux":
        _linux(ctx.files, scan)
    elif ctx.platform == "macos":
        _darwin(ctx.files, scan)
    elif ctx.platform == "windows":
        _windows(ctx.files, ctx.registry, scan)
        # NOTE: Run keys and tasks often hold %SystemRoot% or %TEMP%: judge the expanded folder.
        scan.entries = [replace(e, program=expand_windows_vars(e.program, ctx.files)) for e in scan.entries]
    return scan
