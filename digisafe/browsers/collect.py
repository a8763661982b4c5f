"""Collector for the browser checks (DS-BRW-010/020/030): every profile found, the settings files
each check reads from it, extension manifests and browser policies, as one ``BrowserSnapshot``.
The parsers are beside it (``chromium``, ``firefox``, ``manifests``, ``policies``); the checks
judge the snapshot. Profile discovery is shared by the three checks (``ctx.cached``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from digisafe.browsers.discovery import BrowserProfile, Discovery
from digisafe.browsers.readers import JsonRead

if TYPE_CHECKING:
    from digisafe.browsers.policies import PolicySet
    from digisafe.core.context import Context


@dataclass(frozen=True)
class Manifest:
    """An extension's manifest.json, read from its folder (when the settings do not embed it)."""

    folder: Path | None
    data: Mapping[str, Any] = field(default_factory=dict)
    problem: str = ""


@dataclass(frozen=True)
class PermissionRows:
    """Firefox's permissions.sqlite, read through a private snapshot of the database."""

    rows: tuple[Any, ...] = ()
    problem: str = ""  # why it could not be read ("" when read)
    modified: str | None = None


@dataclass(frozen=True)
class ProfileFiles:
    profile: BrowserProfile
    json: Mapping[str, JsonRead] = field(default_factory=dict)  # file name -> what was read
    text: Mapping[str, str | None] = field(default_factory=dict)  # file name -> text (None: unreadable)
    manifests: Mapping[str, Manifest] = field(default_factory=dict)  # extension ID -> manifest
    permissions: PermissionRows | None = None  # Firefox permissions.sqlite; None when absent or not asked

    def read(self, name: str) -> JsonRead:
        return self.json.get(name) or JsonRead(missing=True)


@dataclass(frozen=True)
class BrowserSnapshot:
    discovery: Discovery
    profiles: tuple[ProfileFiles, ...] = ()
    policies: tuple[PolicySet, ...] = ()
    policy_problems: tuple[str, ...] = ()
    now: float = 0.0  # when it was read (seconds since the epoch): site permissions can expire


def discovery(ctx: Context) -> Discovery:
    from digisafe.browsers.discovery import discover

    return ctx.cached("browser-profiles", lambda: discover(ctx))


def collect_browsers(
    ctx: Context,
    json_files: Mapping[str, Sequence[str]],
    text_files: Mapping[str, Sequence[str]] | None = None,
    manifests: bool = False,
    policies: bool = False,
    permissions: bool = False,
) -> BrowserSnapshot:
    """Read ``json_files[engine]`` and ``text_files[engine]`` of every profile; with ``manifests`` the
    manifest of every Chromium extension that is not built in; with ``policies`` the policy sets;
    with ``permissions`` Firefox's site permission database."""
    from digisafe.browsers.readers import read_json, read_text

    found = discovery(ctx)
    profiles = []
    for profile in found.profiles:
        reads = {name: read_json(profile.path / name) for name in json_files.get(profile.engine, ())}
        texts = {name: read_text(profile.path / name) for name in (text_files or {}).get(profile.engine, ())}
        loaded = _manifests(ctx, profile, reads) if manifests else {}
        rows = _permission_rows(profile) if permissions else None
        profiles.append(ProfileFiles(profile, reads, texts, loaded, rows))
    sets: tuple = ()
    problems: tuple = ()
    if policies:
        from digisafe.browsers import policies as policy

        got, errs = policy.policy_sets(ctx)
        sets, problems = tuple(got), tuple(errs)
    return BrowserSnapshot(found, tuple(profiles), sets, problems, ctx.now())


def _manifests(ctx: Context, profile: BrowserProfile, reads: Mapping[str, JsonRead]) -> dict[str, Manifest]:
    from digisafe.browsers import chromium
    from digisafe.browsers.locations import CHROMIUM
    from digisafe.browsers.manifests import extension_folder, load_manifest

    if profile.engine != CHROMIUM:
        return {}
    prefs, secure = reads.get("Preferences"), reads.get("Secure Preferences")
    settings = chromium.extension_settings(prefs.data if prefs else None, secure.data if secure else None)
    loaded = {}
    for ext_id, entry in settings.items():
        if chromium.is_built_in(entry) or isinstance(entry.get("manifest"), dict):
            continue
        folder = extension_folder(profile.path, ext_id, entry, ctx.files.path)
        data, problem = load_manifest(folder)
        loaded[ext_id] = Manifest(folder, data, problem)
    return loaded


def _permission_rows(profile: BrowserProfile) -> PermissionRows | None:
    import sqlite3

    from digisafe.browsers import firefox
    from digisafe.browsers.locations import FIREFOX
    from digisafe.browsers.readers import UnreadableFile, modified_time, sqlite_snapshot

    path = profile.path / "permissions.sqlite"
    if profile.engine != FIREFOX or not path.exists():
        return None
    try:
        with sqlite_snapshot(path) as conn:
            rows = tuple(firefox.query_permissions(conn))
    except (UnreadableFile, firefox.NotAPermissionsDatabase, sqlite3.Error) as exc:
        return PermissionRows(problem=str(exc), modified=modified_time(path))
    return PermissionRows(rows, "", modified_time(path))
