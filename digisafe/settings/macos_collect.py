"""Collectors for the macOS settings checks (DS-MAC-010/020/030/040): each runs the read-only
commands and reads the files its check needs into a typed snapshot. The parsers are in
``digisafe.settings.macos``; the checks only judge the snapshots.
A reason string set in a snapshot says what could not be read (the check words it for people).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping

from digisafe.monitoring.running import running_processes

if TYPE_CHECKING:
    from digisafe.core.context import Context, ProcessInfo, SocketListing

MOBILEME = "~/Library/Preferences/MobileMeAccounts.plist"
LOCATION_CLIENTS = "/var/db/locationd/clients.plist"
_BYHOST = "/var/db/locationd/Library/Preferences/ByHost"
LAUNCHD_DISABLED = "/var/db/com.apple.xpc.launchd/disabled.plist"
ARD_PREFS = "/Library/Preferences/com.apple.RemoteManagement.plist"
ARD_LAUNCHD = "/Library/Application Support/Apple/Remote Desktop/RemoteManagement.launchd"


@dataclass(frozen=True)
class FindMySnapshot:
    """DS-MAC-010: the firmware's Find My token and the iCloud accounts signed in here."""

    nvram_problem: str = ""  # set when the firmware settings could not be read (the check is skipped)
    find_my: Any = None  # digisafe.settings.macos.FindMy
    accounts: tuple[Any, ...] = ()  # MobileMeAccount
    accounts_problem: str = ""  # the accounts file exists but could not be read
    accounts_file: str = ""


def collect_find_my(ctx: Context) -> FindMySnapshot:
    from digisafe.settings.macos import parse_find_my, parse_mobileme_accounts, parse_nvram_xml
    from digisafe.settings.read import Unreadable, read_plist, run

    try:
        result = run(ctx, ["nvram", "-x", "-p"])
    except Unreadable as exc:
        return FindMySnapshot(nvram_problem=f"firmware settings not read ({exc})")
    nvram = parse_nvram_xml(result.stdout)
    if result.returncode != 0 or not nvram:
        return FindMySnapshot(nvram_problem=f"nvram gave no readable output (exit {result.returncode})")
    path = ctx.files.path(MOBILEME)
    accounts: tuple[Any, ...] = ()
    problem = ""
    try:
        accounts = tuple(parse_mobileme_accounts(read_plist(path)))
    except Unreadable as exc:
        problem = str(exc) if path.exists() else ""
    return FindMySnapshot("", parse_find_my(nvram), accounts, problem, str(path))


@dataclass(frozen=True)
class ProfilesListing:
    command: str  # "profiles list"
    profiles: tuple[Any, ...] = ()  # digisafe.settings.macos profile entries
    problem: str = ""  # why it listed nothing ("could not be run (...)", "needs administrator rights", ...)


@dataclass(frozen=True)
class ManagementSnapshot:
    """DS-MAC-020: MDM enrolment and the configuration profiles."""

    tool_problem: str = ""  # the profiles tool could not be run at all (the check is skipped)
    enrollment: Any = None  # digisafe.settings.macos.Enrollment, None when not read
    enrollment_output: str = ""  # what `profiles status` said when it could not be read
    listings: tuple[ProfilesListing, ...] = ()
    device_wide_listed: bool = False  # False without administrator rights


def collect_management(ctx: Context) -> ManagementSnapshot:
    from digisafe.settings.macos import needs_root, parse_enrollment_status, parse_profiles_list
    from digisafe.settings.read import Unreadable, run

    try:
        status = run(ctx, ["profiles", "status", "-type", "enrollment"])
    except Unreadable as exc:
        return ManagementSnapshot(tool_problem=str(exc))
    enrollment = parse_enrollment_status(status.stdout)
    unread = status.returncode != 0 or enrollment.mdm is None
    commands = [["profiles", "list"]] + ([["profiles", "show", "-type", "configuration"]] if ctx.is_admin else [])
    listings = []
    for argv in commands:
        command = " ".join(argv)
        try:
            result = run(ctx, argv)
        except Unreadable as exc:
            listings.append(ProfilesListing(command, problem=f"could not be run ({exc})"))
            continue
        if result.returncode != 0:
            why = "it needs administrator rights" if needs_root(result.stderr + result.stdout) else \
                f"it said {(result.stderr or result.stdout).strip()[:120]!r}"
            listings.append(ProfilesListing(command, problem=why))
            continue
        listings.append(ProfilesListing(command, tuple(parse_profiles_list(result.stdout))))
    return ManagementSnapshot(
        enrollment=None if unread else enrollment,
        enrollment_output=(status.stderr or status.stdout).strip()[:160] if unread else "",
        listings=tuple(listings),
        device_wide_listed=ctx.is_admin,
    )


@dataclass(frozen=True)
class LocationSnapshot:
    """DS-MAC-040: locationd's clients and the Location Services switch."""

    clients_problem: str = ""  # clients.plist could not be read (the check is skipped)
    clients: tuple[Any, ...] = ()  # digisafe.settings.macos.LocationClient
    enabled: bool | None = None  # the switch; None when not found
    clients_file: str = ""


def collect_location(ctx: Context) -> LocationSnapshot:
    from digisafe.settings.macos import location_services_enabled, parse_location_clients
    from digisafe.settings.read import Unreadable, read_plist

    path = ctx.files.path(LOCATION_CLIENTS)
    try:
        clients = tuple(parse_location_clients(read_plist(path)))
    except Unreadable as exc:
        return LocationSnapshot(clients_problem=str(exc), clients_file=str(path))
    enabled = None
    try:
        candidates = sorted(ctx.files.path(_BYHOST).glob("com.apple.locationd*.plist"))
    except OSError:
        candidates = []
    for candidate in candidates:
        try:
            value = location_services_enabled(read_plist(candidate))
        except Unreadable:
            continue
        if value is not None:
            enabled = value
            break
    return LocationSnapshot("", clients, enabled, str(path))


@dataclass(frozen=True)
class MacRemoteSnapshot:
    """DS-MAC-030: launchd's switched-on services, listening ports, processes, Remote Management."""

    listing: SocketListing
    processes: tuple[ProcessInfo, ...] = ()
    disabled: Mapping[str, bool] = field(default_factory=dict)  # launchd label -> disabled
    disabled_source: str = ""
    disabled_problem: str = ""  # launchd's list was not read
    ard_launchd_enabled: bool = False
    ard_settings: Mapping[str, Any] | None = None  # com.apple.RemoteManagement.plist (a dict), None if absent
    ard_problem: str = ""  # the settings file exists but could not be read
    remote_login: str = ""  # `systemsetup -getremotelogin` (administrator only), "" when not read


def _launchd(ctx: Context) -> tuple[dict[str, bool], str, str]:
    from digisafe.settings.macos import parse_disabled_plist, parse_print_disabled
    from digisafe.settings.read import Unreadable, read_plist, run

    path = ctx.files.path(LAUNCHD_DISABLED)
    try:
        return parse_disabled_plist(read_plist(path)), str(path), ""
    except Unreadable as exc:
        problem = str(exc)
    try:
        result = run(ctx, ["launchctl", "print-disabled", "system"])
        disabled = parse_print_disabled(result.stdout) if result.returncode == 0 else {}
    except Unreadable:
        disabled = {}
    return disabled, "launchctl print-disabled system", "" if disabled else problem


def collect_mac_remote(ctx: Context) -> MacRemoteSnapshot:
    from digisafe.settings.read import Unreadable, read_plist, read_text, run

    disabled, source, problem = _launchd(ctx)
    try:
        ard_on = read_text(ctx.files.path(ARD_LAUNCHD)).strip().lower() == "enabled"
    except Unreadable:
        ard_on = False
    path = ctx.files.path(ARD_PREFS)
    settings, ard_problem = None, ""
    try:
        prefs = read_plist(path)
        settings = {"file": str(path), **prefs} if isinstance(prefs, dict) else None
    except Unreadable as exc:
        ard_problem = str(exc) if path.exists() else ""
    remote_login = ""
    if ctx.is_admin:
        try:
            remote_login = run(ctx, ["systemsetup", "-getremotelogin"]).stdout.strip()
        except Unreadable:
            remote_login = ""
    return MacRemoteSnapshot(ctx.network.listening(), tuple(running_processes(ctx)), disabled, source, problem,
                             ard_on, settings, ard_problem, remote_login)  # fmt: skip
