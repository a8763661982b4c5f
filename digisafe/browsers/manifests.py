"""Read a Chromium extension's manifest.json from disk, with its localised name resolved.

Current Chromium no longer copies the manifest into Preferences, so the name, version and
requested permissions come from ``<profile>/Extensions/<id>/<version>/manifest.json`` (store and
side-loaded extensions) or from the folder an unpacked extension was loaded from.
"""

from __future__ import annotations

from pathlib import Path, PureWindowsPath
from typing import Any, Callable, Mapping

from digisafe.browsers.readers import read_json


def _newest_version_folder(folder: Path) -> Path | None:
    try:
        versions = [p for p in folder.iterdir() if (p / "manifest.json").is_file()]
    except OSError:
        return None
    if not versions:
        return None

    def version_key(p: Path) -> tuple[int, ...]:
        digits = p.name.split("_")[0].split(".")
        return tuple(int(d) if d.isdigit() else -1 for d in digits)

    return max(versions, key=version_key)


def extension_folder(profile: Path, ext_id: str, entry: Mapping[str, Any],
                     map_path: Callable[[str], Path]) -> Path | None:
    """Where an extension's files are: its recorded ``path`` or the newest version folder."""
    recorded = entry.get("path")
    if isinstance(recorded, str) and recorded:
        is_absolute = recorded.startswith("/") or PureWindowsPath(recorded).is_absolute()
        if is_absolute:
            folder = map_path(recorded)  # unpacked extension: an absolute path on this machine
            return folder if folder.is_absolute() else None
        parts = [p for p in recorded.replace("\\", "/").split("/") if p and p != ".."]
        return profile.joinpath("Extensions", *parts)
    if "/" in ext_id or "\\" in ext_id or ext_id in ("", ".", ".."):
        return None
    return _newest_version_folder(profile / "Extensions" / ext_id)


def _localised(value: Any, folder: Path, default_locale: Any) -> Any:
    if not (isinstance(value, str) and value.startswith("__MSG_") and value.endswith("__")):
        return value
    key = value[6:-2].lower()
    locales = [str(default_locale)] if isinstance(default_locale, str) else []
    for locale in locales + ["en", "en_US", "en_GB"]:
        if "/" in locale or "\\" in locale or ".." in locale:
            continue
        messages = read_json(folder / "_locales" / locale / "messages.json").data
        if isinstance(messages, dict):
            for name, entry in messages.items():
                if str(name).lower() == key and isinstance(entry, dict) and entry.get("message"):
                    return entry["message"]
    return value


def load_manifest(folder: Path | None) -> tuple[dict[str, Any], str]:
    """(manifest, problem). An absent folder or manifest gives ({}, "")."""
    if folder is None:
        return {}, ""
    read = read_json(folder / "manifest.json")
    if read.missing:
        return {}, ""
    if read.problem or not isinstance(read.data, dict):
        return {}, read.problem or f"{folder / 'manifest.json'} is not a manifest"
    manifest = dict(read.data)
    for field_name in ("name", "short_name"):
        if field_name in manifest:
            manifest[field_name] = _localised(manifest[field_name], folder, manifest.get("default_locale"))
    return manifest, ""
