"""Collectors: browser history of every profile, and the laptop's network traces.

Read-only and offline: history databases are read from a private immutable copy
(digisafe/core/sqlite_snapshot.py); the hosts file is read as text; the DNS cache is listed by the
system's own read-only command (Windows ``Get-DnsClientCache``); open connections come from the
network provider. Nothing is resolved, contacted or written.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Any

from digisafe.traces.model import HostsEntry, NetworkTraces, ProfileHistory, WebHistory

if TYPE_CHECKING:
    from digisafe.browsers.discovery import BrowserProfile
    from digisafe.core.context import Context, RemoteConnection

HOSTS_FILES = {"windows": r"C:\Windows\System32\drivers\etc\hosts", "macos": "/etc/hosts", "linux": "/etc/hosts"}
DNS_CACHE_COMMAND = ("powershell", "-NoProfile", "-NonInteractive", "-Command",
                     "Get-DnsClientCache | ForEach-Object { $_.Entry }")  # fmt: skip
MAX_HOSTS_BYTES = 16 * 1024 * 1024


def _profile_history(profile: BrowserProfile) -> ProfileHistory | str:
    from digisafe.core.sqlite_snapshot import UnreadableFile, sqlite_snapshot
    from digisafe.traces import history

    chromium = profile.engine == "chromium"
    file = profile.path / ("History" if chromium else "places.sqlite")
    if not file.exists():
        return ""  # a profile never used for browsing: nothing to read, nothing missed
    try:
        with sqlite_snapshot(file) as conn:
            if chromium:
                hosts, downloads = history.chromium_hosts(conn), history.chromium_downloads(conn)
            else:
                hosts, downloads = history.firefox_hosts(conn), history.firefox_downloads(conn)
    except (UnreadableFile, history.NotAHistoryDatabase) as exc:
        return f"{profile.label}: {exc}"
    except Exception as exc:  # noqa: BLE001 - sqlite3 errors on a damaged file: say so, go on
        return f"{profile.label}: {file} could not be read ({exc})"
    return ProfileHistory(
        profile.browser, profile.name, str(profile.path), str(file), hosts, tuple(downloads), profile.listed
    )


def collect_web_history(ctx: Context) -> WebHistory:
    def read() -> WebHistory:
        from digisafe.browsers.discovery import discover

        found = discover(ctx)
        profiles, problems = [], list(found.limitations)
        for profile in found.profiles:
            result = _profile_history(profile)
            if isinstance(result, str):
                if result:
                    problems.append(result)
            else:
                profiles.append(result)
        return WebHistory(tuple(profiles), tuple(problems), found.looked_in)

    return ctx.cached("traces.web_history", read)


def parse_hosts_file(text: str) -> list[HostsEntry]:
    """'address name [name...]  # comment' lines; anything else is ignored."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        fields = line.split("#", 1)[0].split()
        if len(fields) < 2:
            continue
        try:
            address = str(ipaddress.ip_address(fields[0].split("%", 1)[0]))
        except ValueError:
            continue
        found += [HostsEntry(address, name.lower().rstrip("."), number) for name in fields[1:]]
    return found


def parse_dns_cache(text: str) -> list[str]:
    names = (line.strip().lower().rstrip(".") for line in text.splitlines())
    return list(dict.fromkeys(n for n in names if n and " " not in n and "." in n))


def _hosts_file(ctx: Context) -> tuple[str, list[HostsEntry], list[str]]:
    name = HOSTS_FILES.get(ctx.platform, "/etc/hosts")
    path = ctx.files.path(name)
    try:
        if path.stat().st_size > MAX_HOSTS_BYTES:
            return name, [], [f"{name} is unexpectedly large; not read"]
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return name, [], []
    except OSError as exc:
        return name, [], [f"could not read {name} ({exc.strerror or exc})"]
    return name, parse_hosts_file(text), []


def _dns_cache(ctx: Context) -> tuple[list[str], list[str]]:
    from digisafe.core.context import CommandUnavailable

    if ctx.platform != "windows":
        why = "does not list it without writing to the system log"
        return [], [f"the DNS cache is not checked: {ctx.platform.label} {why}"]
    if ctx.commands is None:
        return [], ["the DNS cache could not be read on this subject"]
    try:
        result = ctx.commands.run(list(DNS_CACHE_COMMAND), timeout=15.0)
    except CommandUnavailable as exc:
        return [], [f"the DNS cache could not be read ({exc})"]
    if result.returncode != 0:
        return [], [f"the DNS cache could not be read (Get-DnsClientCache: {result.stderr.strip()[:200]})"]
    return parse_dns_cache(result.stdout), []


def _connections(ctx: Context) -> tuple[list[RemoteConnection], list[str]]:
    source = getattr(ctx.network, "connections", None) if ctx.network is not None else None
    if not callable(source):
        return [], ["open connections could not be listed on this subject"]
    try:
        found: Any = source()
    except Exception as exc:  # noqa: BLE001 - a provider failure is a limitation, not a crash
        return [], [f"open connections could not be listed ({exc})"]
    return list(found.connections), ([] if found.complete else [f"open connections: {found.reason}"])


def collect_network_traces(ctx: Context) -> NetworkTraces:
    def read() -> NetworkTraces:
        hosts_name, entries, problems = _hosts_file(ctx)
        dns, dns_problems = _dns_cache(ctx)
        connections, conn_problems = _connections(ctx)
        return NetworkTraces(
            hosts_name, tuple(entries), tuple(dns), tuple(connections), tuple(problems + dns_problems + conn_problems)
        )

    return ctx.cached("traces.network", read)
