"""macOS application bundles in /Applications and ~/Applications (and one folder level below)."""

from __future__ import annotations

import plistlib
from pathlib import Path
from typing import Any

from digisafe.core.safefile import open_regular
from digisafe.inventory.model import InstalledProgram

APP_FOLDERS = ("/Applications", "~/Applications")
MAX_PLIST_BYTES = 4 * 1024 * 1024


def read_info_plist(path: Path) -> dict[str, Any] | None:
    """An app's Contents/Info.plist (XML or binary); None if absent or unreadable."""
    try:
        with open_regular(path) as handle:
            data = handle.read(MAX_PLIST_BYTES + 1)
    except OSError:
        return None
    if len(data) > MAX_PLIST_BYTES:
        return None
    try:
        info = plistlib.loads(data)
    except Exception:  # noqa: BLE001 - plistlib raises many types for damaged files
        return None
    return info if isinstance(info, dict) else None


def _text(info: dict[str, Any], *keys: str) -> str:
    for key in keys:
        value = info.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def app_program(shown: str, bundle: Path, info: dict[str, Any] | None) -> InstalledProgram:
    info = info or {}
    executable = _text(info, "CFBundleExecutable")
    return InstalledProgram(
        name=_text(info, "CFBundleDisplayName", "CFBundleName") or bundle.stem,
        source=str(bundle / "Contents" / "Info.plist") if info else str(bundle),
        kind="macos-app",
        version=_text(info, "CFBundleShortVersionString", "CFBundleVersion"),
        location=shown,
        program=f"{shown}/Contents/MacOS/{executable}" if executable else "",
        bundle_id=_text(info, "CFBundleIdentifier"),
    )


def _apps_in(folder: Path) -> list[Path]:
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return []
    apps = [p for p in entries if p.suffix == ".app" and p.is_dir()]
    for sub in entries:  # one level down: /Applications/Utilities, vendor folders
        if sub.suffix != ".app" and sub.is_dir() and not sub.is_symlink():
            try:
                apps += sorted(p for p in sub.iterdir() if p.suffix == ".app" and p.is_dir())
            except OSError:
                continue
    return apps


def application_bundles(files: Any) -> tuple[list[InstalledProgram], list[str]]:
    found, looked = [], []
    for folder_name in APP_FOLDERS:
        folder = files.path(folder_name)
        looked.append(folder_name)
        for bundle in _apps_in(folder):
            shown = folder_name.rstrip("/") + "/" + str(bundle.relative_to(folder)).replace("\\", "/")
            if folder_name.startswith("~"):
                shown = str(files.home) + shown[1:]
            found.append(app_program(shown, bundle, read_info_plist(bundle / "Contents" / "Info.plist")))
    return found, looked
