"""Collector for DS-LOC-010 (Linux): GNOME's location switch, GeoClue's configuration files and the
desktop portal's location permissions, as a ``LinuxLocationSnapshot``. The parsers are in
``digisafe.settings.linux``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from digisafe.core.context import Context
    from digisafe.settings.linux import PortalLocationGrant

SCHEMA = "org.gnome.system.location"
PORTAL_STORE = "~/.local/share/flatpak/db/location"


@dataclass(frozen=True)
class LinuxLocationSnapshot:
    sudo_caveat: str | None = None
    gnome_problem: str = ""  # the GNOME switch could not be read
    gnome_enabled: Any = None
    accuracy: str = ""  # max-accuracy-level, "" when not read
    geoclue_files: tuple[tuple[str, str], ...] = ()  # (path, text) in load order
    geoclue_problems: tuple[str, ...] = ()  # files that exist but could not be read
    portal_store: str = ""  # the permission store; "" when no app ever asked (no store)
    portal_unavailable: str = ""  # flatpak could not be run
    portal_error: str = ""  # what flatpak said when it failed
    portal_grants: tuple[PortalLocationGrant, ...] = ()


def collect_linux_location(ctx: Context) -> LinuxLocationSnapshot:
    from digisafe.settings.read import sudo_caveat

    return LinuxLocationSnapshot(sudo_caveat(ctx), *_gnome(ctx), *_geoclue_files(ctx), *_portal(ctx))


def _gnome(ctx: Context) -> tuple[str, Any, str]:
    from digisafe.settings.linux import parse_gsettings_value
    from digisafe.settings.read import Unreadable, gsetting

    try:
        enabled = parse_gsettings_value(gsetting(ctx, SCHEMA, "enabled"))
    except Unreadable as exc:
        return str(exc), None, ""
    if enabled is not True:
        return "", enabled, ""
    try:
        accuracy = str(parse_gsettings_value(gsetting(ctx, SCHEMA, "max-accuracy-level")) or "")
    except Unreadable:
        accuracy = ""
    return "", enabled, accuracy


def _geoclue_files(ctx: Context) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """The configuration files in load order, and why any of them could not be read."""
    from digisafe.settings.read import Unreadable, read_text

    main = ctx.files.path("/etc/geoclue/geoclue.conf")
    paths = [main] if main.exists() else []
    try:
        paths += sorted(ctx.files.path("/etc/geoclue/conf.d").glob("*.conf"))
    except OSError:
        pass
    files, problems = [], []
    for path in paths:
        try:
            files.append((str(path), read_text(path)))
        except Unreadable as exc:
            problems.append(str(exc))
    return tuple(files), tuple(problems)


def _portal(ctx: Context) -> tuple[str, str, str, tuple]:
    from digisafe.settings.linux import parse_flatpak_location_permissions
    from digisafe.settings.read import Unreadable, run

    store = ctx.files.path(PORTAL_STORE)
    if not store.exists():
        return "", "", "", ()  # no sandboxed app has ever been given (or asked for) location
    try:
        result = run(ctx, ["flatpak", "permissions", "location", "location"])
    except Unreadable as exc:
        return str(store), str(exc), "", ()
    text = result.stdout
    if result.returncode != 0:
        error = (result.stderr or "").strip()
        if "no entry" not in error.lower():
            return str(store), "", error[:200] or "nothing", ()
        text = ""
    return str(store), "", "", tuple(parse_flatpak_location_permissions(text))
