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

from typing import TYPE_CHECKING, Iterable

from digisafe.core.check import Check, Yielded
from digisafe.core.model import Confidence, Severity
from digisafe.core.platforms import Platform

if TYPE_CHECKING:
    from digisafe.core.context import Context
    from digisafe.settings.macos_collect import MacRemoteSnapshot

_BY_HAND = "check System Settings > General > Sharing"


class _Service:
    """One sharing service and the signs found that it is on (a plain class: a dataclass here
    would cost `digisafe checks`, which imports every check module, a millisecond)."""

    def __init__(self, name: str, severity: Severity, what: str, label: str = "", ports: tuple[int, ...] = (),
                 processes: tuple[str, ...] = ()) -> None:  # fmt: skip
        self.name, self.severity, self.what, self.label = name, severity, what, label
        self.ports, self.processes = ports, processes
        self.signals: list[str] = []
        self.evidence: dict = {}


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
        from digisafe.settings.macos_collect import collect_mac_remote

        yield from self.judge(collect_mac_remote(ctx))

    def judge(self, snap: MacRemoteSnapshot) -> Iterable[Yielded]:
        """Each sharing service with the signs that it is on; no Context needed."""
        services = _services()
        yield from self._launchd(snap, services)
        yield from self._ports(snap, services)
        self._processes(snap, services)
        yield from self._remote_management(snap, services[1])
        if snap.remote_login.lower().endswith(": on"):
            services[2].signals.append("systemsetup reports Remote Login: On")
            services[2].evidence["systemsetup"] = snap.remote_login
        for service in services:
            if service.signals:
                yield self._finding(service)

    def _launchd(self, snap: MacRemoteSnapshot, services: list[_Service]) -> Iterable[Yielded]:
        if snap.disabled_problem:
            yield self.limitation(f"launchd's list of switched-on services was not read ({snap.disabled_problem}); "
                                  f"{_BY_HAND}")
            return
        for service in services:
            if service.label and snap.disabled.get(service.label) is False:
                service.signals.append(f"launchd will start {service.label} ({snap.disabled_source})")
                service.evidence["launchd"] = {"label": service.label, "disabled": False,
                                               "source": snap.disabled_source}

    def _ports(self, snap: MacRemoteSnapshot, services: list[_Service]) -> Iterable[Yielded]:
        listing = snap.listing
        if not listing.complete:
            yield self.limitation(listing.reason or "some listening ports could not be inspected")
        for service in services:
            for sock in listing.sockets:
                if sock.proto == "tcp" and sock.port in service.ports and not sock.loopback_only:
                    service.signals.append(f"listening on port {sock.port} ({sock.address})")
                    service.evidence.setdefault("listening", []).append(
                        {"address": sock.address, "port": sock.port, "pid": sock.pid, "process": sock.process_name})

    def _processes(self, snap: MacRemoteSnapshot, services: list[_Service]) -> None:
        for proc in snap.processes:
            for service in services:
                if proc.name in service.processes:
                    service.signals.append(f"{proc.name} is running (process {proc.pid})")
                    service.evidence.setdefault("processes", []).append(
                        {"name": proc.name, "pid": proc.pid, "user": proc.username})

    def _remote_management(self, snap: MacRemoteSnapshot, service: _Service) -> Iterable[Yielded]:
        from digisafe.settings.macos_collect import ARD_LAUNCHD

        if snap.ard_launchd_enabled:
            service.signals.append(f"{ARD_LAUNCHD} says enabled")
        if snap.ard_problem:
            yield self.limitation(f"Remote Management settings not read: {snap.ard_problem}")
            return
        prefs = snap.ard_settings
        if prefs is None:
            return
        keep = ("ARD_AllLocalUsers", "ARD_AllLocalUsersPrivs", "VNCLegacyConnectionsEnabled",
                "ScreenSharingReqPermEnabled", "allowInsecureDH")
        service.evidence["settings"] = {"file": prefs.get("file"), **{k: prefs[k] for k in keep if k in prefs}}
        if prefs.get("VNCLegacyConnectionsEnabled") is True:
            service.evidence["note"] = "old VNC viewers may connect with only a password"

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
