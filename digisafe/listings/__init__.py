"""Process listings captured on another machine: parse them into ProcessInfo rows (pure).

Formats, detected from the content (not the file name):

- Windows ``tasklist /v /fo csv`` (and plain ``tasklist /fo csv``): names and users, no paths.
- Windows PowerShell ``Get-CimInstance Win32_Process | Select-Object ProcessId,Name,ExecutablePath,
  CommandLine | Export-Csv``: with or without the ``#TYPE`` line; ParentProcessId and CreationDate
  are used when the caseworker selected them too.
- ``ps -axo pid,user,comm,args`` on macOS or Linux, with its header line.
- digisafe's own JSON (``digisafe processes --format json``), which carries the rows it matched.

Encodings: UTF-8 (with or without BOM), UTF-16 with a BOM (what ``>`` writes in Windows PowerShell)
or without one, and, as a last resort, Windows-1252. Anything else is one ``ListingError`` naming
the file and the line.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable

from digisafe.context import ProcessInfo
from digisafe.errors import InputError

MAX_LISTING_BYTES = 64 * 1024 * 1024
JSON_KEY = "process_listing"  # the key under which `digisafe processes --format json` stores rows

# NOTE: tasklist translates its header with the Windows display language; the columns keep their
# order, so a 9-column (/v) or 5-column CSV whose second column is "PID" is read by position.
_TASKLIST_EN = ("image name", "pid", "session name", "session#", "mem usage")
_TASKLIST_V = 9
_TASKLIST_PLAIN = 5
_PS_HEADER = re.compile(r"^\s*PID\s+(USER|UID|RUSER)\s+(COMMAND|COMM|CMD|UCOMM)\s+(COMMAND|ARGS|CMD)\s*$")
_PS_ROW = re.compile(r"^\s*(\d+)\s+(\S+)\s+(\S.*?)\s*$")


class ListingError(InputError):
    """A listing that cannot be read; the message names the file and, where known, the line."""


@dataclass(frozen=True)
class Listing:
    format: str  # "tasklist", "cim-csv", "ps", "digisafe-json"
    platform: str | None  # "windows", "darwin", "linux", or None when it cannot be told
    processes: tuple[ProcessInfo, ...]
    has_paths: bool  # False for tasklist: only names can be matched


def decode(data: bytes, source: str) -> str:
    """Bytes of a captured listing -> text, whatever Windows or a Mac wrote it with."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", source)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", source)
    head = data[:400]
    if head and head.count(b"\x00") * 3 > len(head):  # NOTE: UTF-16 without a BOM (ASCII-range text)
        even_nuls = head[0::2].count(b"\x00")
        return _strict(data, "utf-16-be" if even_nuls > len(head) // 4 else "utf-16-le", source)
    if b"\x00" in head:
        raise ListingError(f"{source}: this is a binary file, not a process listing")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _strict(data: bytes, encoding: str, source: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ListingError(f"{source}: not valid {encoding.upper()} text (byte {exc.start})") from None


def parse_listing(data: bytes, source: str = "listing") -> Listing:
    """Detect the format of a captured listing and parse it; ListingError on anything unusable."""
    if len(data) > MAX_LISTING_BYTES:
        raise ListingError(f"{source}: larger than {MAX_LISTING_BYTES // (1024 * 1024)} MiB; not a process listing")
    text = decode(data, source).lstrip("\ufeff")
    lines = text.splitlines()
    first_index = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first_index is None:
        raise ListingError(f"{source}: the file is empty")
    first = lines[first_index].strip()
    if first.startswith(("{", "[")):
        return _parse_json(text, source)
    if first.startswith("#TYPE"):
        return _parse_cim(lines[first_index + 1 :], source, first_index + 2)
    if _PS_HEADER.match(lines[first_index]):
        return _parse_ps(lines[first_index:], source, first_index + 1)
    header = _csv_row(first, source, first_index + 1)
    folded = [h.strip().lower() for h in header]
    if "name" in folded and ("processid" in folded or "executablepath" in folded):
        return _parse_cim(lines[first_index:], source, first_index + 1)
    if len(folded) in (_TASKLIST_V, _TASKLIST_PLAIN) and len(folded) > 1 and folded[1] == "pid":
        return _parse_tasklist(lines[first_index:], source, first_index + 1)
    raise ListingError(
        f"{source}: line {first_index + 1}: not a process listing digisafe knows (expected tasklist /v /fo csv, "
        "Get-CimInstance Win32_Process CSV, 'ps -axo pid,user,comm,args' or digisafe JSON)"
    )


def _delimiter(line: str) -> str:
    """',' normally; ';' where Export-Csv -UseCulture wrote a German, French... list separator."""
    return ";" if line.count(";") > line.count(",") else ","


def _csv_row(line: str, source: str, number: int) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=_delimiter(line)))
    except (csv.Error, StopIteration) as exc:
        raise ListingError(f"{source}: line {number}: not CSV ({exc})") from None


def _csv_records(lines: list[str], source: str, first_number: int) -> Iterable[tuple[int, dict[str, str]]]:
    """(line number, row by lower-case header) for each CSV record; quoted newlines are allowed."""
    first = next((line for line in lines if line.strip()), "")
    reader = csv.reader(io.StringIO("\n".join(lines)), strict=True, delimiter=_delimiter(first))
    try:
        header = [h.strip().lower() for h in next(reader)]
        for row in reader:
            number = first_number + reader.line_num - 1
            if not row or all(not cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise ListingError(
                    f"{source}: line {number}: {len(row)} columns where the header has {len(header)}"
                )
            yield number, dict(zip(header, row))
    except csv.Error as exc:
        raise ListingError(f"{source}: line {first_number + reader.line_num - 1}: broken CSV ({exc})") from None


def _pid(value: str, source: str, number: int, column: str = "PID") -> int:
    text = value.strip()
    if not text.isdigit():
        raise ListingError(f"{source}: line {number}: {column} {value!r} is not a number")
    return int(text)


def _parse_tasklist(lines: list[str], source: str, first_number: int) -> Listing:
    rows = []
    for number, record in _csv_records(lines, source, first_number):
        cells = list(record.values())  # by position: the header may be in any language
        user = cells[6].strip() if len(cells) == _TASKLIST_V else ""
        rows.append(
            ProcessInfo(
                pid=_pid(cells[1], source, number),
                name=cells[0].strip(),
                username=None if user.upper() in ("", "N/A") else user,
            )
        )
    return Listing("tasklist", "windows", tuple(rows), has_paths=False)


def _cim_time(value: str) -> float | None:
    """CreationDate as Export-Csv writes it: a DMTF string or a local date/time text."""
    text = value.strip()
    match = re.match(r"^(\d{14})\.\d+([+-]\d{3})$", text)
    if match:
        stamp = datetime.strptime(match.group(1), "%Y%m%d%H%M%S")
        offset_min = int(match.group(2))
        return stamp.replace(tzinfo=timezone.utc).timestamp() - offset_min * 60
    iso = re.match(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.\d+)?(Z|[+-]\d\d:\d\d)$", text)
    if iso:  # ...CreationDate.ToUniversalTime().ToString('o'), as docs/monitoring.md suggests
        zone = "+00:00" if iso.group(2) == "Z" else iso.group(2)
        return datetime.fromisoformat(iso.group(1) + zone).timestamp()
    return None


def _parse_cim(lines: list[str], source: str, first_number: int) -> Listing:
    rows = []
    for number, record in _csv_records(lines, source, first_number):
        if "name" not in record:
            raise ListingError(f"{source}: line {first_number}: no Name column (select ProcessId,Name,...)")
        exe = (record.get("executablepath") or "").strip() or None
        cmd = (record.get("commandline") or "").strip()
        parent = (record.get("parentprocessid") or "").strip()
        pid_text = record.get("processid") or record.get("handle") or ""
        rows.append(
            ProcessInfo(
                pid=_pid(pid_text, source, number, "ProcessId"),
                name=record["name"].strip(),
                exe=exe,
                cmdline=(cmd,) if cmd else (),
                ppid=int(parent) if parent.isdigit() else None,
                create_time=_cim_time(record.get("creationdate") or ""),
            )
        )
    return Listing("cim-csv", "windows", tuple(rows), has_paths=True)


def _split_comm_args(line: str, rest_start: int, args_column: int) -> tuple[str, str]:
    """Split 'COMM ARGS' where COMM may hold spaces (macOS gives a full path there)."""
    rest = line[rest_start:]
    if rest_start < args_column <= len(line) and line[args_column - 1] == " " and line[args_column] != " ":
        return line[rest_start:args_column].strip(), line[args_column:].strip()
    # The column overflowed: prefer the split where ARGS begins with COMM (macOS), else the first space.
    for match in re.finditer(r"\s+", rest):
        comm, args = rest[: match.start()], rest[match.end() :]
        if args.startswith(comm) and comm.startswith("/"):
            return comm, args
    comm, _, args = rest.partition(" ")
    return comm, args.strip()


def _parse_ps(lines: list[str], source: str, first_number: int) -> Listing:
    header = lines[0]
    args_column = max(header.rfind(" COMMAND"), header.rfind(" ARGS"), header.rfind(" CMD")) + 1
    rows = []
    for offset, line in enumerate(lines[1:], start=1):
        if not line.strip():
            continue
        match = _PS_ROW.match(line)
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
    return Listing("ps", _guess_posix_platform(rows), tuple(rows), has_paths=any(r.exe for r in rows))


def _guess_posix_platform(rows: list[ProcessInfo]) -> str | None:
    paths = [r.exe or "" for r in rows]
    mac = sum(p.startswith(("/System/", "/Applications/", "/usr/libexec/", "/Library/")) for p in paths)
    linux = sum(p.startswith(("/usr/bin/", "/usr/sbin/", "/usr/lib/", "/snap/", "/opt/")) for p in paths)
    names = {r.name for r in rows}
    if mac > linux or "launchd" in names or "WindowServer" in names:
        return "darwin"
    if linux or "systemd" in names or "kthreadd" in names or "init" in names:
        return "linux"
    return None


def _parse_json(text: str, source: str) -> Listing:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ListingError(f"{source}: line {exc.lineno}: broken JSON ({exc.msg})") from None
    block = data.get(JSON_KEY) if isinstance(data, dict) else None
    if not isinstance(block, dict) or not isinstance(block.get("processes"), list):
        raise ListingError(
            f"{source}: JSON without a '{JSON_KEY}' block: save it with 'digisafe processes --format json'"
        )
    rows = tuple(_json_row(item, index, source) for index, item in enumerate(block["processes"], start=1))
    platform = block.get("platform")
    return Listing(
        "digisafe-json",
        platform if platform in ("windows", "darwin", "linux") else None,
        rows,
        has_paths=any(r.exe for r in rows),
    )


def _json_row(item: Any, index: int, source: str) -> ProcessInfo:
    def fail(why: str) -> ListingError:
        return ListingError(f"{source}: {JSON_KEY}.processes[{index}]: {why}")

    if not isinstance(item, dict):
        raise fail("not an object")
    pid, name = item.get("pid"), item.get("name")
    if not isinstance(pid, int) or isinstance(pid, bool) or not isinstance(name, str):
        raise fail("needs an integer 'pid' and a text 'name'")
    cmdline = item.get("cmdline") or []
    if not isinstance(cmdline, list) or not all(isinstance(a, str) for a in cmdline):
        raise fail("'cmdline' must be a list of strings")
    created, ppid = item.get("create_time"), item.get("ppid")
    return ProcessInfo(
        pid=pid,
        name=name,
        exe=item.get("exe") if isinstance(item.get("exe"), str) else None,
        cmdline=tuple(cmdline),
        username=item.get("username") if isinstance(item.get("username"), str) else None,
        create_time=float(created) if isinstance(created, (int, float)) and not isinstance(created, bool) else None,
        ppid=ppid if isinstance(ppid, int) and not isinstance(ppid, bool) else None,
    )


def listing_block(processes: Iterable[ProcessInfo], platform: str, captured_at: str) -> dict[str, Any]:
    """The JSON block `digisafe processes --format json` adds, readable back by ``parse_listing``."""
    return {
        "platform": platform,
        "captured_at": captured_at,
        "processes": [
            {
                "pid": p.pid,
                "ppid": p.ppid,
                "name": p.name,
                "exe": p.exe,
                "cmdline": list(p.cmdline),
                "username": p.username,
                "create_time": p.create_time,
            }
            for p in processes
        ],
    }
