"""DS-NET-010: programs waiting for remote-access connections (SSH, Remote Desktop, VNC, ...).

What it looks at: the network ports this laptop is listening on, compared with the ports
that remote-access services use: SSH 22, Remote Desktop 3389, VNC 5900-5910, TeamViewer 5938,
AnyDesk 7070, Apple Remote Desktop 3283, Chrome Remote Desktop's host, RustDesk 21115-21119 and
others. Only listeners reachable from other computers count; ones bound to this laptop alone
(127.0.0.1) are noted at a lower level.

Why it matters: a listening remote-access service is a door that someone else can use to see or
control this laptop, if they have (or once had) the password or key.

False positives: services you turned on yourself (for example SSH on a developer's laptop), work
IT tools, printer or media-sharing programs that reuse one of these ports. The finding names the
program when the system lets us see it.

Limits: without administrator rights, the system may hide which program owns a port, or hide
other users' ports altogether; the report then says the check was partial.

What to do: do not switch anything off yet. Write down the program and port, and talk to a
stalking advocate (ISAC): switching it off can be noticed by the other person.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from digisafe.core.check import SAFETY_CAUTION, Check, Yielded
from digisafe.core.model import Confidence, Severity

if TYPE_CHECKING:
    from digisafe.core.context import Context, ListeningSocket, SocketListing

# port -> (service, severity if reachable from the network)
_SERVICES: dict[int, tuple[str, Severity]] = {
    22: ("SSH remote login", Severity.MEDIUM),
    23: ("Telnet remote login", Severity.HIGH),
    3389: ("Windows Remote Desktop (RDP)", Severity.HIGH),
    3283: ("Apple Remote Desktop", Severity.HIGH),
    5938: ("TeamViewer", Severity.HIGH),
    7070: ("AnyDesk", Severity.HIGH),
    6568: ("AnyDesk", Severity.HIGH),
    5500: ("VNC (reverse connection)", Severity.HIGH),
    5800: ("VNC over the web", Severity.HIGH),
    8200: ("GoToMyPC", Severity.HIGH),
    5650: ("RemotePC", Severity.HIGH),
    4899: ("Radmin", Severity.HIGH),
    6129: ("DameWare", Severity.HIGH),
    3390: ("Remote Desktop (alternate port)", Severity.MEDIUM),
    8040: ("Ammyy Admin", Severity.HIGH),
    1494: ("Citrix ICA", Severity.MEDIUM),
    2598: ("Citrix session reliability", Severity.MEDIUM),
}
for _port in range(5900, 5911):
    _SERVICES[_port] = ("VNC screen sharing", Severity.HIGH)
for _port in range(21115, 21120):
    _SERVICES[_port] = ("RustDesk", Severity.HIGH)


def classify(sock: ListeningSocket) -> tuple[str, Severity] | None:
    """The remote-access service a listening socket looks like, and how serious it is."""
    known = _SERVICES.get(sock.port)
    if known is None:
        return None
    service, severity = known
    if sock.loopback_only:
        return service, Severity.INFO  # reachable only from this laptop itself
    return service, severity


class RemoteAccessListenersCheck(Check):
    id = "DS-NET-010"
    title = "Remote-access services listening for connections"
    category = "remote-access"
    requires = ("administrator rights to see every program's ports",)
    why = "A listening remote-access service lets someone else see or control this laptop."

    def run(self, ctx: Context) -> Iterable[Yielded]:
        yield from self.judge(ctx.network.listening())

    def judge(self, listing: SocketListing) -> Iterable[Yielded]:
        """Findings for the listening sockets (the snapshot is the provider's listing); no Context."""
        if not listing.complete:
            yield self.limitation(listing.reason or "some listening ports could not be inspected")
        seen: set[tuple[str, int, int | None]] = set()
        for sock in sorted(listing.sockets, key=lambda s: (s.port, s.address)):
            found = classify(sock)
            key = (sock.proto, sock.port, sock.pid)
            if found is None or key in seen:
                continue
            seen.add(key)
            service, severity = found
            program = sock.process_name or "an unidentified program"
            local_only = severity is Severity.INFO
            reach = "only from this laptop itself" if local_only else "from other computers"
            yield self.finding(
                severity,
                f"{service} is accepting connections {reach} (port {sock.port})",
                subject=f"{sock.proto} {sock.address}:{sock.port} ({program})",
                detail=f"{program} is listening on port {sock.port}, used by {service}. "
                + (
                    ""
                    if local_only
                    else "If you did not set this up, someone may be able to connect "
                    "to this laptop and see or control it."
                ),
                confidence=Confidence.HIGH if sock.process_name else Confidence.MEDIUM,
                evidence={
                    "proto": sock.proto,
                    "address": sock.address,
                    "port": sock.port,
                    "pid": sock.pid,
                    "process": sock.process_name,
                    "service": service,
                },
                advice="If you did not turn this on, note the program and port. " + SAFETY_CAUTION,
                guidance="laptop.remote-access",
            )
