"""Find every browser profile: Chromium family (``Local State`` + profile folders) and Firefox
(``profiles.ini``/``installs.ini`` + profile folders).

Discovery runs once per audit: the result is cached on the browser folders and the modification
times of their index files, so the three browser checks share it and an edited file is re-read.
"""

from __future__ import annotations

import configparser
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from digisafe.browsers.locations import CHROMIUM, BrowserHome, browser_homes
from digisafe.browsers.model import dig
from digisafe.browsers.readers import read_json, read_text, stat_signature
from digisafe.core.context import Context

# Chromium keeps these beside real profiles; they are not a person's browsing profile.
_NOT_PROFILES = {"System Profile", "Guest Profile"}


@dataclass(frozen=True)
class BrowserProfile:
    browser: str  # "Google Chrome", "Firefox (Snap)"
    engine: str  # "chromium" or "firefox"
    name: str  # the name the browser shows ("Person 1", "default-release")
    path: Path
    data_dir: Path  # Chromium "User Data" folder or the Firefox profiles root
    info: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)  # Local State entry
    listed: bool = True  # False: a profile folder the browser's own index does not mention

    @property
    def label(self) -> str:
        return f"{self.browser} (profile '{self.name}')"


@dataclass(frozen=True)
class Discovery:
    profiles: tuple[BrowserProfile, ...]
    limitations: tuple[str, ...]
    looked_in: tuple[str, ...]


def discover(ctx: Context) -> Discovery:
    homes = browser_homes(ctx)
    key = tuple(
        (home, stat_signature(home.path), stat_signature(home.path / "Local State"),
         stat_signature(home.path / "profiles.ini"), stat_signature(home.path / "installs.ini"))
        for home in homes
    )
    return _discover_cached(ctx.files, key)


@lru_cache(maxsize=16)
def _discover_cached(files: Any, key: tuple[tuple[Any, ...], ...]) -> Discovery:
    profiles: list[BrowserProfile] = []
    limitations: list[str] = []
    seen: set[str] = set()
    for home, signature, *_ in key:
        if signature is None:
            continue  # not installed here
        if not home.path.is_dir():
            limitations.append(f"{home.browser}: {home.path} is not a folder; profiles not checked")
            continue
        if home.engine == CHROMIUM:
            found, problems = _chromium_profiles(home)
        else:
            found, problems = _firefox_profiles(home, files)
        profiles.extend(p for p in found if _first_sighting(p.path, seen))
        limitations.extend(problems)
    looked_in = tuple(str(home.path) for home, *_ in key)
    return Discovery(tuple(profiles), tuple(limitations), looked_in)


def _first_sighting(path: Path, seen: set[str]) -> bool:
    """False for a profile already found through another path (a symlinked data folder)."""
    try:
        real = str(path.resolve())
    except (OSError, RuntimeError):
        real = str(path)
    if real in seen:
        return False
    seen.add(real)
    return True


def _subfolders(folder: Path) -> tuple[list[Path], str]:
    try:
        return sorted(p for p in folder.iterdir() if p.is_dir()), ""
    except OSError as exc:
        return [], f"could not list {folder} ({exc.strerror or exc})"


def _chromium_profiles(home: BrowserHome) -> tuple[list[BrowserProfile], list[str]]:
    problems: list[str] = []
    state = read_json(home.path / "Local State")
    if state.problem:
        problems.append(f"{home.browser}: {state.problem}; profile names and accounts may be missing")
    info_cache = dig(state.data, "profile", "info_cache")
    info_cache = info_cache if isinstance(info_cache, dict) else {}
    folders, problem = _subfolders(home.path)
    if problem:
        problems.append(f"{home.browser}: {problem}")
    names = {p.name for p in folders if (p / "Preferences").exists() and p.name not in _NOT_PROFILES}
    names |= {n for n in info_cache if _safe_name(n) and (home.path / n).is_dir()}
    profiles = []
    for name in sorted(names):
        info = info_cache.get(name)
        info = info if isinstance(info, dict) else {}
        shown = info.get("name") if isinstance(info.get("name"), str) and info.get("name") else name
        profiles.append(BrowserProfile(home.browser, CHROMIUM, shown, home.path / name, home.path, info,
                                       listed=name in info_cache or not info_cache))
    if (home.path / "Preferences").is_file():
        # NOTE: Opera keeps its single profile directly in the data folder, with no "Default".
        profiles.append(BrowserProfile(home.browser, CHROMIUM, home.browser, home.path, home.path))
    return profiles, problems


def _safe_name(name: Any) -> bool:
    return isinstance(name, str) and bool(name) and name not in (".", "..") and not any(
        sep in name for sep in ("/", "\\", "\0"))


@dataclass(frozen=True)
class IniProfile:
    name: str
    path: str
    is_relative: bool
    default: bool = False


def parse_profiles_ini(text: str) -> list[IniProfile]:
    """The [ProfileN] sections of Firefox's profiles.ini. Raises ValueError if it is not an INI file."""
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign] - keys are case-sensitive
    try:
        parser.read_string(text.lstrip("\ufeff"))  # NOTE: Windows editors may add a byte-order mark
    except configparser.Error as exc:
        raise ValueError(str(exc).splitlines()[0]) from None
    found = []
    for section in parser.sections():
        if not section.lower().startswith("profile"):
            continue
        values = parser[section]
        path = (values.get("Path") or "").strip()
        if not path:
            continue
        found.append(IniProfile(
            name=(values.get("Name") or "").strip() or path.replace("\\", "/").rsplit("/", 1)[-1],
            path=path,
            is_relative=(values.get("IsRelative") or "1").strip() != "0",
            default=(values.get("Default") or "").strip() == "1",
        ))
    return found


def parse_install_defaults(text: str) -> list[str]:
    """Profile paths named as an installation's default: ``installs.ini`` sections and the
    ``[Install<hash>]`` sections of profiles.ini (``Default=<path>``, relative to the root)."""
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    try:
        parser.read_string(text.lstrip("\ufeff"))  # NOTE: Windows editors may add a byte-order mark
    except configparser.Error as exc:
        raise ValueError(str(exc).splitlines()[0]) from None
    paths = []
    for section in parser.sections():
        if section.lower().startswith(("profile", "general", "backgroundtasksprofiles")):
            continue
        value = (parser[section].get("Default") or "").strip()
        if value and value not in paths:
            paths.append(value)
    return paths


def _ini_entries(home: BrowserHome) -> tuple[list[IniProfile], list[str]]:
    entries: list[IniProfile] = []
    problems: list[str] = []
    for name in ("profiles.ini", "installs.ini"):
        text = read_text(home.path / name)
        if text is None:
            continue
        try:
            if name == "profiles.ini":
                entries.extend(parse_profiles_ini(text))
            defaults = parse_install_defaults(text)
        except ValueError as exc:
            problems.append(f"{home.browser}: {name} could not be read ({exc}); looked for profile "
                            "folders directly")
            continue
        for path in defaults:
            entries.append(IniProfile(path.replace("\\", "/").rsplit("/", 1)[-1], path, True, True))
    return entries, problems


def _firefox_profiles(home: BrowserHome, files: Any) -> tuple[list[BrowserProfile], list[str]]:
    listed: list[BrowserProfile] = []
    entries, problems = _ini_entries(home)
    seen: set[str] = set()
    for entry in entries:
        where = _firefox_profile_path(home.path, entry, files)
        if where is not None and where.is_dir() and str(where) not in seen:
            seen.add(str(where))
            listed.append(BrowserProfile(home.browser, "firefox", entry.name, where, home.path))
    known = {str(p.path) for p in listed}
    extra = []
    for parent in (home.path, home.path / "Profiles"):
        for folder in _subfolders(parent)[0]:
            if str(folder) not in known and (folder / "prefs.js").is_file():
                known.add(str(folder))
                extra.append(BrowserProfile(home.browser, "firefox", folder.name, folder, home.path,
                                            listed=False))
    return listed + extra, problems


def _firefox_profile_path(root: Path, entry: IniProfile, files: Any) -> Path | None:
    parts = [p for p in entry.path.replace("\\", "/").split("/") if p]
    if entry.is_relative:
        if any(p == ".." for p in parts):
            return None
        return root.joinpath(*parts)
    candidate = files.path(entry.path)  # an absolute path, mapped like every other system path
    return candidate if candidate.is_absolute() else None
