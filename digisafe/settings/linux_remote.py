"""Collector for DS-REM-010 (Linux): GNOME Remote Desktop settings, the remote-access services,
screen-sharing programs running now, and every readable authorized_keys file, as one
``LinuxRemoteSnapshot``. The parsers are in ``digisafe.settings.linux`` and ``digisafe.settings.ssh``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping

from digisafe.monitoring.running import running_processes

if TYPE_CHECKING:
    from digisafe.core.context import Context, ProcessInfo
    from digisafe.settings.ssh import AuthorizedKey

SYSTEM_UNITS = ("ssh.service", "ssh.socket", "sshd.service", "sshd.socket",
                "gnome-remote-desktop.service", "xrdp.service")
SSH_UNITS = SYSTEM_UNITS[:4]
_KEY_FILES = ("~/.ssh/authorized_keys", "~/.ssh/authorized_keys2")
_SCHEMA = "org.gnome.desktop.remote-desktop"


@dataclass(frozen=True)
class KeyFile:
    path: str
    keys: tuple[AuthorizedKey, ...] = ()
    problem: str = ""  # why an existing file could not be read ("" when read)


@dataclass(frozen=True)
class LinuxRemoteSnapshot:
    units: Mapping[str, str] = field(default_factory=dict)  # unit -> "active", "inactive"...
    units_problem: str = ""  # why the system services were not read
    rdp: Any = None  # gsettings values (True/False/None when unknown)
    vnc: Any = None
    settings_problem: str = ""  # GNOME Remote Desktop settings not readable (not installed...)
    view_only: Mapping[str, Any] = field(default_factory=dict)  # "RDP"/"VNC" (those on) -> view-only
    user_service: str = ""  # systemctl --user is-active gnome-remote-desktop
    running: Mapping[str, ProcessInfo] = field(default_factory=dict)  # program name -> process
    vino: Mapping[str, Any] = field(default_factory=dict)  # org.gnome.Vino settings, when vino-server runs
    sudo_caveat: str | None = None
    is_admin: bool = False
    key_notes: tuple[str, ...] = ()  # what about the key files could not be seen
    key_files: tuple[KeyFile, ...] = ()


def _gsetting(ctx: Context, schema: str, key: str) -> Any:
    from digisafe.settings.linux import parse_gsettings_value
    from digisafe.settings.read import Unreadable, gsetting

    try:
        return parse_gsettings_value(gsetting(ctx, schema, key))
    except Unreadable:
        return None


def collect_linux_remote(ctx: Context) -> LinuxRemoteSnapshot:
    from concurrent.futures import ThreadPoolExecutor

    from digisafe.settings.linux import parse_gsettings_value, parse_is_active
    from digisafe.settings.read import Unreadable, gsetting, run, sudo_caveat

    # The process list and four small commands are independent: run them side by side so the
    # check costs one process listing, not the sum of everything (the audit must stay fast).
    with ThreadPoolExecutor(max_workers=5) as pool:
        procs = pool.submit(running_processes, ctx)
        system = pool.submit(run, ctx, ["systemctl", "is-active", *SYSTEM_UNITS])
        user = pool.submit(run, ctx, ["systemctl", "--user", "is-active", "gnome-remote-desktop"])
        rdp = pool.submit(gsetting, ctx, f"{_SCHEMA}.rdp", "enable")
        vnc = pool.submit(gsetting, ctx, f"{_SCHEMA}.vnc", "enable")
    values: dict[str, Any] = {"running": {p.name: p for p in procs.result() if p.name}}
    try:
        result = system.result()
        units = parse_is_active(SYSTEM_UNITS, result.stdout)
        if len(units) != len(SYSTEM_UNITS):  # e.g. "System has not been booted with systemd"
            why = (result.stderr or "").strip().splitlines()
            raise Unreadable(f"systemctl said {why[0] if why else 'nothing'!r}")
        values["units"] = units
    except Unreadable as exc:
        values["units_problem"] = str(exc)
    try:
        values["rdp"] = parse_gsettings_value(rdp.result())
    except Unreadable as exc:
        values["settings_problem"] = str(exc) if "not installed" in str(exc) else ""
    try:
        values["vnc"] = parse_gsettings_value(vnc.result())
    except Unreadable:
        pass
    try:
        values["user_service"] = user.result().stdout.strip()
    except Unreadable:
        pass
    on = [name for name in ("rdp", "vnc") if values.get(name) is True]
    values["view_only"] = {n.upper(): _gsetting(ctx, f"{_SCHEMA}.{n}", "view-only") for n in on}
    if "vino-server" in values["running"]:  # its settings say whether it asks before letting someone in
        values["vino"] = {k: _gsetting(ctx, "org.gnome.Vino", k)
                          for k in ("prompt-enabled", "view-only", "require-encryption")}  # fmt: skip
    notes: list[str] = []
    key_files = _read_key_files(ctx, _key_paths(ctx, _own_key_files(ctx, notes)))
    return LinuxRemoteSnapshot(**values, sudo_caveat=sudo_caveat(ctx), is_admin=ctx.is_admin,
                               key_notes=tuple(notes), key_files=key_files)  # fmt: skip


def _own_key_files(ctx: Context, notes: list[str]) -> list:
    """This account's key files: the defaults plus any AuthorizedKeysFile in sshd_config."""
    from digisafe.settings.ssh import parse_sshd_key_sources

    paths = list(_KEY_FILES)
    sources = parse_sshd_key_sources(_sshd_config(ctx, "/etc/ssh/sshd_config", notes))
    user = ctx.files.env("USER") or ""
    for entry in sources.files:
        entry = entry.replace("%%", "%").replace("%u", user)
        if entry.startswith("%h/"):
            entry = "~/" + entry[3:]
        elif not entry.startswith(("/", "~")):
            entry = "~/" + entry
        if "%" in entry:
            notes.append(f"sshd also reads keys from {entry!r}, which was not read")
        elif entry not in paths:
            paths.append(entry)
    if sources.command:
        notes.append(f"sshd also asks a program for keys (AuthorizedKeysCommand {sources.command}); "
                     "those keys were not seen")
    return [ctx.files.path(path) for path in paths]


def _sshd_config(ctx: Context, path: str, notes: list[str], depth: int = 0) -> str:
    """sshd_config with its Include lines replaced by the included files, as sshd reads it."""
    from digisafe.settings.read import Unreadable, read_text
    from digisafe.settings.ssh import sshd_includes

    # NOTE: Debian and Ubuntu start sshd_config with "Include /etc/ssh/sshd_config.d/*.conf", and
    # sshd keeps the first value it meets: a drop-in there overrides the main file.
    try:
        text = read_text(ctx.files.path(path))
    except Unreadable as exc:
        if depth:
            notes.append(f"an sshd configuration file was not read ({exc})")
        return ""
    if depth >= 3:
        return text
    lines = []
    for line, patterns in sshd_includes(text):
        for pattern in patterns:
            full = pattern if pattern.startswith("/") else "/etc/ssh/" + pattern
            folder, _, name = full.rpartition("/")
            try:
                matches = sorted(p.name for p in ctx.files.path(folder or "/").glob(name))
            except (OSError, ValueError):
                matches = []
            lines.extend(_sshd_config(ctx, f"{folder}/{m}", notes, depth + 1) for m in matches)
        if not patterns:
            lines.append(line)
    return "\n".join(lines)


def _key_paths(ctx: Context, own: list) -> list:
    files = list(own)
    if ctx.is_admin:
        others = [ctx.files.path("/root/.ssh")]
        try:
            others += sorted(p / ".ssh" for p in ctx.files.path("/home").iterdir())
        except OSError:
            pass
        for folder in others:
            if folder.parent != ctx.files.home:
                files += [folder / "authorized_keys", folder / "authorized_keys2"]
    return files


def _read_key_files(ctx: Context, paths: list) -> tuple[KeyFile, ...]:
    from digisafe.settings.read import Unreadable, read_text
    from digisafe.settings.ssh import parse_authorized_keys

    found = []
    for path in dict.fromkeys(paths):
        try:
            text = read_text(path)
        except Unreadable as exc:
            if path.exists():
                found.append(KeyFile(str(path), problem=str(exc)))
            continue
        found.append(KeyFile(str(path), tuple(parse_authorized_keys(text))))
    return tuple(found)
