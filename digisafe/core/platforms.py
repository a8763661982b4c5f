"""The one platform vocabulary: checks, guidance, indicators, LOLRMM import and the commands use it.

A ``Platform`` is a ``str`` enum, so ``Platform.MACOS == "macos"`` and it works as a dict key next
to plain strings. Old and everyday spellings are accepted on input (command options, YAML
content, saved reports) through ``Platform.parse``: ``darwin``, ``mac`` and ``osx`` are macOS,
``iphone``, ``ipad`` and ``ipados`` are iOS, ``win`` and ``win32`` are Windows.
"""

from __future__ import annotations

import enum


class Platform(str, enum.Enum):
    WINDOWS = "windows"
    MACOS = "macos"
    LINUX = "linux"
    ANDROID = "android"
    IOS = "ios"

    def __str__(self) -> str:
        return self.value

    @classmethod
    def parse(cls, text: str) -> Platform:
        """A platform from any accepted spelling; ValueError naming the choices otherwise."""
        key = str(text).strip().lower()
        found = _ALIASES.get(key)
        if found is None:
            names = ", ".join(p.value for p in cls)
            raise ValueError(f"unknown platform {str(text).strip()!r} (choose from {names})")
        return found

    @classmethod
    def parse_optional(cls, text: object) -> Platform | None:
        """``parse`` for data read back from files: None for anything not a known spelling."""
        if not isinstance(text, str):
            return None
        return _ALIASES.get(text.strip().lower())

    @property
    def label(self) -> str:
        """The operating system's name as people write it: "macOS", "iOS"."""
        return _LABELS[self]

    @property
    def device_label(self) -> str:
        """The device as people call it, for guidance headings: "Mac", "iPhone"."""
        return _DEVICE_LABELS[self]


LAPTOP_PLATFORMS: frozenset[Platform] = frozenset({Platform.WINDOWS, Platform.MACOS, Platform.LINUX})
PHONE_PLATFORMS: frozenset[Platform] = frozenset({Platform.ANDROID, Platform.IOS})

_LABELS = {
    Platform.WINDOWS: "Windows",
    Platform.MACOS: "macOS",
    Platform.LINUX: "Linux",
    Platform.ANDROID: "Android",
    Platform.IOS: "iOS",
}
_DEVICE_LABELS = {
    Platform.WINDOWS: "Windows",
    Platform.MACOS: "Mac",
    Platform.LINUX: "Linux",
    Platform.ANDROID: "Android",
    Platform.IOS: "iPhone",
}
_ALIASES: dict[str, Platform] = {
    **{p.value: p for p in Platform},
    "darwin": Platform.MACOS,
    "mac": Platform.MACOS,
    "macosx": Platform.MACOS,
    "osx": Platform.MACOS,
    "iphone": Platform.IOS,
    "ipad": Platform.IOS,
    "ipados": Platform.IOS,
    "win": Platform.WINDOWS,
    "win32": Platform.WINDOWS,
}


def labels(platforms: object) -> str:
    """"Linux, macOS, Windows": the labels of a set of platforms, in a stable order."""
    return ", ".join(Platform.parse(p).label for p in sorted(str(p) for p in platforms))  # type: ignore[attr-defined]
