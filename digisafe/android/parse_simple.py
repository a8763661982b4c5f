"""Pure parsers for the short outputs: getprop, settings list, pm list packages, deviceidle
whitelist, appops query-op, id. Text in, plain data out; odd lines are skipped, never fatal."""

from __future__ import annotations

import re
from typing import Iterable

_PROP = re.compile(r"^\[([^\]]{1,200})\]: \[(.*)\]$")
_PACKAGE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+$")


def decode(data: bytes | str) -> str:
    return data if isinstance(data, str) else data.decode("utf-8", "replace")


def getprop(text: str) -> dict[str, str]:
    """``[ro.build.version.release]: [14]`` lines. A value may span lines (rare); kept whole."""
    props: dict[str, str] = {}
    for line in text.splitlines():
        match = _PROP.match(line.strip())
        if match:
            props[match.group(1)] = match.group(2)
    return props


def settings_list(text: str) -> dict[str, str]:
    """``key=value`` lines of ``settings list NAMESPACE``; 'null' becomes ''."""
    values: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and key and " " not in key.strip():
            values[key.strip()] = "" if value.strip() == "null" else value.strip()
    return values


def pm_list_packages(text: str) -> dict[str, dict[str, str]]:
    """``package:PATH=NAME  installer=X uid:N`` (flags -f -i -U, in the order pm prints them).

    NOTE: the APK path may itself contain '=' (``/data/app/~~AbC==/...``), so the name is what
    follows the last '=' of the first field.
    """
    packages: dict[str, dict[str, str]] = {}
    for line in text.splitlines():
        fields = line.split()
        if not fields or not fields[0].startswith("package:"):
            continue
        path, _, name = fields[0][len("package:") :].rpartition("=")
        if not _PACKAGE.match(name):
            continue
        info = {"path": path}
        for item in fields[1:]:
            if item.startswith("installer="):
                value = item[len("installer=") :]
                info["installer"] = "" if value == "null" else value
            elif item.startswith("uid:"):
                info["uid"] = item[4:].split(",")[0]
        packages[name] = info
    return packages


def package_names(text: str) -> set[str]:
    """``package:NAME`` lines (pm list packages without -f)."""
    return {line.strip()[8:] for line in text.splitlines() if line.strip().startswith("package:")}


def deviceidle_whitelist(text: str) -> dict[str, str]:
    """``system-excidle,PKG,UID`` / ``system,PKG,UID`` / ``user,PKG,UID`` lines -> package: kind."""
    exempt: dict[str, str] = {}
    for line in text.splitlines():
        parts = line.strip().split(",")
        if len(parts) >= 2 and _PACKAGE.match(parts[1]):
            kind = parts[0]
            if exempt.get(parts[1]) != "user":
                exempt[parts[1]] = kind
    return exempt


def appops_query(text: str) -> set[str]:
    """Package names printed by ``appops query-op OP allow`` (one per line; 'No operations.')."""
    return {line.strip() for line in text.splitlines() if _PACKAGE.match(line.strip())}


def components(value: str) -> tuple[str, ...]:
    """A settings value listing components: ``pkg/cls:pkg2/cls2`` (colon-separated)."""
    items = [c.strip() for c in value.split(":") if "/" in c]
    return tuple(dict.fromkeys(items))


def uid_of_id(text: str) -> str:
    match = re.search(r"uid=(\d+)(?:\(([^)]*)\))?", text)
    return f"{match.group(1)}({match.group(2) or ''})" if match else ""


def lines(data: Iterable[bytes]) -> Iterable[str]:
    for line in data:
        yield line.decode("utf-8", "replace")
