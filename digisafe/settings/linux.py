"""Parsers for Linux desktop settings: gsettings values, GeoClue's configuration, the portal's
location permission table (as printed by ``flatpak permissions``) and SSH ``authorized_keys``.
"""

from __future__ import annotations

import configparser
import re
from dataclasses import dataclass, field
from typing import Iterable

# Desktop IDs of the agents GeoClue ships trusting (the demo agent is added by some distributions).
GEOCLUE_DEFAULT_AGENTS = frozenset({
    "gnome-shell", "io.elementary.desktop.agent-geoclue2", "geoclue-demo-agent", "sm.puri.Phosh", "lipstick",
})
# NOTE: GeoClue's own geoclue.conf lets these apps read location without the agent asking the user;
# newer versions also list the agents themselves (elementary's agent, Phosh, lipstick).
GEOCLUE_DEFAULT_ALLOWED = frozenset({
    "gnome-datetime-panel", "gnome-color-panel", "org.gnome.Shell", "epiphany", "firefox",
}) | GEOCLUE_DEFAULT_AGENTS
ACCURACY_LEVELS = ("none", "country", "city", "neighborhood", "street", "exact")


def parse_gsettings_value(text: str) -> bool | int | str | None:
    """``gsettings get`` prints a GVariant: true/false, 'string', uint32 5. None for empty output."""
    value = (text or "").strip()
    if not value:
        return None
    if value in ("true", "false"):
        return value == "true"
    match = re.fullmatch(r"(?:u?int(?:16|32|64)|byte)\s+(-?\d+)", value) or re.fullmatch(r"-?\d+", value)
    if match:
        return int(match.group(1) if match.groups() else match.group(0))
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


@dataclass(frozen=True)
class GeoClueApp:
    app_id: str
    allowed: bool
    system: bool
    users: str
    source: str  # the file that last set it


@dataclass
class GeoClueConfig:
    whitelist: list[str] = field(default_factory=list)
    whitelist_source: str = ""
    apps: dict[str, GeoClueApp] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # files that could not be parsed
    wifi: dict[str, str] = field(default_factory=dict)  # [wifi] url, submit-data, submission-url
    wifi_source: str = ""

    @property
    def allowed_without_asking(self) -> list[GeoClueApp]:
        return [a for a in self.apps.values() if a.allowed]


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("true", "1", "yes")


def parse_geoclue_config(files: Iterable[tuple[str, str]]) -> GeoClueConfig:
    """Merge geoclue.conf and its conf.d drop-ins (given in load order: later files win)."""
    config = GeoClueConfig()
    for name, text in files:
        parser = configparser.ConfigParser(strict=False, interpolation=None, comment_prefixes=("#",),
                                           inline_comment_prefixes=None, default_section="\x00none")
        try:
            parser.read_string(text, source=name)
        except configparser.Error as exc:
            config.problems.append(f"{name}: {exc.__class__.__name__}")
            continue
        for section in parser.sections():
            keys = parser[section]
            if section == "wifi":
                config.wifi.update({k: keys[k].strip() for k in ("url", "submit-data", "submission-url") if k in keys})
                config.wifi_source = name
            if section == "agent" and "whitelist" in keys:
                config.whitelist = [x.strip() for x in keys["whitelist"].split(";") if x.strip()]
                config.whitelist_source = name
            elif "allowed" in keys:
                old = config.apps.get(section)
                config.apps[section] = GeoClueApp(
                    app_id=section,
                    allowed=_truthy(keys.get("allowed")),
                    system=_truthy(keys.get("system")) if "system" in keys else bool(old and old.system),
                    users=(keys.get("users") or "").strip(),
                    source=name,
                )
    return config


# Public services GeoClue is shipped to ask for a position from nearby Wi-Fi networks.
GEOCLUE_KNOWN_HOSTS = frozenset({
    "location.services.mozilla.com", "api.beacondb.net", "beacondb.net", "www.googleapis.com",
    "googleapis.com", "positioning.hereapi.com", "api.positon.xyz",
})


def geoclue_unusual_servers(config: GeoClueConfig) -> dict[str, str]:
    """[wifi] url / submission-url (when submitting) that point at a host GeoClue is not shipped with."""
    from urllib.parse import urlsplit

    found = {}
    for key in ("url", "submission-url"):
        url = config.wifi.get(key, "")
        if not url or (key == "submission-url" and not _truthy(config.wifi.get("submit-data"))):
            continue
        try:
            host = (urlsplit(url).hostname or "").lower()
        except ValueError:  # e.g. a damaged IPv6 literal
            host = url.strip().lower()
        if host and host not in GEOCLUE_KNOWN_HOSTS:
            found[key] = host
    return found


@dataclass(frozen=True)
class PortalLocationGrant:
    app_id: str  # "" is the portal's entry for every unsandboxed program it could not name
    accuracy: str  # lower-case level from ACCURACY_LEVELS, or "" when not recognised
    # NOTE: the portal stores g_get_monotonic_time() (microseconds since the computer started), not a
    # date: it only shows that, and roughly when after some start-up, the app last got location.
    last_used: int | None


def parse_flatpak_location_permissions(text: str) -> list[PortalLocationGrant]:
    """Rows of ``flatpak permissions location location``: table, object, app, permissions, data.

    Piped output is tab-separated with no header; a terminal gets space-padded columns with a header,
    so both are accepted. The permissions cell is "<ACCURACY>,<timestamp>" (", " between items).
    """
    grants = []
    for line in (text or "").splitlines():
        cells = line.split("\t") if "\t" in line else line.split()
        if len(cells) < 4 or cells[0].strip().lower() == "table" or cells[0].strip() != "location":
            continue
        app = cells[2].strip()
        rest = " ".join(cells[3:]) if "\t" not in line else cells[3]
        tokens = [t for t in re.split(r"[,\s]+", rest) if t]
        accuracy = next((t.lower() for t in tokens if t.lower() in ACCURACY_LEVELS), "")
        stamp = next((int(t) for t in tokens if t.isdigit()), None)
        if app or "\t" in line:
            grants.append(PortalLocationGrant(app, accuracy, stamp))
    return grants


def parse_is_active(units: Iterable[str], stdout: str) -> dict[str, str]:
    """``systemctl is-active a b c`` prints one state per unit, in order."""
    states = [line.strip() for line in (stdout or "").splitlines() if line.strip()]
    return dict(zip(units, states))


# Programs that share this desktop with another computer, by process name.
SCREEN_SERVERS = {
    "vino-server": "Vino screen sharing (older GNOME)",
    "x11vnc": "x11vnc screen sharing",
    "krfb": "KDE Desktop Sharing (krfb)",
    "krdpserver": "KDE Remote Desktop (KRdp)",
    "xrdp": "xrdp remote desktop server",
    "wayvnc": "wayvnc screen sharing",
    "x0vncserver": "TigerVNC screen sharing",
    "Xvnc": "VNC desktop server",
    "Xtigervnc": "TigerVNC desktop server",
}
