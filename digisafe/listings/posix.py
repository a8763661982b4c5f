"""macOS and Linux listings: `ps -axo pid,user,comm,args` (the documented one), `ps aux`, `ps -ef`."""

from __future__ import annotations

import re

from digisafe.core.context import ProcessInfo
from digisafe.core.platforms import Platform
from digisafe.listings.base import Listing, ListingError

AXO_HEADER = re.compile(r"^\s*PID\s+(USER|UID|RUSER)\s+(COMMAND|COMM|CMD|UCOMM)\s+(COMMAND|ARGS|CMD)\s*$")
AUX_HEADER = re.compile(
    r"^\s*USER\s+PID\s+%CPU\s+%MEM\s+VSZ\s+RSS\s+TTY?\s+STAT\s+START(ED)?\s+TIME\s+(COMMAND|CMD)\s*$"
)
EF_HEADER = re.compile(r"^\s*UID\s+PID\s+PPID\s+C\s+STIME\s+TTY\s+TIME\s+(CMD|COMMAND)\s*$")
_AXO_ROW = re.compile(r"^\s*(\d+)\s+(\S+)\s+(\S.*?)\s*$")


def _split_comm_args(line: str, rest_start: int, args_column: int) -> tuple[str, str]:
    """Split 'COMM ARGS' where COMM may hold spaces (macOS gives a full path there)."""
    rest = line[rest_start:]
    if rest_start < args_column < len(line) and line[args_column - 1] == " " and line[args_column] != " ":
        return line[rest_start:args_column].strip(), line[args_column:].strip()
    # The column overflowed: prefer the split where ARGS begins with COMM (macOS), else the first space.
    for match in re.finditer(r"\s+", rest):
        comm, args = rest[: match.start()], rest[match.end() :]
        if args.startswith(comm) and comm.startswith("/"):
            return comm, args
    comm, _, args = rest.partition(" ")
    return comm, args.strip()


def parse_ps_axo(lines: list[str], source: str, first_number: int) -> Listing:
    header = lines[0]
    args_column = max(header.rfind(" COMMAND"), header.rfind(" ARGS"), header.rfind(" CMD")) + 1
    rows = []
    for offset, line in enumerate(lines[1:], start=1):
        if not line.strip():
            continue
        match = _AXO_ROW.match(line)
        if match is None:
            raise ListingError(f"{source}: line {first_number + offset}: expected 'PID USER COMMAND ARGS'")
        comm, args = _split_comm_args(line, match.start(3), args_column)
        argv = tuple(args.split()) if args else ()
        exe = None
        if comm.startswith("/"):
            exe = comm  # NOTE: macOS ps prints the full executable path as comm
        elif argv and argv[0].startswith("/") and argv[0].rsplit("/", 1)[-1].startswith(comm[:15]):
            exe = argv[0]  # NOTE: Linux comm is the 15-character process name; argv[0] names the file
        name = comm.rsplit("/", 1)[-1] if comm.startswith("/") else comm
        rows.append(ProcessInfo(pid=int(match.group(1)), name=name, exe=exe, cmdline=argv, username=match.group(2)))
    return Listing("ps", guess_platform(rows), tuple(rows))


def parse_ps_columns(lines: list[str], source: str, first_number: int, style: str) -> Listing:
    """`ps aux` (USER PID ... COMMAND) or `ps -ef` (UID PID PPID ... CMD): the command is the rest."""
    fields, pid_at, user_at = (10, 1, 0) if style == "aux" else (7, 1, 0)
    rows = []
    for offset, line in enumerate(lines[1:], start=1):
        if not line.strip():
            continue
        parts = line.split(None, fields)
        if len(parts) <= fields or not parts[pid_at].isdigit():
            raise ListingError(f"{source}: line {first_number + offset}: does not look like a row of 'ps {style}'")
        argv = tuple(parts[fields].split())
        first = argv[0] if argv else ""
        kernel = first.startswith("[") and first.endswith("]")
        name = first.strip("[]") if kernel else first.rsplit("/", 1)[-1].lstrip("-").rstrip(":")
        rows.append(
            ProcessInfo(
                pid=int(parts[pid_at]),
                name=name,
                exe=first if first.startswith("/") else None,
                cmdline=argv,
                username=parts[user_at],
                ppid=int(parts[2]) if style == "ef" and parts[2].isdigit() else None,
            )
        )
    return Listing(f"ps-{style}", guess_platform(rows), tuple(rows))


def guess_platform(rows: list[ProcessInfo]) -> Platform | None:
    paths = [r.exe or "" for r in rows]
    mac = sum(p.startswith(("/System/", "/Applications/", "/usr/libexec/", "/Library/")) for p in paths)
    linux = sum(p.startswith(("/usr/bin/", "/usr/sbin/", "/usr/lib/", "/snap/", "/opt/")) for p in paths)
    names = {r.name for r in rows}
    if mac > linux or "launchd" in names or "WindowServer" in names:
        return Platform.MACOS
    if linux or "systemd" in names or "kthreadd" in names or "init" in names:
        return Platform.LINUX
    return None
