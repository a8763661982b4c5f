"""Masquerading: a system program's name running from outside the folder that program lives in.

The rules are data (digisafe/indicators/data/system_programs.yaml)::

    windows:
      - names: [svchost.exe]
        folders: ['C:\\Windows\\System32', 'C:\\Windows\\SysWOW64']
    linux:
      - names: ['kworker/*']
        no_exe: true          # kernel threads have no program file at all

Folders are exact (a svchost.exe in a sub-folder of System32 is still wrong); ``*`` stands for one
folder name (version folders), never for several; a trailing ``/**`` means "anywhere below" (only
for folders nobody can write to, such as macOS's sealed /System/Library).

Windows 8.3 short names (``C:\\PROGRA~3\\MICROS~1``) in an observed path are compared with the long
names of the proper folder: ``PROGRA~3`` stands for any folder name starting with ``PROGRA``.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from dataclasses import dataclass
from typing import Any, Sequence

from digisafe.core.platforms import Platform
from digisafe.indicators import patterns
from digisafe.indicators.schema import SchemaError

# NOTE: on Linux a process name differs from its program file when it was started through a
# symlink (systemd-udevd -> /usr/bin/udevadm); a renamed process is only suspicious when its
# program lives where any user can write.
_USER_WRITABLE = ("/tmp/", "/var/tmp/", "/dev/shm/", "/home/", "/root/", "/run/user/")  # noqa: S108 - compared, not used


@dataclass(frozen=True)
class SystemProgram:
    names: tuple[str, ...]
    folders: tuple[str, ...]  # as written in the data (shown in reasons)
    folder_regexes: tuple[re.Pattern[str], ...]
    no_exe: bool = False
    folder_globs: tuple[tuple[list[str], bool], ...] = ()


_ANY_DEPTH = "/**"
# NOTE: an 8.3 short name: up to 6 characters of the long name, "~", a digit or more, and up to
# 3 characters of the extension (PROGRA~1, MICROS~1, 418240~1.11-).
_SHORT_NAME = re.compile(r"^([^~/]{1,6})~\d+(?:\.[^./]{0,3})?$")


def _folder_regex(folder: str, platform: str) -> list[re.Pattern[str]]:
    out = []
    deep = folder.endswith(_ANY_DEPTH)
    base = folder[: -len(_ANY_DEPTH)] if deep else folder
    for glob in patterns.expand_path_pattern(base.rstrip("\\/"), platform):
        # NOTE: here '*' must not cross a separator: System32\Tasks\svchost.exe is not System32.
        body = fnmatch.translate(glob).replace(".*", "[^/]*")
        if deep:
            body = body.replace(r"\Z", r"(?:/.*)?\Z")
        out.append(re.compile(body, re.IGNORECASE if patterns.CASE_INSENSITIVE[platform] else 0))
    return out


def _folder_globs(folder: str, platform: str) -> list[tuple[list[str], bool]]:
    """A proper folder as lists of segment globs, and whether it covers everything below it."""
    deep = folder.endswith(_ANY_DEPTH)
    base = folder[: -len(_ANY_DEPTH)] if deep else folder
    return [(glob.split("/"), deep) for glob in patterns.expand_path_pattern(base.rstrip("\\/"), platform)]


def _segment_fits(observed: str, glob: str) -> bool:
    short = _SHORT_NAME.match(observed)
    if short is None:
        return fnmatch.fnmatchcase(observed.lower(), glob.lower())
    if glob == "*":
        return True
    long_name = glob.lower().replace(" ", "")
    return long_name.startswith(short.group(1).lower())


def short_name_fits(folder: str, globs: Sequence[tuple[list[str], bool]]) -> bool:
    """True when a folder spelt with 8.3 short names can be one of the proper folders."""
    parts = folder.split("/")
    if not any(_SHORT_NAME.match(p) for p in parts):
        return False
    for segments, deep in globs:
        if len(parts) < len(segments) or (len(parts) > len(segments) and not deep):
            continue
        if all(_segment_fits(o, g) for o, g in zip(parts, segments)):
            return True
    return False


def parse_rules(raw: Any, platform: str) -> list[SystemProgram]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise SchemaError(f"system programs for {platform}: must be a list")
    rules = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("names"), list) or not item["names"]:
            raise SchemaError(f"system programs for {platform}: each rule needs 'names'")
        folders = item.get("folders") or []
        no_exe = bool(item.get("no_exe", False))
        if not folders and not no_exe:
            raise SchemaError(f"system programs for {platform}: {item['names'][0]} needs 'folders' or 'no_exe'")
        regexes = tuple(r for f in folders for r in _folder_regex(f, platform))
        globs = tuple(g for f in folders for g in _folder_globs(f, platform))
        rules.append(SystemProgram(tuple(item["names"]), tuple(folders), regexes, no_exe, globs))
    return rules


class MasqueradeRules:
    def __init__(self, raw_rules: Sequence[dict] | dict, platform: str) -> None:
        self.platform = platform
        if isinstance(raw_rules, dict):
            raw_rules = raw_rules.get(platform) or []
        self.rules = parse_rules(list(raw_rules), platform)
        self.exact: dict[str, SystemProgram] = {}
        self.globs: list[tuple[re.Pattern[str], SystemProgram]] = []
        for rule in self.rules:
            for name in rule.names:
                key = patterns.fold(name, platform)
                if patterns.is_glob(key):
                    self.globs.append((patterns.glob_to_regex(key, False), rule))
                else:
                    self.exact[key] = rule

    def _rule_for(self, name: str) -> SystemProgram | None:
        key = patterns.fold(name, self.platform)
        rule = self.exact.get(key)
        if rule is None:
            for regex, candidate in self.globs:
                if regex.match(key):
                    return candidate
        return rule

    def check(self, name: str, exe: str | None) -> str | None:
        label = Platform.parse(self.platform).label
        candidates = [name] if name else []
        if exe:
            candidates.append(patterns.basename(exe))
        for candidate in dict.fromkeys(candidates):
            rule = self._rule_for(candidate)
            if rule is None:
                continue
            if rule.no_exe:
                if exe:
                    return (
                        f"{candidate!r} is the name of a {label} kernel task, which has no program file, "
                        f"but this one runs the program {exe}"
                    )
                continue
            if not exe:
                continue  # NOTE: no path (no rights to see it): we cannot tell, so we do not guess
            # NOTE: "/System/Library/../../tmp/Finder" is not under /System/Library.
            norm = posixpath.normpath(patterns.normalise_observed_path(exe, self.platform))
            renamed = patterns.fold(candidate, self.platform) != patterns.fold(patterns.basename(exe), self.platform)
            if renamed and self.platform == "linux" and not norm.startswith(_USER_WRITABLE):
                continue
            folder = norm.rsplit("/", 1)[0]
            proper = any(regex.match(folder) for regex in rule.folder_regexes)
            if not proper and self.platform == "windows" and "~" in folder:
                proper = short_name_fits(folder, rule.folder_globs)
            if not proper:
                return (
                    f"{candidate} is the name of a {label} system program, but this one runs from "
                    f"{exe} instead of {' or '.join(rule.folders)}"
                )
        return None
