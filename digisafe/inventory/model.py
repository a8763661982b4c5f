"""What the inventory collectors return."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class InstalledProgram:
    name: str  # as shown to people ("TeamViewer 15", the app name, the package name)
    source: str  # where it was read: a registry key, an Info.plist, the dpkg status file ...
    kind: str  # "windows-uninstall", "macos-app", "dpkg", "rpm", "flatpak", "snap"
    publisher: str = ""
    version: str = ""
    location: str = ""  # install folder or app bundle
    program: str = ""  # a program file of it, when known (DisplayIcon, CFBundleExecutable)
    installed: str | None = None  # ISO date, when recorded
    bundle_id: str = ""  # macOS CFBundleIdentifier; flatpak application ID
    hidden: bool = False  # Windows SystemComponent=1: not shown in Settings > Apps


@dataclass(frozen=True)
class Inventory:
    programs: tuple[InstalledProgram, ...]
    looked_in: tuple[str, ...] = ()
    limitations: tuple[str, ...] = ()
