"""Where the log lives: the default folder, and a warning for folders a cloud service syncs.

NOTE: a synced folder uploads the (encrypted) log to an account the other person may be able to
open, and keeps old versions there. We recognise the sync clients' usual folder names; we cannot
see every setup (macOS can sync all of Desktop and Documents to iCloud), so docs/records.md says so.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Mapping

FOLDER_ENV = "DIGISAFE_LOG_FOLDER"
DEFAULT_SUBFOLDER = "store"  # neutral on purpose

# A folder name (case-insensitive, exact or prefix) -> the service that syncs it.
_SYNCED_NAMES = (
    ("onedrive", "OneDrive"),
    ("icloud drive", "iCloud Drive"),
    ("icloudrive", "iCloud Drive"),
    ("com~apple~clouddocs", "iCloud Drive"),
    ("mobile documents", "iCloud Drive"),
    ("dropbox", "Dropbox"),
    ("google drive", "Google Drive"),
    ("googledrive", "Google Drive"),
    ("my drive", "Google Drive"),
)
# Windows sets these to the OneDrive folders.
_SYNC_ENV = ("OneDrive", "OneDriveConsumer", "OneDriveCommercial")


def default_folder(environ: Mapping[str, str] | None = None) -> Path:
    environ = os.environ if environ is None else environ
    if environ.get(FOLDER_ENV):
        return Path(environ[FOLDER_ENV]).expanduser()
    from digisafe.system import user_data_dir

    return user_data_dir() / DEFAULT_SUBFOLDER


def synced_by(folder: Path, environ: Mapping[str, str] | None = None) -> str:
    """The cloud service that seems to sync ``folder`` ('' if none is recognised)."""
    environ = os.environ if environ is None else environ
    full = Path(os.path.abspath(os.path.expanduser(str(folder))))
    for name in _SYNC_ENV:
        root = environ.get(name)
        if root:
            try:
                full.relative_to(Path(os.path.abspath(root)))
                return "OneDrive"
            except ValueError:
                pass
    for part in full.parts:
        lower = part.lower()
        for prefix, service in _SYNCED_NAMES:
            if lower == prefix or lower.startswith(prefix + "-") or lower.startswith(prefix + " "):
                return service
    return ""
