"""Normalising names and paths, and turning indicator globs into regular expressions.

Indicator files write Windows paths the way vendors document them (``C:\\ProgramData\\spc\\``,
``%ProgramFiles%\\Vendor\\*``, ``<version>``), macOS and Linux paths with ``~``. Observed paths come
from psutil or a captured listing. Both sides go through the same normalisation, so matching is a
plain regular-expression test on forward-slash, lower-cased (Windows/macOS) text.
"""

from __future__ import annotations

import fnmatch
import re

PLATFORMS = ("windows", "macos", "linux")  # the laptop Platform values (digisafe.core.platforms)

# NOTE: Windows and (by default) macOS file systems ignore case; Linux does not.
CASE_INSENSITIVE = {"windows": True, "macos": True, "linux": False}

_PLACEHOLDER = re.compile(r"<[^<>/\\]{1,40}>")
_DRIVE = re.compile(r"^[a-z]:/", re.IGNORECASE)

# Environment variables seen in vendor documentation, as the folders they usually stand for.
# Users' folders and drive letters vary, so they become wildcards.
_WINDOWS_VARS = {
    "%programfiles%": ("?:/program files", "?:/program files (x86)"),
    "%programfiles(x86)%": ("?:/program files (x86)",),
    "%programw6432%": ("?:/program files",),
    "%commonprogramfiles%": ("?:/program files/common files", "?:/program files (x86)/common files"),
    "%programdata%": ("?:/programdata",),
    "%allusersprofile%": ("?:/programdata",),
    "%systemroot%": ("?:/windows",),
    "%windir%": ("?:/windows",),
    "%systemdrive%": ("?:",),
    "%userprofile%": ("?:/users/*",),
    "%homepath%": ("?:/users/*",),
    "%appdata%": ("?:/users/*/appdata/roaming",),
    "%localappdata%": ("?:/users/*/appdata/local",),
    "%temp%": ("?:/users/*/appdata/local/temp", "?:/windows/temp"),
    "%tmp%": ("?:/users/*/appdata/local/temp", "?:/windows/temp"),
    "%public%": ("?:/users/public",),
    "<system>": ("?:/windows/system32",),
    "<user>": ("?:/users/*",),
}
_HOME = {"windows": "?:/users/*", "macos": "/users/*", "linux": "/home/*"}


def fold(text: str, platform: str) -> str:
    return text.lower() if CASE_INSENSITIVE.get(platform, True) else text


def normalise_observed_path(path: str, platform: str) -> str:
    """An observed executable path in the form indicator globs are compiled against."""
    text = path.strip().strip('"')
    if text.endswith(" (deleted)"):  # NOTE: Linux marks an exe replaced on disk this way
        text = text[: -len(" (deleted)")]
    if platform == "windows":
        text = text.replace("\\", "/")
        for prefix in ("//?/", "//./", "/??/"):
            if text.startswith(prefix):
                text = text[len(prefix) :]
        # NOTE: some listings give kernel paths; the system volume is mapped to a drive letter.
        text = re.sub(r"^/device/harddiskvolume\d+/", "c:/", text, flags=re.IGNORECASE)
        # NOTE: the kernel writes the Windows folder as \SystemRoot (smss.exe, drivers).
        text = re.sub(r"^/systemroot/", "c:/windows/", text, flags=re.IGNORECASE)
        lowered = text.lower()
        for var, replacements in _WINDOWS_VARS.items():
            # NOTE: Run keys and services often hold unexpanded %APPDATA%-style paths.
            if var.startswith("%") and lowered.startswith(var):
                text = replacements[0].replace("?:", "c:").replace("*", "%user%") + text[len(var) :]
                break
    text = re.sub(r"/{2,}", "/", text)
    return fold(text, platform)


def basename(path: str) -> str:
    return re.split(r"[\\/]", path.rstrip("\\/"))[-1]


def expand_path_pattern(pattern: str, platform: str) -> list[str]:
    """An indicator path (vendor spelling) -> one or more normalised globs.

    A trailing separator means "anything inside this folder". ``<placeholders>`` are wildcards.
    """
    text = pattern.strip()
    if platform == "windows":
        text = text.replace("\\\\", "\\").replace("\\", "/")
    folder = text.endswith("/")
    text = text.rstrip("/") + ("/*" if folder else "")
    if text.startswith("~"):
        text = _HOME[platform] + text[1:]
    variants = [text]
    if platform == "windows":
        # NOTE: some listings give kernel paths; the system volume is mapped to a drive letter.
        text = re.sub(r"^/device/harddiskvolume\d+/", "c:/", text, flags=re.IGNORECASE)
        lowered = text.lower()
        for var, replacements in _WINDOWS_VARS.items():
            if lowered.startswith(var):
                variants = [r + text[len(var) :] for r in replacements]
                break
        variants = [_DRIVE.sub("?:/", v) for v in variants]
    variants = [_PLACEHOLDER.sub("*", v) for v in variants]
    variants = [re.sub(r"/{2,}", "/", v) for v in variants]
    return [fold(v, platform) for v in variants]


def glob_to_regex(glob: str, case_insensitive: bool) -> re.Pattern[str]:
    """fnmatch semantics, but ``*`` and ``?`` do cross ``/`` (vendor globs mean "anything below")."""
    flags = re.IGNORECASE if case_insensitive else 0
    return re.compile(fnmatch.translate(glob), flags)


class LazyGlob:
    """A glob compiled on first use: most index buckets are never looked at in a run, and
    compiling thousands of feed globs up front would cost seconds."""

    __slots__ = ("glob", "case_insensitive", "_regex")

    def __init__(self, glob: str, case_insensitive: bool) -> None:
        self.glob = glob
        self.case_insensitive = case_insensitive
        self._regex: re.Pattern[str] | None = None

    def match(self, text: str) -> bool:
        if self._regex is None:
            self._regex = glob_to_regex(self.glob, self.case_insensitive)
        return self._regex.match(text) is not None


def is_glob(text: str) -> bool:
    return any(ch in text for ch in "*?[")


def literal_prefix(glob: str) -> str:
    match = re.match(r"[^*?\[]*", glob)
    return match.group(0) if match else ""


def literal_segments(glob: str) -> list[str]:
    """Path segments of a normalised glob that hold no wildcard (candidates for an index key)."""
    return [seg for seg in glob.split("/") if seg and not is_glob(seg) and seg != "?:"]


def example_for(glob: str) -> str:
    """A concrete string the glob must match: wildcards filled with plausible text (lint)."""
    text = glob.replace("?:", "c:")
    text = re.sub(r"\[!?([^\]])[^\]]*\]", r"\1", text)
    return text.replace("*", "x1").replace("?", "z")
