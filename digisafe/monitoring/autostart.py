"""Autostart entries, parsed from the files and registry values that start programs (pure).

Each parser takes text, bytes or registry values and returns ``AutostartEntry`` records; nothing
here reads the machine (``digisafe.monitoring.autostart_sources`` does, through the Context's providers).
Formats: freedesktop ``.desktop`` files, systemd unit files, crontab text, launchd property lists
(XML or binary), Windows Run/RunOnce values, service keys and Startup-folder shortcuts (.lnk).
"""

from __future__ import annotations

import plistlib
import re
import shlex
import struct
from dataclasses import dataclass

_CRON_ENV = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\s*=")
_SHELLS = frozenset({"sh", "bash", "dash", "zsh"})
_WIN_EXE = re.compile(r"^(.*?\.(?:exe|com|bat|cmd|scr|pif|vbs|js|ps1))(?=\s|$|,)", re.IGNORECASE)


@dataclass(frozen=True)
class AutostartEntry:
    kind: str  # xdg-autostart, systemd, cron, launchd, run-key, service, startup-folder, winlogon, scheduled-task
    location: str  # the file or registry key it came from
    name: str  # .desktop name, unit name, launchd Label, Run value name, service name
    command: str  # the full command line as written
    program: str  # the program it starts (first word of the command, unquoted)
    enabled: bool = True
    display_name: str = ""

    @property
    def text(self) -> str:
        """Everything an indicator could name, for ``Matcher.autostart``."""
        return " ".join(x for x in (self.name, self.display_name, self.command) if x)


def program_of(command: str, windows: bool = False) -> str:
    """The program a command line starts: the quoted or first word (Windows: up to '.exe')."""
    text = command.strip()
    if not text:
        return ""
    if text[0] in "\"'":
        end = text.find(text[0], 1)
        return text[1:end] if end > 0 else text[1:]
    if windows:
        match = _WIN_EXE.match(text)
        return match.group(1) if match else text.split()[0]
    try:
        words = shlex.split(text)
    except ValueError:
        words = text.split()
    # `env VAR=1 prog` and `sh -c "prog ..."` start prog: that is the program that matters.
    if words and words[0].rsplit("/", 1)[-1] == "env":
        words = [w for w in words[1:] if not (w.startswith("-") or _CRON_ENV.match(w))] or words
    if len(words) >= 3 and words[0].rsplit("/", 1)[-1] in _SHELLS and words[1] == "-c":
        return program_of(words[2]) or words[0]
    return words[0] if words else ""


def parse_desktop(text: str, location: str) -> AutostartEntry | None:
    """A freedesktop .desktop file; None when it has no Exec line."""
    section, values = "", {}
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
        elif "=" in line and not line.startswith("#") and section == "Desktop Entry":
            key, _, value = line.partition("=")
            values.setdefault(key.strip(), value.strip())
    command = values.get("Exec", "")
    if not command:
        return None
    # NOTE: Hidden=true or X-GNOME-Autostart-enabled=false switches an autostart entry off.
    enabled = values.get("Hidden", "false").lower() != "true" and (
        values.get("X-GNOME-Autostart-enabled", "true").lower() != "false"
    )
    command = re.sub(r"\s%[fFuUdDnNickvm]", "", command)  # field codes are not part of the program
    return AutostartEntry(
        "xdg-autostart", location, values.get("Name", ""), command, program_of(command), enabled
    )


def parse_systemd_unit(text: str, location: str, name: str) -> AutostartEntry | None:
    """A systemd unit: the first ExecStart of its [Service] section; None for units without one."""
    section, command, description = "", "", ""
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
        elif section == "Unit" and line.startswith("Description="):
            description = line.partition("=")[2].strip()
        elif section == "Service" and line.startswith("ExecStart=") and not command:
            command = line.partition("=")[2].strip()
    # NOTE: ExecStart may begin with the special prefixes -, @, :, +, ! (!!): not part of the path.
    command = command.lstrip("-@:+!")
    if not command:
        return None
    return AutostartEntry("systemd", location, name, command, program_of(command), True, description)


def parse_crontab(text: str, location: str, has_user_field: bool) -> list[AutostartEntry]:
    """Crontab lines; /etc/crontab and /etc/cron.d files have a user field before the command."""
    entries = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or _CRON_ENV.match(line):
            continue
        fields = line.split()
        when = 1 if line.startswith("@") else 5
        skip = when + (1 if has_user_field else 0)
        if len(fields) <= skip:
            continue
        command = " ".join(fields[skip:])
        name = " ".join(fields[:when])
        entries.append(AutostartEntry("cron", location, name, command, program_of(command)))
    return entries


def parse_launchd_plist(data: bytes, location: str) -> AutostartEntry | None:
    """A launchd job (XML or binary plist): Label, Program or ProgramArguments, Disabled."""
    try:
        job = plistlib.loads(data)
    except Exception:  # noqa: BLE001 - plistlib raises many types for damaged files
        return None
    if not isinstance(job, dict):
        return None
    arguments = job.get("ProgramArguments")
    words = [str(a) for a in arguments] if isinstance(arguments, list) else []
    program = str(job.get("Program") or (words[0] if words else ""))
    command = " ".join(words) if words else program
    if not program:
        return None
    return AutostartEntry(
        "launchd", location, str(job.get("Label", "")), command, program, not bool(job.get("Disabled", False))
    )


def run_key_entries(key: str, values: dict) -> list[AutostartEntry]:
    """Values of a Run/RunOnce key: name -> command line."""
    entries = []
    for name, data in sorted(values.items()):
        if not isinstance(data, str) or not data.strip():
            continue
        entries.append(AutostartEntry("run-key", key, name, data.strip(), program_of(data, windows=True)))
    return entries


def service_entry(key: str, name: str, values: dict) -> AutostartEntry | None:
    """A service key (HKLM\\SYSTEM\\CurrentControlSet\\Services\\NAME); None for drivers."""
    image = values.get("ImagePath")
    if not isinstance(image, str) or not image.strip():
        return None
    kind = values.get("Type")
    if isinstance(kind, int) and kind in (1, 2, 8):  # kernel/file-system drivers, adapters
        return None
    start = values.get("Start")
    display = values.get("DisplayName")
    return AutostartEntry(
        "service",
        key,
        name,
        image.strip(),
        program_of(image, windows=True),
        enabled=not (isinstance(start, int) and start == 4),  # 4 = disabled
        display_name=display if isinstance(display, str) and not display.startswith("@") else "",
    )


def lnk_target(data: bytes) -> tuple[str, str] | None:
    """(target path, arguments) of a Windows shell link (.lnk, MS-SHLLINK), or None if unreadable."""
    if len(data) < 0x4C or struct.unpack_from("<I", data, 0)[0] != 0x4C:
        return None
    flags = struct.unpack_from("<I", data, 0x14)[0]
    pos = 0x4C
    try:
        if flags & 0x01:  # HasLinkTargetIDList
            pos += 2 + struct.unpack_from("<H", data, pos)[0]
        target = ""
        if flags & 0x02:  # HasLinkInfo
            info_size, header_size, info_flags = struct.unpack_from("<III", data, pos)
            if info_flags & 0x01:  # VolumeIDAndLocalBasePath
                base_offset = struct.unpack_from("<I", data, pos + 16)[0]
                suffix_offset = struct.unpack_from("<I", data, pos + 24)[0]
                target = _c_string(data, pos + base_offset) + _c_string(data, pos + suffix_offset)
            pos += info_size
        unicode = bool(flags & 0x80)
        strings = {}
        for bit, label in ((0x04, "name"), (0x08, "relative"), (0x10, "workdir"), (0x20, "args"), (0x40, "icon")):
            if flags & bit:
                count = struct.unpack_from("<H", data, pos)[0]
                width = 2 if unicode else 1
                raw = data[pos + 2 : pos + 2 + count * width]
                strings[label] = raw.decode("utf-16-le" if unicode else "cp1252", errors="replace")
                pos += 2 + count * width
    except struct.error:
        return None
    target = target or strings.get("relative", "")
    return (target, strings.get("args", "")) if target else None


def _c_string(data: bytes, offset: int) -> str:
    end = data.find(b"\x00", offset)
    return data[offset : end if end >= 0 else len(data)].decode("cp1252", errors="replace")


def startup_entry(file_name: str, data: bytes, location: str) -> AutostartEntry:
    """A file in a Startup folder: a .lnk is followed to its target; other files start themselves."""
    target = lnk_target(data) if file_name.lower().endswith(".lnk") else None
    if target is None:
        return AutostartEntry("startup-folder", location, file_name, location, location)
    path, args = target
    command = f'"{path}" {args}'.strip()
    return AutostartEntry("startup-folder", location, file_name, command, path)


_TASK_NS = "{http://schemas.microsoft.com/windows/2004/02/mit/task}"


def parse_scheduled_task(data: bytes, location: str, name: str) -> list[AutostartEntry]:
    """A Windows Task Scheduler XML file (C:\\Windows\\System32\\Tasks\\...): one entry per Exec action."""
    import xml.etree.ElementTree as ET  # noqa: N817 - the usual short name

    if b"<!ENTITY" in data[:4096] or b"<!entity" in data[:4096]:
        return []  # NOTE: real task files never declare entities; refusing them avoids expansion bombs
    try:
        root = ET.fromstring(data)  # noqa: S314 - local system file, entities refused above
    except ET.ParseError:
        return []
    enabled = (root.findtext(f"{_TASK_NS}Settings/{_TASK_NS}Enabled") or "true").strip().lower() != "false"
    uri = (root.findtext(f"{_TASK_NS}RegistrationInfo/{_TASK_NS}URI") or name).strip()
    entries = []
    for action in root.iter(f"{_TASK_NS}Exec"):
        program = (action.findtext(f"{_TASK_NS}Command") or "").strip().strip('"')
        if not program:
            continue
        args = (action.findtext(f"{_TASK_NS}Arguments") or "").strip()
        command = f'"{program}" {args}'.strip()
        entries.append(AutostartEntry("scheduled-task", location, uri, command, program, enabled))
    return entries


# Folders where a program that starts by itself has no business living.
_TEMP = re.compile(
    r"(^|[\\/])(tmp|temp|var[\\/]tmp|dev[\\/]shm|private[\\/]tmp|\$recycle\.bin)([\\/]|$)"
    r"|[\\/]appdata[\\/]local[\\/]temp([\\/]|$)|^/private/var/folders/[^/]+/[^/]+/T/",
    re.IGNORECASE,
)
# Dot-folders in a home that hold ordinary installed tools (package managers, runtimes).
_USUAL_DOT_FOLDERS = frozenset(
    ".local .config .var .nix-profile .cargo .pyenv .rbenv .nvm .sdkman .deno .bun .npm-global "
    ".dotnet .volta .asdf .linuxbrew .rustup .juliaup .poetry .pixi .conda .miniconda3 .anaconda3 "
    ".dropbox-dist .steam .vscode .vscode-server".split()
)


def unusual_location(program: str) -> str | None:
    """Why a program's folder is suspicious for something that autostarts, or None."""
    if not program:
        return None
    if _TEMP.search(program):
        return "a temporary folder"
    parts = [p for p in re.split(r"[\\/]", program)[:-1] if p]
    for part in parts:
        if part.startswith(".") and part not in (".", "..") and part.lower() not in _USUAL_DOT_FOLDERS:
            return f"a hidden folder ({part})"
    return None
