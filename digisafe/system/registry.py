"""The Windows registry through winreg, read-only. Imported only on Windows."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

_HIVES = {
    "HKLM": "HKEY_LOCAL_MACHINE",
    "HKCU": "HKEY_CURRENT_USER",
    "HKU": "HKEY_USERS",
    "HKCR": "HKEY_CLASSES_ROOT",
}


def _split(key: str) -> tuple[str, str]:
    hive, _, rest = key.partition("\\")
    return _HIVES.get(hive.upper(), hive.upper()), rest


class WinRegistry:
    def __init__(self) -> None:
        import winreg  # type: ignore[import-not-found]  # Windows only

        self._winreg: Any = winreg  # typed loosely: winreg's stubs exist only on Windows

    def _open(self, key: str):  # noqa: ANN202
        hive, path = _split(key)
        return self._winreg.OpenKey(getattr(self._winreg, hive), path, 0, self._winreg.KEY_READ)

    def values(self, key: str) -> Mapping[str, Any] | None:
        try:
            handle = self._open(key)
        except OSError:
            return None
        found: dict[str, Any] = {}
        with handle:
            index = 0
            while True:
                try:
                    name, data, _type = self._winreg.EnumValue(handle, index)
                except OSError:
                    break
                found[name] = data
                index += 1
        return found

    def subkeys(self, key: str) -> Sequence[str]:
        try:
            handle = self._open(key)
        except OSError:
            return []
        names = []
        with handle:
            index = 0
            while True:
                try:
                    names.append(self._winreg.EnumKey(handle, index))
                except OSError:
                    break
                index += 1
        return names
