"""DS-MAC-030: Screen Sharing, Remote Management (Apple Remote Desktop) and Remote Login (SSH) on this Mac.

What it looks at, for each service:
- whether launchd will start it: /var/db/com.apple.xpc.launchd/disabled.plist (needs administrator
  rights; otherwise ``launchctl print-disabled system`` is tried): com.apple.screensharing,
  com.openssh.sshd, com.apple.AEServer;
- Remote Login as ``systemsetup -getremotelogin`` reports it (administrator rights only);
- Remote Management's settings: /Library/Preferences/com.apple.RemoteManagement.plist (who may
  connect, whether old VNC viewers with only a password are allowed) and whether its agent
  (ARDAgent) is running;
- whether something is listening on the service's port: 5900 Screen Sharing/VNC, 3283 Apple
  Remote Desktop, 22 Remote Login, 3031 Remote Apple Events;
- programs that run only while someone is connected: screensharingd, sshd / sshd-session.

Why it matters: Screen Sharing and Remote Management let someone watch and control this Mac from
another computer; Remote Login lets them run commands. Anyone who knows (or once knew) a password
for an account on this Mac, or a saved SSH key, can use them.

False positives: sharing you or your employer's IT switched on; a developer's own SSH.

Limits: without administrator rights launchd's list may not be readable and other users' ports may
be hidden; the report says so. Look in System Settings > General > Sharing.

What to do: note which services are on. Switching them off can be noticed: talk to a stalking
advocate (ISAC) first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

from digisafe.core.check import Check, Yielded
from digisafe.core.model import Confidence, Severity
from digisafe.core.platforms import Platform

if TYPE_CHECKING:
    from digisafe.core.context import Context

_BY_HAND = "check System Settings > General > Sharing"
_ARD_PREFS = "/Library/Preferences/com.apple.RemoteManagement.plist"
_ARD_LAUNCHD = "/Library/Application Support/Apple/Remote Desktop/RemoteManagement.launchd"


@dataclass
class _Service:
    name: str
    severity: Severity
    what: str
    label: str = ""
    ports: tuple[int, ...] = ()
    processes: tuple[str, ...] = ()
    signals: list[str] = field(default_factory=list)
    evidence: dict = field(default_factory=dict)


def _services() -> list[_Service]:
    return [
        _Service("Screen Sharing", Severity.HIGH, "watch and control this Mac's screen",
                 "com.apple.screensharing", (5900,), ("screensharingd",)),
        _Service("Remote Management (Apple Remote Desktop)", Severity.HIGH,
                 "watch, control and manage this Mac", "", (3283,), ("ARDAgent",)),
        _Service("Remote Login (SSH)", Severity.MEDIUM, "log in and run commands on this Mac",
                 "com.openssh.sshd", (22,), ("sshd", "sshd-session")),
        _Service("Remote Apple Events", Severity.MEDIUM, "send commands to apps on this Mac",
                 "com.apple.AEServer", (3031,), ()),
    ]


class MacRemoteAccessCheck(Check):
    id = "DS-MAC-030"
    title = "Screen Sharing, Remote Management and Remote Login on this Mac"
    category = "remote-access"
    platforms = frozenset({Platform.MACOS})
    requires = ("administrator rights to read launchd's list of switched-on services",)
    why = "These services let someone watch, control or log in to this Mac from another computer."

    def run(self, ctx: Context) -> Iterable[Yielded]:
        services = _services()
        yield from self._launchd(ctx, services)
        yield from self._ports(ctx, services)
        self._processes(ctx, services)
        yield from self._remote_management(ctx, services[1])
        if ctx.is_admin:
            self._systemsetup(ctx, services[2])
        for service in services:
            if service.signals:
                yield self._finding(service)

    def _launchd(self, ctx: Context, services: list[_Service]) -> Iterable[Yielded]:
        from digisafe.settings.macos import parse_disabled_plist, parse_print_disabled
        from digisafe.settings.read import Unreadable, read_plist, run

        path = ctx.files.path("/var/db/com.apple.xpc.launchd/disabled.plist")
        source = str(path)
        try:
            disabled = parse_disabled_plist(read_plist(path))
        except Unreadable as exc:
            try:
                result = run(ctx, ["launchctl", "print-disabled", "system"])
                disabled = parse_print_disabled(result.stdout) if result.returncode == 0 else {}
                source = "launchctl print-disabled system"
            except Unreadable:
                disabled = {}
            if not disabled:
                yield self.limitation(f"launchd's list of switched-on services was not read ({exc}); "
                                      f"{_BY_HAND}")
                return
        for service in services:
            if service.label and disabled.get(service.label) is False:
                service.signals.append(f"launchd will start {service.label} ({source})")
                service.evidence["launchd"] = {"label": service.label, "disabled": False, "source": source}

    def _ports(self, ctx: Context, services: list[_Service]) -> Iterable[Yielded]:
        listing = ctx.network.listening()
        if not listing.complete:
            yield self.limitation(listing.reason or "some listening ports could not be inspected")
        for service in services:
            for sock in listing.sockets:
                if sock.proto == "tcp" and sock.port in service.ports and not sock.loopback_only:
                    service.signals.append(f"listening on port {sock.port} ({sock.address})")
                    service.evidence.setdefault("listening", []).append(
                        {"address": sock.address, "port": sock.port, "pid": sock.pid, "process": sock.process_name})

    def _processes(self, ctx: Context, services: list[_Service]) -> None:
        for proc in ctx.processes.processes():
            for service in services:
                if proc.name in service.processes:
                    service.signals.append(f"{proc.name} is running (process {proc.pid})")
                    service.evidence.setdefault("processes", []).append(
                        {"name": proc.name, "pid": proc.pid, "user": proc.username})

    def _remote_management(self, ctx: Context, service: _Service) -> Iterable[Yielded]:
        from digisafe.settings.read import Unreadable, read_plist, read_text

        try:
            if read_text(ctx.files.path(_ARD_LAUNCHD)).strip().lower() == "enabled":
                service.signals.append(f"{_ARD_LAUNCHD} says enabled")
        except Unreadable:
            pass
        path = ctx.files.path(_ARD_PREFS)
        try:
            prefs = read_plist(path)
        except Unreadable as exc:
            if path.exists():
                yield self.limitation(f"Remote Management settings not read: {exc}")
            return
        if not isinstance(prefs, dict):
            return
        keep = ("ARD_AllLocalUsers", "ARD_AllLocalUsersPrivs", "VNCLegacyConnectionsEnabled",
                "ScreenSharingReqPermEnabled", "allowInsecureDH")
        service.evidence["settings"] = {"file": str(path), **{k: prefs[k] for k in keep if k in prefs}}
        if prefs.get("VNCLegacyConnectionsEnabled") is True:
            service.evidence["note"] = "old VNC viewers may connect with only a password"

    def _systemsetup(self, ctx: Context, service: _Service) -> None:
        from digisafe.settings.read import Unreadable, run

        try:
            result = run(ctx, ["systemsetup", "-getremotelogin"])
        except Unreadable:
            return
        if result.stdout.strip().lower().endswith(": on"):
            service.signals.append("systemsetup reports Remote Login: On")
            service.evidence["systemsetup"] = result.stdout.strip()

    def _finding(self, service: _Service):  # noqa: ANN202
        from digisafe.settings import advice

        connected = any("running" in s and "ARDAgent" not in s for s in service.signals)
        return self.finding(
            service.severity,
            f"{service.name} is on: someone else can {service.what}",
            subject=service.name,
            detail=f"{service.name} lets anyone with a password (or key) for an account on this Mac "
            f"{service.what} from another computer. Signs found: {'; '.join(service.signals)}."
            + (f" Also, {service.evidence['note']}." if "note" in service.evidence else "")
            + (" Someone may be connected right now." if connected else ""),
            confidence=Confidence.HIGH if len(service.signals) > 1 else Confidence.MEDIUM,
            evidence={"signals": service.signals, **service.evidence},
            advice=advice(f"If you did not switch this on, note it ({_BY_HAND})."),
            guidance="laptop",
        )
