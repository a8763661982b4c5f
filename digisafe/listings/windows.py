"""Windows listings: tasklist (CSV with or without header, or its table), Get-CimInstance /
Get-WmiObject / wmic Win32_Process CSV, and Get-Process CSV."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from digisafe.core.context import ProcessInfo
from digisafe.core.platforms import Platform
from digisafe.listings.base import Listing, ListingError, csv_records, csv_row, pid_of

# NOTE: tasklist translates its header with the Windows display language; the columns keep their
# order, so a 9-column (/v) or 5-column CSV whose second column is "PID" is read by position.
TASKLIST_V = 9
TASKLIST_PLAIN = 5
_PSEUDO = frozenset({"Idle", "System", "Registry", "Memory Compression", "Secure System"})
_TABLE_RULE = re.compile(r"^=+(?: +=+)+\s*$")


def is_tasklist_header(cells: list[str]) -> bool:
    return len(cells) in (TASKLIST_V, TASKLIST_PLAIN) and cells[1].strip().lower() == "pid"


def is_headerless_tasklist(cells: list[str]) -> bool:
    """`tasklist /fo csv /nh`: the first line is already a process ("System Idle Process","0",...)."""
    return len(cells) in (TASKLIST_V, TASKLIST_PLAIN) and cells[1].strip().isdigit() and bool(cells[0].strip())


def is_table_rule(line: str) -> bool:
    return bool(_TABLE_RULE.match(line))


def _tasklist_row(cells: list[str], source: str, number: int) -> ProcessInfo:
    user = cells[6].strip() if len(cells) == TASKLIST_V else ""
    return ProcessInfo(
        pid=pid_of(cells[1], source, number),
        name=cells[0].strip(),
        username=None if user.upper() in ("", "N/A") else user,
    )


def parse_tasklist(lines: list[str], source: str, first_number: int, has_header: bool = True) -> Listing:
    header = None if has_header else [str(i) for i in range(len(csv_row(lines[0], source, first_number)))]
    rows = [
        _tasklist_row(list(record.values()), source, number)
        for number, record in csv_records(lines, source, first_number, header)
    ]
    return Listing("tasklist", Platform.WINDOWS, tuple(rows))


def parse_tasklist_table(lines: list[str], source: str, first_number: int) -> Listing:
    """Plain `tasklist` (or `tasklist /v`): a header, a rule of '=' groups giving the column widths."""
    rule = lines[1]
    spans = [(m.start(), m.end()) for m in re.finditer(r"=+", rule)]
    rows = []
    for offset, line in enumerate(lines[2:], start=2):
        if not line.strip():
            continue
        cells = [line[start:end].strip() for start, end in spans]
        cells[-1] = line[spans[-1][0] :].strip()  # the last column (window title) may run longer
        if len(spans) == TASKLIST_V and len(cells) == TASKLIST_V:
            rows.append(_tasklist_row(cells, source, first_number + offset))
        else:
            rows.append(_tasklist_row(cells[:2] + [""] * 3, source, first_number + offset))
    return Listing("tasklist-table", Platform.WINDOWS, tuple(rows))


def _cim_time(value: str) -> float | None:
    """CreationDate as a DMTF string (Get-WmiObject, wmic) or ISO 8601 (see docs/monitoring.md)."""
    text = value.strip()
    match = re.match(r"^(\d{14})\.\d+([+-]\d{3})$", text)
    if match:
        stamp = datetime.strptime(match.group(1), "%Y%m%d%H%M%S")
        offset_min = int(match.group(2))
        return stamp.replace(tzinfo=timezone.utc).timestamp() - offset_min * 60
    iso = re.match(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.\d+)?(Z|[+-]\d\d:\d\d)$", text)
    if iso:  # ...CreationDate.ToUniversalTime().ToString('o')
        zone = "+00:00" if iso.group(2) == "Z" else iso.group(2)
        return datetime.fromisoformat(iso.group(1) + zone).timestamp()
    return None  # NOTE: Export-Csv of a DateTime uses the local culture's format: not guessed


def is_cim_header(folded: list[str]) -> bool:
    return "name" in folded and ("processid" in folded or "executablepath" in folded)


def is_get_process_header(folded: list[str]) -> bool:
    return "id" in folded and "name" in folded and ("path" in folded or "processname" in folded)


def parse_cim(lines: list[str], source: str, first_number: int) -> Listing:
    rows = []
    for number, record in csv_records(lines, source, first_number):
        if "name" not in record:
            raise ListingError(f"{source}: line {first_number}: no Name column (select ProcessId,Name,...)")
        exe = (record.get("executablepath") or "").strip() or None
        cmd = (record.get("commandline") or "").strip()
        parent = (record.get("parentprocessid") or "").strip()
        rows.append(
            ProcessInfo(
                pid=pid_of(record.get("processid") or record.get("handle") or "", source, number, "ProcessId"),
                name=record["name"].strip(),
                exe=exe,
                cmdline=(cmd,) if cmd else (),
                ppid=int(parent) if parent.isdigit() else None,
                create_time=_cim_time(record.get("creationdate") or ""),
            )
        )
    return Listing("cim-csv", Platform.WINDOWS, tuple(rows))


def parse_get_process(lines: list[str], source: str, first_number: int) -> Listing:
    """`Get-Process | Export-Csv`: Name has no '.exe'; Path is the program file when visible."""
    rows = []
    for number, record in csv_records(lines, source, first_number):
        name = (record.get("processname") or record.get("name") or "").strip()
        exe = (record.get("path") or "").strip() or None
        if exe:
            name = re.split(r"[\\/]", exe)[-1]
        elif name and "." not in name and name not in _PSEUDO:
            name += ".exe"  # NOTE: Get-Process drops the extension that tasklist and indicators use
        rows.append(ProcessInfo(pid=pid_of(record.get("id") or "", source, number, "Id"), name=name, exe=exe))
    return Listing("get-process-csv", Platform.WINDOWS, tuple(rows))
