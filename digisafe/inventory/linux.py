"""Linux packages: dpkg's status file, rpm's SQLite database, flatpak and snap applications.

rpm's database is read from a private copy (digisafe/core/sqlite_snapshot.py) and its package
headers are decoded here (the header format: index count and data size, 16-byte index entries of
tag, type, offset, count, then the data). The older Berkeley DB and SUSE ``Packages.db`` formats
cannot be read without rpm itself: the report says so.
"""

from __future__ import annotations

import datetime as dt
import struct
from pathlib import Path
from typing import Any, Iterator

from digisafe.inventory.model import InstalledProgram

DPKG_STATUS = "/var/lib/dpkg/status"
RPM_SQLITE = ("/usr/lib/sysimage/rpm/rpmdb.sqlite", "/var/lib/rpm/rpmdb.sqlite")
RPM_OTHER = ("/var/lib/rpm/Packages", "/var/lib/rpm/Packages.db", "/usr/lib/sysimage/rpm/Packages.db")
FLATPAK_APPS = ("/var/lib/flatpak/app", "~/.local/share/flatpak/app")
SNAPS = "/var/lib/snapd/snaps"
MAX_STATUS_BYTES = 64 * 1024 * 1024
_NAME, _VERSION, _RELEASE, _INSTALLTIME, _VENDOR = 1000, 1001, 1002, 1008, 1011
_STRING_TYPES = (6, 8, 9)  # STRING, STRING_ARRAY, I18NSTRING (first string)
_INT32 = 4


def parse_dpkg_status(text: str, source: str = DPKG_STATUS) -> list[InstalledProgram]:
    """Installed packages ('Status: install ok installed') of a dpkg status file."""
    found = []
    for stanza in text.split("\n\n"):
        fields: dict[str, str] = {}
        for line in stanza.splitlines():
            if line[:1] in (" ", "\t") or ":" not in line:
                continue  # a continuation line (Description, Conffiles)
            key, _, value = line.partition(":")
            fields[key.strip().lower()] = value.strip()
        name = fields.get("package")
        if not name or fields.get("status", "").split()[-1:] != ["installed"]:
            continue
        found.append(InstalledProgram(name=name, source=source, kind="dpkg", publisher=fields.get("maintainer", ""),
                                      version=fields.get("version", "")))
    return found


def _entries(blob: bytes) -> Iterator[tuple[int, int, int, int]]:
    count, size = struct.unpack(">II", blob[:8])
    if count > 100_000 or 8 + 16 * count + size > len(blob):
        raise ValueError("not an rpm header")
    for index in range(count):
        yield struct.unpack(">iiii", blob[8 + 16 * index : 24 + 16 * index])


def rpm_header(blob: bytes) -> dict[int, Any]:
    """NAME, VERSION, RELEASE, VENDOR (text) and INSTALLTIME (seconds) of one package header."""
    count = struct.unpack(">I", blob[:4])[0] if len(blob) >= 8 else 0
    data = 8 + 16 * count
    wanted = {_NAME, _VERSION, _RELEASE, _VENDOR, _INSTALLTIME}
    found: dict[int, Any] = {}
    for tag, kind, offset, _n in _entries(blob):
        if tag not in wanted or not 0 <= data + offset < len(blob):
            continue
        start = data + offset
        if kind in _STRING_TYPES:
            end = blob.find(b"\0", start)
            found[tag] = blob[start : end if end >= 0 else len(blob)].decode("utf-8", "replace")
        elif kind == _INT32 and start + 4 <= len(blob):
            found[tag] = struct.unpack(">I", blob[start : start + 4])[0]
    return found


def rpm_programs(path: Path, shown: str) -> list[InstalledProgram]:
    """Packages in an rpmdb.sqlite (table Packages: hnum, blob). Raises UnreadableFile."""
    from digisafe.core.sqlite_snapshot import UnreadableFile, sqlite_snapshot

    found = []
    with sqlite_snapshot(path) as conn:
        try:
            rows = conn.execute("SELECT blob FROM Packages").fetchall()
        except Exception as exc:  # noqa: BLE001 - sqlite3.Error: not the expected shape
            raise UnreadableFile(f"{shown} is not an rpm database ({exc})") from None
    for (blob,) in rows:
        try:
            header = rpm_header(bytes(blob))
        except (ValueError, struct.error, TypeError):
            continue
        name = header.get(_NAME)
        if not name or name.startswith("gpg-pubkey"):
            continue
        when = header.get(_INSTALLTIME)
        installed = dt.datetime.fromtimestamp(when, dt.timezone.utc).date().isoformat() if when else None
        version = "-".join(str(header[t]) for t in (_VERSION, _RELEASE) if header.get(t))
        found.append(InstalledProgram(name=name, source=shown, kind="rpm", publisher=str(header.get(_VENDOR, "")),
                                      version=version, installed=installed))
    return found


def flatpak_apps(folder: Path, shown: str) -> list[InstalledProgram]:
    try:
        ids = sorted(p.name for p in folder.iterdir() if p.is_dir())
    except OSError:
        return []
    return [InstalledProgram(name=app_id.rsplit(".", 1)[-1], source=f"{shown}/{app_id}", kind="flatpak",
                             location=f"{shown}/{app_id}", bundle_id=app_id) for app_id in ids]


def snap_apps(folder: Path) -> list[InstalledProgram]:
    try:
        files = sorted(p.name for p in folder.iterdir() if p.name.endswith(".snap"))
    except OSError:
        return []
    names = dict.fromkeys(f[: -len(".snap")].rsplit("_", 1)[0] for f in files)
    return [InstalledProgram(name=n, source=f"{SNAPS}/{n}_*.snap", kind="snap") for n in names]
