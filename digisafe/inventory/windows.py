"""Windows 'Programs and Features': the Uninstall keys (machine, 32-bit, current user)."""

from __future__ import annotations

import re
from typing import Any, Mapping

from digisafe.inventory.model import InstalledProgram

UNINSTALL_KEYS = (
    r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall",
    r"HKLM\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall",
    r"HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall",
)
_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def _text(values: Mapping[str, Any], name: str) -> str:
    value = values.get(name)
    return value.strip() if isinstance(value, str) else ""


def install_date(text: str) -> str | None:
    """InstallDate is YYYYMMDD (as the installer wrote it); anything else is not a date."""
    match = _DATE.match(text.strip())
    if not match:
        return None
    year, month, day = match.groups()
    if not ("1990" <= year <= "2100" and "01" <= month <= "12" and "01" <= day <= "31"):
        return None
    return f"{year}-{month}-{day}"


def icon_program(text: str) -> str:
    """DisplayIcon '"C:\\x\\tool.exe",0' -> C:\\x\\tool.exe (only .exe files)."""
    value = text.strip().strip('"')
    value = re.sub(r'",?-?\d*$|,-?\d+$', "", value).strip('"')
    return value if value.lower().endswith(".exe") else ""


def program_from_values(key: str, values: Mapping[str, Any]) -> InstalledProgram | None:
    name = _text(values, "DisplayName")
    if not name:
        return None  # updates and components without a name are not shown as programs either
    hidden = values.get("SystemComponent") in (1, "1")
    return InstalledProgram(
        name=name,
        source=key,
        kind="windows-uninstall",
        publisher=_text(values, "Publisher"),
        version=_text(values, "DisplayVersion"),
        location=_text(values, "InstallLocation"),
        program=icon_program(_text(values, "DisplayIcon")),
        installed=install_date(_text(values, "InstallDate")),
        hidden=hidden,
    )


def uninstall_programs(registry: Any) -> list[InstalledProgram]:
    found = []
    for root in UNINSTALL_KEYS:
        for sub in registry.subkeys(root):
            key = f"{root}\\{sub}"
            values = registry.values(key) or {}
            program = program_from_values(key, values)
            if program is not None:
                found.append(program)
    return found
