"""LOLRMM rmm_tools.json -> products in our schema (remote-access, dual-use, verified: feed)."""

from __future__ import annotations

import re
from typing import Any

from digisafe.core.platforms import LAPTOP_PLATFORMS, Platform
from digisafe.indicators import data_lint
from digisafe.indicators.feeds import MAX_PRODUCTS, Converted, _finish, _hosts, _list, feed_source, slug
from digisafe.indicators.merge import name_key

# Everyday programs LOLRMM lists because attackers also misuse them: on a victim's laptop they are
# ordinary, and reporting them would be a false alarm.
EVERYDAY_TOOLS = frozenset(
    name_key(n)
    for n in """PuTTY;WinSCP;Syncthing;Yandex.Disk;MEGAsync;Insync;iDrive;Dropbox;OneDrive;Google Drive;
    Box;pCloud;Koofr;NordLocker;Duplicati;FileZilla;S3 Browser;DragonDisk;Basecamp;MultCloud;
    mstsc.exe (Microsoft Remote Desktop Connection);Remmina;FreeRDP;KiTTY;MobaXterm;SecureCRT;
    Royal TS;Royal Apps;Xshell;ZOC;Solar-PuTTY;SuperPuTTY;ExtraPuTTY;PuTTY Tray;Bitvise SSH Client;
    NVDA (Non-Visual Desktop Access);Duet Display;QQ IM-remote assistance;Zoom;Microsoft Teams;
    Skype;Slack;Discord;Visual Studio Dev Tunnel;Dev Tunnels (aka Visual Studio Dev Tunnel);
    PSEXEC;PSEXEC (Clone);Ninite Pro (Ninite Agent);Onionshare;SmartFTP;SmarTTY;Terminals;
    GoTo Opener;RDCMan;mRemoteNG;Devolutions Remote Desktop Manager;Remote Desktop Manager (Devolutions);
    Royal Server;Chrome SSH Extension;Free Tools Launcher;Faronics Deep Freeze;
    ESET Remote Administrator;Sophos-Remote Management System;Rapid7;Tanium;Tanium Deploy;
    Absolute (Computrace);OCS inventory;GLPI Agent;Zabbix Agent;Site24x7;Auvik;Netreo;Panorama9;
    Quest KACE Agent (formerly Dell KACE);Tailscale;ZeroTier;NetBird;SmartCode Web VNC;rdp2tcp;
    Mocha VNC Lite""".split(";")
)
# Management agents of work laptops that the built-in data does not carry: kept, at relevance
# medium (low severity, "if this is a work laptop this is probably your IT department").
WORK_AGENTS = frozenset(name_key(n) for n in "Addigy;Jamf;Kandji;Mosyle;Hexnode;Intune".split(";"))
# Security, inventory and VPN agents, and admin-side clients, are listed too: they are found on
# ordinary work laptops and do not let someone watch or control the screen.
# Makers whose signature is on everyday programs too (meeting apps, password managers, anti-virus).
_BIG_SIGNERS = (
    "microsoft", "google", "apple", "mozilla", "oracle", "adobe", "amazon", "comodo", "zoho", "ivanti",
    "logmein", "goto technologies", "eset", "symantec", "sophos",
)  # fmt: skip


def _items(value: Any) -> list[Any]:
    """A feed list, or [] when the feed holds something else there (true, a number, a mapping)."""
    return value if isinstance(value, list) else []


def _path_platform(path: str) -> str | None:
    if "\\" in path or path[:2].endswith(":") or path.startswith("%"):
        return "windows"
    if path.startswith(("/Applications", "/Library", "/System", "/Users", "~/Library")):
        return Platform.MACOS.value
    if path.startswith(("/", "~")):
        return "linux"
    return None


def _pe_names(details: dict[str, Any]) -> list[str]:
    meta = details.get("PEMetadata") or []
    if isinstance(meta, dict):
        meta = [meta]
    names = []
    for item in meta if isinstance(meta, list) else []:
        if isinstance(item, dict):
            names += _list([item.get("Filename"), item.get("OriginalFileName")])
    return names


_GENERIC_WORDS = frozenset(
    "software remote desktop control support access online management monitoring technologies technology "
    "systems system solutions corporation company limited group network networks services service".split()
)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]{4,}", text.lower()) if w not in _GENERIC_WORDS}


def _signers(tool: dict[str, Any], product: str) -> list[str]:
    """Signers that name the product's maker: LOLRMM also records signers of bundled or unrelated
    files (WinRAR, Unity, an anti-virus, a certificate authority) that would flag ordinary programs."""
    signing = tool.get("CodeSigning") if isinstance(tool.get("CodeSigning"), dict) else {}
    names = _list(signing.get("signer_names")) + _list(signing.get("company_names"))
    for cert in _items(signing.get("certificates")):
        if isinstance(cert, dict):
            names += _list(cert.get("signer_name"))
    wanted = _words(product)
    return [
        n for n in dict.fromkeys(names) if len(n) > 3 and not n.lower().startswith(_BIG_SIGNERS) and _words(n) & wanted
    ]


def _host_block(tool: dict[str, Any], dropped: list[int]) -> dict[str, dict[str, list[str]]]:
    details = tool.get("Details") if isinstance(tool.get("Details"), dict) else {}
    artifacts = tool.get("Artifacts") if isinstance(tool.get("Artifacts"), dict) else {}
    hosts: dict[str, dict[str, list[str]]] = {}

    def add(platform: str, key: str, value: str) -> None:
        values = hosts.setdefault(platform, {}).setdefault(key, [])
        if value not in values:
            values.append(value)

    for name in _pe_names(details):
        if data_lint.process_name_problem(name, "windows"):
            dropped[0] += 1
        else:
            add("windows", "processes", name)
    for path in _list(details.get("InstallationPaths")):
        if "\\" not in path and "/" not in path and path.lower().endswith(".exe"):
            # NOTE: LOLRMM sometimes lists bare program names ('rustdesk.exe') as installation paths.
            if data_lint.process_name_problem(path, "windows"):
                dropped[0] += 1
            else:
                add("windows", "processes", path)
            continue
        platform = _path_platform(path)
        if platform is None or data_lint.path_problem(path, platform) or "\\Downloads\\" in path:
            dropped[0] += 1
        else:
            add(platform, "paths", path)
    for event in _items(artifacts.get("EventLog")):
        service = event.get("ServiceName") if isinstance(event, dict) else None
        if (
            isinstance(service, str)
            and len(service.strip()) >= 3
            and service.lower() not in data_lint.GENERIC_PROCESS_NAMES
        ):
            add("windows", "services", service.strip())
    for signer in _signers(tool, str(tool.get("Name") or "")):
        add("windows", "signers", signer)
    return hosts


def convert_lolrmm(data: list[dict[str, Any]], url: str = "") -> Converted:
    dropped = [0]
    entries = []
    skipped = []
    for tool in data[:MAX_PRODUCTS]:  # NOTE: at most this many are read: ~2 ms a tool (37,000: 26 s)
        name = tool.get("Name")
        if not isinstance(name, str) or not name.strip():
            dropped[0] += 1
            continue
        if name_key(name) in EVERYDAY_TOOLS:
            skipped.append(f"{name}: an everyday program, not reported")
            continue
        artifacts = tool.get("Artifacts") if isinstance(tool.get("Artifacts"), dict) else {}
        domains: list[str] = []
        for net in _items(artifacts.get("Network")):
            if isinstance(net, dict):
                domains += _hosts(_list(net.get("Domains")), dropped)
        entry: dict[str, Any] = {
            "id": f"lolrmm.{slug(name)}",
            "name": name.strip(),
            "category": "remote-access",
            "presentation": "dual-use",
            "verified": "feed",
            "relevance": "medium" if name_key(name) in WORK_AGENTS else "high",
            **_host_block(tool, dropped),
            "domains": list(dict.fromkeys(domains)),
            "sources": [feed_source("lolrmm", url)],
        }
        if not any(p.value in entry for p in LAPTOP_PLATFORMS) and not entry["domains"]:
            skipped.append(f"{name}: no program name, folder, service or host in the feed")
            continue
        entries.append(entry)
    result = _finish("lolrmm", entries, dropped)
    result.skipped = skipped + result.skipped
    return result
