"""Pure, streaming parser of ``dumpsys package``: per-package facts and which apps can be opened
from the launcher. Reads line by line and keeps only the facts, so a dump of tens of megabytes
never sits in memory.

Format facts (AOSP PackageManagerService / ComputerEngine dump, Android 10-15):
- ``Activity Resolver Table:`` lists, per action, ``<hash> <pkg>/<cls> filter <hash>`` lines
  followed by ``Action: "..."`` and ``Category: "..."`` lines of that filter.
- ``Packages:`` holds ``  Package [NAME] (hash):`` blocks of ``key=value`` lines (userId,
  versionCode, versionName, codePath, flags=[ ... ], firstInstallTime, lastUpdateTime,
  installerPackageName, ...), ``requested permissions:`` and ``install permissions:`` lists, and
  per-user ``User N: ... installed=true ... enabled=0`` lines with ``runtime permissions:`` and
  ``disabledComponents:`` below them.
- ``Hidden system packages:`` repeats factory versions of updated system apps: ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from digisafe.android.snapshot import AppInfo

_PACKAGE_HEAD = re.compile(r"^  Package \[([^\]]+)\] \(")
_COMPONENT = re.compile(r"^\s+[0-9a-f]+ ([A-Za-z0-9_.]+)/([A-Za-z0-9_.$]+)(?: filter [0-9a-f]+)?")
_USER = re.compile(r"^    User (\d+): (.*)$")
_PERM = re.compile(r"^\s+([A-Za-z0-9_.]+): granted=(true|false)")
_KV = re.compile(r"([A-Za-z]+)=(\[[^\]]*\]|\S*)")
_WHOLE_LINE = {"firstInstallTime", "lastUpdateTime", "timeStamp"}  # values with a space: "2024-01-02 03:04:05"


@dataclass
class _App:
    name: str
    facts: dict[str, str] = field(default_factory=dict)
    requested: list[str] = field(default_factory=list)
    granted: set[str] = field(default_factory=set)
    disabled: set[str] = field(default_factory=set)
    user0: dict[str, str] = field(default_factory=dict)


@dataclass
class PackageDump:
    apps: dict[str, _App] = field(default_factory=dict)
    launchers: dict[str, set[str]] = field(default_factory=dict)  # package -> launcher activity classes
    saw_resolver: bool = False
    saw_packages: bool = False


def _full_class(package: str, cls: str) -> str:
    return package + cls if cls.startswith(".") else cls


class _Parser:
    def __init__(self) -> None:
        self.dump = PackageDump()
        self.section = ""
        self.app: _App | None = None
        self.list_name = ""
        self.user: int | None = None
        self.component: tuple[str, str] | None = None
        self.flags: set[str] = set()

    def feed(self, line: str) -> None:
        if line and not line[0].isspace():
            self._end_component()
            self.section = line.strip().rstrip(":")
            self.app = None
            self.dump.saw_resolver |= self.section == "Activity Resolver Table"
            self.dump.saw_packages |= self.section == "Packages"
            return
        if self.section == "Activity Resolver Table":
            self._resolver(line)
        elif self.section == "Packages":
            self._packages(line)

    def _resolver(self, line: str) -> None:
        match = _COMPONENT.match(line)
        if match:
            self._end_component()
            self.component = (match.group(1), match.group(2))
            return
        text = line.strip()
        if self.component and text.startswith(("Action:", "Category:")):
            self.flags.add(text.split(":", 1)[1].strip().strip('"'))

    def _end_component(self) -> None:
        if self.component and {"android.intent.action.MAIN", "android.intent.category.LAUNCHER"} <= self.flags:
            package, cls = self.component
            self.dump.launchers.setdefault(package, set()).add(_full_class(package, cls))
        self.component, self.flags = None, set()

    def _packages(self, line: str) -> None:
        head = _PACKAGE_HEAD.match(line)
        if head:
            self.app = self.dump.apps.setdefault(head.group(1), _App(head.group(1)))
            self.list_name, self.user = "", None
            return
        if self.app is None:
            return
        user = _USER.match(line)
        if user:
            self.user, self.list_name = int(user.group(1)), ""
            if self.user == 0:
                self.app.user0 = dict(_KV.findall(user.group(2)))
            return
        stripped = line.strip()
        if stripped.endswith(":") and "=" not in stripped:
            self.list_name = stripped[:-1]
            return
        self._package_line(self.app, line, stripped)

    def _package_line(self, app: _App, line: str, stripped: str) -> None:
        indent = len(line) - len(line.lstrip())
        if indent == 4 and self.user is None:
            self.list_name = ""
            key, sep, rest = stripped.partition("=")
            if sep and key in _WHOLE_LINE:
                app.facts.setdefault(key, rest.strip())
                return
            for key, value in _KV.findall(stripped):
                app.facts.setdefault(key, value)
            return
        if self.list_name == "requested permissions" and indent >= 6:
            app.requested.append(stripped.split(":")[0].split(",")[0])
        elif self.list_name in ("install permissions", "runtime permissions") and (
            self.list_name == "install permissions" or self.user == 0
        ):
            perm = _PERM.match(line)
            if perm and perm.group(2) == "true":
                app.granted.add(perm.group(1))
        elif self.list_name == "disabledComponents" and self.user == 0:
            app.disabled.add(stripped)


def parse_package_dump(lines: Iterable[str]) -> PackageDump:
    parser = _Parser()
    for line in lines:
        parser.feed(line.rstrip("\r\n"))
    parser._end_component()
    return parser.dump


def _flags(value: str) -> set[str]:
    return set(value.strip("[]").split())


def _none(value: str | None) -> str | None:
    return None if value in (None, "", "null") else value


def build_apps(dump: PackageDump, listed: dict[str, dict[str, str]], complete: bool) -> dict[str, AppInfo]:
    """AppInfo for every package ``pm list packages -f -i -U`` listed, enriched from the dump."""
    apps: dict[str, AppInfo] = {}
    # The resolver table comes before the packages: once "Packages:" began, it was read whole.
    known = dump.saw_resolver and (dump.saw_packages or complete)
    for name, row in listed.items():
        raw = dump.apps.get(name)
        facts = raw.facts if raw else {}
        flags = _flags(facts.get("flags", "")) | _flags(facts.get("pkgFlags", ""))
        launchers = dump.launchers.get(name, set())
        if raw:
            launchers = {c for c in launchers if c not in raw.disabled}
        user0 = raw.user0 if raw else {}
        uid = row.get("uid") or facts.get("userId", "")
        path = row.get("path", "")
        apps[name] = AppInfo(
            package=name,
            uid=int(uid) if uid.isdigit() else None,
            version_name=facts.get("versionName", ""),
            version_code=facts.get("versionCode", ""),
            installer=_none(row.get("installer") if "installer" in row else facts.get("installerPackageName")),
            initiating_installer=_none(facts.get("initiatingPackageName") or facts.get("installInitiatingPackageName")),
            first_install=facts.get("firstInstallTime", ""),
            last_update=facts.get("lastUpdateTime", ""),
            system="SYSTEM" in flags or path.startswith(("/system/", "/product/", "/vendor/", "/system_ext/", "/apex/")),  # noqa: E501
            apk_path=path,
            requested=tuple(dict.fromkeys(raw.requested)) if raw else (),
            granted=frozenset(raw.granted) if raw else frozenset(),
            has_launcher=bool(launchers) if known else None,
            enabled=user0.get("enabled", "0") in ("0", "1"),
            installed=user0.get("installed", "true") != "false",
        )
    return apps
