"""Process listings captured on another machine: parse them into ProcessInfo rows (pure).

Formats, detected from the content (not the file name):

- Windows ``tasklist /v /fo csv`` (and plain ``tasklist /fo csv``, with or without ``/nh``, and
  the table that ``tasklist`` prints without ``/fo csv``): names and users, no paths.
- Windows PowerShell ``Get-CimInstance Win32_Process | Select-Object ProcessId,Name,ExecutablePath,
  CommandLine | Export-Csv``: with or without the ``#TYPE`` line; ParentProcessId and CreationDate
  are used when selected too. Get-WmiObject and ``wmic process ... /format:csv`` give the same
  columns; ``Get-Process | Export-Csv`` is read as well.
- ``ps -axo pid,user,comm,args`` on macOS or Linux, with its header line; also ``ps aux`` and
  ``ps -ef``.
- digisafe's own JSON (``digisafe processes --format json``), which carries the rows it matched.

Encodings: UTF-8 (with or without BOM), UTF-16 with a BOM (what ``>`` writes in Windows PowerShell)
or without one, and, as a last resort, Windows-1252. Anything else is one ``ListingError`` naming
the file and the line.
"""

from __future__ import annotations

import json
from typing import Any, Iterable

from digisafe.core.context import ProcessInfo
from digisafe.core.platforms import LAPTOP_PLATFORMS, Platform
from digisafe.listings import posix, windows
from digisafe.listings.base import Listing, ListingError, csv_row

__all__ = [
    "JSON_KEY", "MAX_LISTING_BYTES", "Listing", "ListingError", "decode", "listing_block", "parse_listing",
]

# NOTE: `tasklist /v /fo csv` writes about 100 bytes a process, so 8 MB is some 80,000 processes (a
# busy machine runs a few hundred; Get-CimInstance rows with command lines run to a few kB each).
# Parsing and matching cost time and memory in proportion (a 60 MB listing took 18 s and 1.2 GB
# before this limit; 8 MB takes 5 s and 107 MB on a busy 2-core machine).
MAX_LISTING_BYTES = 8 * 1024 * 1024
JSON_KEY = "process_listing"  # the key under which `digisafe processes --format json` stores rows
EXPECTED = (
    "expected tasklist /v /fo csv, Get-CimInstance Win32_Process CSV, 'ps -axo pid,user,comm,args' "
    "or digisafe JSON; see docs/monitoring.md"
)


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
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None:
        raise ListingError(f"{source}: the file is empty")
    first, body, number = lines[start].strip(), lines[start:], start + 1
    if first.startswith(("{", "[")):
        return _parse_json(text, source)
    if first.startswith("#TYPE"):
        return _parse_csv(lines[start + 1 :], source, number + 1)
    if posix.AXO_HEADER.match(first):
        return posix.parse_ps_axo(body, source, number)
    if posix.AUX_HEADER.match(first):
        return posix.parse_ps_columns(body, source, number, "aux")
    if posix.EF_HEADER.match(first):
        return posix.parse_ps_columns(body, source, number, "ef")
    rule_at = next((i for i in range(start + 1, len(lines)) if lines[i].strip()), None)
    if rule_at is not None and windows.is_table_rule(lines[rule_at]):
        return windows.parse_tasklist_table([lines[start], *lines[rule_at:]], source, number)
    return _parse_csv(body, source, number)


def _parse_csv(lines: list[str], source: str, number: int) -> Listing:
    if not lines or not lines[0].strip():
        raise ListingError(f"{source}: line {number}: no header line ({EXPECTED})")
    cells = csv_row(lines[0], source, number)
    folded = [c.strip().lower() for c in cells]
    if windows.is_cim_header(folded):
        return windows.parse_cim(lines, source, number)
    if windows.is_get_process_header(folded):
        return windows.parse_get_process(lines, source, number)
    if windows.is_tasklist_header(cells):
        return windows.parse_tasklist(lines, source, number)
    if windows.is_headerless_tasklist(cells):
        return windows.parse_tasklist(lines, source, number, has_header=False)
    raise ListingError(f"{source}: line {number}: not a process listing digisafe knows ({EXPECTED})")


def _parse_json(text: str, source: str) -> Listing:
    from digisafe.core.userfiles import json_loads

    try:
        data = json_loads(text)
    except json.JSONDecodeError as exc:
        raise ListingError(f"{source}: line {exc.lineno}: broken JSON ({exc.msg})") from None
    except ValueError as exc:  # nested too deep, or a number too long
        raise ListingError(f"{source}: not a usable listing: {exc}") from None
    block = _json_block(data)
    if not isinstance(block, dict) or not isinstance(block.get("processes"), list):
        raise ListingError(
            f"{source}: JSON without a '{JSON_KEY}' block: save it with 'digisafe processes --format json'"
        )
    rows = tuple(_json_row(item, index, source) for index, item in enumerate(block["processes"], start=1))
    platform = Platform.parse_optional(block.get("platform"))  # 1.x files say "darwin"
    return Listing("digisafe-json", platform if platform in LAPTOP_PLATFORMS else None, rows)


def _json_block(data: Any) -> Any:
    """The rows block: under "attachments" since report schema 2.0, at the top level in 1.x files."""
    if not isinstance(data, dict):
        return None
    attachments = data.get("attachments")
    if isinstance(attachments, dict) and JSON_KEY in attachments:
        return attachments[JSON_KEY]
    return data.get(JSON_KEY)


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
    """The rows `digisafe processes --format json` keeps (Report.attachments), read back by ``parse_listing``."""
    return {
        "platform": str(platform),
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
