"""Shared pieces of the listing parsers: the result type, the error, CSV helpers."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Iterable

from digisafe.core.context import ProcessInfo
from digisafe.core.errors import InputError
from digisafe.core.platforms import Platform


class ListingError(InputError):
    """A listing that cannot be read; the message names the file and, where known, the line."""


@dataclass(frozen=True)
class Listing:
    format: str  # "tasklist", "tasklist-table", "cim-csv", "get-process-csv", "ps", "ps-aux", "ps-ef", ...
    platform: Platform | None  # None when it cannot be told
    processes: tuple[ProcessInfo, ...]

    @property
    def has_paths(self) -> bool:
        """False for tasklist (and a capture without locations): only names can be matched."""
        return any(p.exe for p in self.processes)


# Formats only one kind of system writes, with the words for them. Not here (several systems write
# them): Get-Process CSV (PowerShell 7 runs on Linux and macOS too) and digisafe's own JSON.
_ONLY_FROM = {
    "tasklist": ("tasklist output", (Platform.WINDOWS,)),
    "tasklist-table": ("tasklist output", (Platform.WINDOWS,)),
    "cim-csv": ("Win32_Process CSV", (Platform.WINDOWS,)),
    "ps": ("ps output", (Platform.LINUX, Platform.MACOS)),
    "ps-aux": ("ps aux output", (Platform.LINUX, Platform.MACOS)),
    "ps-ef": ("ps -ef output", (Platform.LINUX, Platform.MACOS)),
}


def check_platform(listing: Listing, chosen: Platform, source: str) -> None:
    """ListingError when ``chosen`` (--platform) is a system that never writes this listing's format.

    NOTE: judged as the wrong system, a listing matches nothing (Linux paths against Windows
    indicators) and the report says "found nothing of concern": a clean look at nothing."""
    what, systems = _ONLY_FROM.get(listing.format, ("", ()))
    if systems and chosen not in systems:
        names = " or ".join(p.label for p in systems)
        raise ListingError(f"{source}: this is {what} (from {names}), not {chosen.label}: give --platform "
                           f"{' or '.join(p.value for p in systems)}, or leave it out")


def delimiter(line: str) -> str:
    """',' normally; ';' where Export-Csv -UseCulture wrote a German, French... list separator."""
    return ";" if line.count(";") > line.count(",") else ","


def csv_row(line: str, source: str, number: int) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter(line)))
    except (csv.Error, StopIteration) as exc:
        raise ListingError(f"{source}: line {number}: not CSV ({exc})") from None


def csv_records(
    lines: list[str], source: str, first_number: int, header: list[str] | None = None
) -> Iterable[tuple[int, dict[str, str]]]:
    """(line number, row by lower-case header) for each CSV record; quoted newlines are allowed.
    ``header`` given: every line is a record (a listing saved without its header line)."""
    first = next((line for line in lines if line.strip()), "")
    reader = csv.reader(io.StringIO("\n".join(lines)), strict=True, delimiter=delimiter(first))
    try:
        names = header if header is not None else [h.strip().lower() for h in next(reader)]
        for row in reader:
            number = first_number + reader.line_num - 1
            if not row or all(not cell.strip() for cell in row):
                continue
            if len(row) != len(names):
                raise ListingError(f"{source}: line {number}: {len(row)} columns where the header has {len(names)}")
            yield number, dict(zip(names, row))
    except csv.Error as exc:
        raise ListingError(f"{source}: line {first_number + reader.line_num - 1}: broken CSV ({exc})") from None


def pid_of(value: str, source: str, number: int, column: str = "PID") -> int:
    text = value.strip()
    if not text.isdigit():
        raise ListingError(f"{source}: line {number}: {column} {value!r} is not a number")
    return int(text)
