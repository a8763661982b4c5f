"""Real installed-program data: Uninstall keys (through the registry fake), app bundles with real
Info.plist files (XML and binary), a dpkg status file, an rpmdb.sqlite with real package headers,
flatpak and snap folders. Also the ordinary programs of a fresh Windows 11, macOS 14 and Ubuntu 24.04."""

from __future__ import annotations

import plistlib
import sqlite3
import struct
from pathlib import Path
from typing import Any, Sequence

UNINSTALL = r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall"
UNINSTALL32 = r"HKLM\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall"
UNINSTALL_USER = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall"

# (key, DisplayName, Publisher) of an ordinary Windows 11 laptop's Programs and Features.
WINDOWS11_ORDINARY = [
    (UNINSTALL, "Microsoft Edge", "Microsoft Corporation"),
    (UNINSTALL, "Microsoft Edge WebView2 Runtime", "Microsoft Corporation"),
    (UNINSTALL, "Microsoft Update Health Tools", "Microsoft Corporation"),
    (UNINSTALL, "Windows PC Health Check", "Microsoft Corporation"),
    (UNINSTALL, "Microsoft Visual C++ 2015-2022 Redistributable (x64) - 14.38.33130", "Microsoft Corporation"),
    (UNINSTALL, "Microsoft 365 Apps for business - en-gb", "Microsoft Corporation"),
    (UNINSTALL, "Microsoft OneDrive", "Microsoft Corporation"),
    (UNINSTALL, "Microsoft Teams", "Microsoft Corporation"),
    (UNINSTALL, "Google Chrome", "Google LLC"),
    (UNINSTALL, "Mozilla Firefox (x64 en-GB)", "Mozilla"),
    (UNINSTALL, "Mozilla Maintenance Service", "Mozilla"),
    (UNINSTALL, "7-Zip 23.01 (x64)", "Igor Pavlov"),
    (UNINSTALL, "VLC media player", "VideoLAN"),
    (UNINSTALL, "Zoom Workplace (64-bit)", "Zoom Video Communications, Inc."),
    (UNINSTALL, "Adobe Acrobat (64-bit)", "Adobe"),
    (UNINSTALL, "NVIDIA Graphics Driver 546.33", "NVIDIA Corporation"),
    (UNINSTALL, "Realtek Audio Driver", "Realtek Semiconductor Corp."),
    (UNINSTALL, "Intel(R) Management Engine Components", "Intel Corporation"),
    (UNINSTALL, "Dell SupportAssist", "Dell Inc."),
    (UNINSTALL, "HP Smart", "HP Inc."),
    (UNINSTALL, "Spotify", "Spotify AB"),
    (UNINSTALL, "Steam", "Valve Corporation"),
    (UNINSTALL, "Python 3.12.1 (64-bit)", "Python Software Foundation"),
    (UNINSTALL, "Notepad++ (64-bit x86)", "Notepad++ Team"),
    (UNINSTALL, "Git", "The Git Development Community"),
    (UNINSTALL32, "Dropbox", "Dropbox, Inc."),
    (UNINSTALL32, "WhatsApp", "WhatsApp"),
    (UNINSTALL32, "Microsoft Visual C++ 2013 Redistributable (x86) - 12.0.40664", "Microsoft Corporation"),
    (UNINSTALL32, "Java 8 Update 391", "Oracle Corporation"),
    (UNINSTALL_USER, "Discord", "Discord Inc."),
    (UNINSTALL_USER, "Slack", "Slack Technologies Inc."),
    (UNINSTALL_USER, "Signal 7.0.0", "Signal Messenger, LLC"),
]
# (bundle name, CFBundleIdentifier, CFBundleName) of an ordinary macOS 14 laptop's /Applications.
MACOS14_ORDINARY = [
    ("Safari", "com.apple.Safari", "Safari"),
    ("Utilities/Terminal", "com.apple.Terminal", "Terminal"),
    ("Utilities/Activity Monitor", "com.apple.ActivityMonitor", "Activity Monitor"),
    ("Google Chrome", "com.google.Chrome", "Chrome"),
    ("Firefox", "org.mozilla.firefox", "Firefox"),
    ("zoom.us", "us.zoom.xos", "zoom.us"),
    ("Slack", "com.tinyspeck.slackmacgap", "Slack"),
    ("Microsoft Word", "com.microsoft.Word", "Microsoft Word"),
    ("Microsoft Teams", "com.microsoft.teams2", "Microsoft Teams"),
    ("WhatsApp", "net.whatsapp.WhatsApp", "WhatsApp"),
    ("Spotify", "com.spotify.client", "Spotify"),
    ("VLC", "org.videolan.vlc", "VLC"),
    ("1Password", "com.1password.1password", "1Password"),
    ("Pages", "com.apple.iWork.Pages", "Pages"),
    ("GarageBand", "com.apple.garageband10", "GarageBand"),
]
# Packages of a fresh Ubuntu 24.04 desktop (a sample: the names that could look like tools).
UBUNTU2404_ORDINARY = [
    ("gnome-remote-desktop", "Ubuntu Developers"), ("openssh-client", "Ubuntu Developers"),
    ("remmina", "Ubuntu Developers"), ("network-manager", "Ubuntu Developers"),
    ("gnome-shell", "Ubuntu Developers"), ("firefox", "Ubuntu Mozilla Team"), ("snapd", "Ubuntu Developers"),
    ("cups", "Ubuntu Developers"), ("pulseaudio-utils", "Ubuntu Developers"), ("xdg-desktop-portal-gnome", "x"),
    ("libvncclient1", "Ubuntu Developers"), ("libvncserver1", "Ubuntu Developers"), ("rsync", "Ubuntu Developers"),
    ("systemd", "Ubuntu Developers"), ("apparmor", "Ubuntu Developers"), ("whoopsie", "Ubuntu Developers"),
    ("ubuntu-report", "Ubuntu Developers"), ("gnome-control-center", "Ubuntu Developers"),
    ("thunderbird", "Ubuntu Mozilla Team"), ("libreoffice-core", "Ubuntu Developers"),
]


def uninstall_entry(name: str, publisher: str = "", **values: Any) -> dict[str, Any]:
    return {"DisplayName": name, "Publisher": publisher, "DisplayVersion": "1.0", **values}


def registry_tree(entries: Sequence[tuple[str, str, str]], extra: dict[str, dict[str, Any]] | None = None):
    tree = {f"{key}\\{{{index:08d}-0000}}": uninstall_entry(name, pub) for index, (key, name, pub) in
            enumerate(entries)}
    tree.update(extra or {})
    return tree


def app_bundle(folder: Path, name: str, bundle_id: str, shown: str, *, binary: bool = False,
               executable: str | None = None) -> Path:
    bundle = folder / f"{name}.app"
    (bundle / "Contents" / "MacOS").mkdir(parents=True, exist_ok=True)
    info = {"CFBundleIdentifier": bundle_id, "CFBundleName": shown, "CFBundleShortVersionString": "15.2",
            "CFBundleExecutable": executable or shown, "CFBundlePackageType": "APPL"}
    fmt = plistlib.FMT_BINARY if binary else plistlib.FMT_XML
    (bundle / "Contents" / "Info.plist").write_bytes(plistlib.dumps(info, fmt=fmt))
    return bundle


def dpkg_status(path: Path, packages: Sequence[tuple[str, str]], removed: Sequence[str] = ()) -> Path:
    stanzas = []
    for name, maintainer in packages:
        stanzas.append(
            f"Package: {name}\nStatus: install ok installed\nPriority: optional\nSection: misc\n"
            f"Installed-Size: 1234\nMaintainer: {maintainer}\nArchitecture: amd64\nVersion: 1.2-3\n"
            f"Depends: libc6 (>= 2.34)\nDescription: {name} package\n a longer description\n .\n more text\n")
    for name in removed:
        stanzas.append(f"Package: {name}\nStatus: deinstall ok config-files\nVersion: 1.0\n"
                       "Conffiles:\n /etc/x.conf 0123456789abcdef\nDescription: removed\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(stanzas), encoding="utf-8")
    return path


def rpm_header_blob(tags: dict[int, Any]) -> bytes:
    """An rpm package header as rpmdb.sqlite stores it: il, dl, index entries, data."""
    index, data = b"", b""
    for tag, value in sorted(tags.items()):
        if isinstance(value, int):
            while len(data) % 4:
                data += b"\0"
            index += struct.pack(">iiii", tag, 4, len(data), 1)
            data += struct.pack(">I", value)
        else:
            index += struct.pack(">iiii", tag, 6, len(data), 1)
            data += value.encode() + b"\0"
    return struct.pack(">II", len(tags), len(data)) + index + data


def rpmdb_sqlite(path: Path, packages: Sequence[tuple[str, str, int]]) -> Path:
    """(name, vendor, install time) rows in rpm's SQLite database schema."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE 'Packages' (hnum INTEGER PRIMARY KEY AUTOINCREMENT,blob BLOB NOT NULL)")
    conn.execute("CREATE TABLE 'Name' (key TEXT NOT NULL, hnum INTEGER NOT NULL, idx INTEGER NOT NULL, "
                 "FOREIGN KEY (hnum) REFERENCES 'Packages'(hnum))")
    for name, vendor, when in packages:
        blob = rpm_header_blob({1000: name, 1001: "15.2", 1002: "1.fc40", 1008: when, 1011: vendor})
        cur = conn.execute("INSERT INTO Packages(blob) VALUES (?)", (blob,))
        conn.execute("INSERT INTO Name VALUES (?, ?, 0)", (name, cur.lastrowid))
    conn.commit()
    conn.close()
    return path
