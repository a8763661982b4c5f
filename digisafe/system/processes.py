"""Processes, listening sockets and login sessions from psutil (imported on first use)."""

from __future__ import annotations

from typing import Any, Sequence

from digisafe.core.context import (
    ConnectionListing,
    ListeningSocket,
    LoginSession,
    ProcessInfo,
    RemoteConnection,
    SocketListing,
)


class PsutilProcesses:
    """The process table, read once per audit (one Context = one audit): several checks need it,
    and reading it costs 80-190 ms on a busy laptop."""

    def __init__(self) -> None:
        self._cached: list[ProcessInfo] | None = None

    def processes(self) -> Sequence[ProcessInfo]:
        if self._cached is None:
            self._cached = self._read()
        return list(self._cached)

    @staticmethod
    def _read() -> list[ProcessInfo]:
        import psutil

        found = []
        attrs = ["pid", "ppid", "name", "exe", "cmdline", "username", "create_time"]
        for proc in psutil.process_iter(attrs, ad_value=None):
            info = proc.info
            found.append(
                ProcessInfo(
                    pid=info["pid"],
                    ppid=info.get("ppid"),
                    name=info.get("name") or "",
                    exe=info.get("exe") or None,
                    cmdline=tuple(info.get("cmdline") or ()),
                    username=info.get("username"),
                    create_time=info.get("create_time"),
                )
            )
        return found


def _listening_from(pairs, names: dict[int, str]) -> list[ListeningSocket]:  # noqa: ANN001
    """``pairs`` are (psutil connection, owning pid or None)."""
    import socket

    found = []
    for c, pid in pairs:
        is_tcp = c.type == socket.SOCK_STREAM
        if is_tcp and c.status != "LISTEN":
            continue
        if not is_tcp and c.raddr:
            continue  # a connected UDP socket is not a server
        if not c.laddr:
            continue
        found.append(
            ListeningSocket(
                proto="tcp" if is_tcp else "udp",
                address=c.laddr.ip,
                port=c.laddr.port,
                pid=pid,
                process_name=names.get(pid) if pid else None,
            )
        )
    return found


class PsutilNetwork:
    """Listening sockets; program names come from the audit's one reading of the process table."""

    def __init__(self, processes: PsutilProcesses | None = None) -> None:
        self._processes = processes or PsutilProcesses()

    def connections(self) -> ConnectionListing:
        return open_connections(self._processes)

    def listening(self) -> SocketListing:
        import psutil

        names = {p.pid: p.name for p in self._processes.processes()}
        try:
            sockets = _listening_from(((c, c.pid) for c in psutil.net_connections(kind="inet")), names)
        except psutil.AccessDenied:
            # NOTE: macOS (and some hardened Linux) refuse the system-wide table without root; fall
            # back to the sockets of processes we may inspect, and say the listing is partial.
            conns = _own_process_connections()
            return SocketListing(tuple(_listening_from(conns, names)), complete=False, reason=_OWN_ONLY)
        unowned = sum(1 for s in sockets if s.pid is None)
        if unowned:
            from digisafe.system import is_admin

            why = (
                "they may belong to the system kernel or to a container"
                if is_admin()
                else "they belong to other users; run as administrator to see which programs they are"
            )
            return SocketListing(
                tuple(sockets),
                complete=False,
                reason=f"the program behind {unowned} listening port(s) could not be identified ({why})",
            )
        return SocketListing(tuple(sockets))


def _connections_from(pairs, names: dict[int, str]) -> list[RemoteConnection]:  # noqa: ANN001
    """Connections with a remote end (established TCP, connected UDP); ``pairs`` as above."""
    found = []
    for c, pid in pairs:
        if not c.raddr:
            continue
        found.append(RemoteConnection(c.raddr.ip, c.raddr.port, pid, names.get(pid) if pid else None, c.status or ""))
    return found


def open_connections(processes: PsutilProcesses) -> ConnectionListing:
    """Every open connection to another computer, read-only (psutil.net_connections)."""
    import psutil

    names = {p.pid: p.name for p in processes.processes()}
    try:
        return ConnectionListing(tuple(_connections_from(((c, c.pid) for c in psutil.net_connections("inet")), names)))
    except psutil.AccessDenied:
        conns = _own_process_connections()
        return ConnectionListing(tuple(_connections_from(conns, names)), complete=False, reason=_OWN_ONLY)


_OWN_ONLY = "only this user's programs could be inspected; run as administrator to see all"


def _own_process_connections() -> list[tuple[Any, int]]:
    """(connection, pid) of every process we may inspect: the fallback when the system-wide table is refused."""
    import psutil

    conns: list[tuple[Any, int]] = []
    for proc in psutil.process_iter():
        try:
            conns.extend((c, proc.pid) for c in proc.net_connections(kind="inet"))
        except (psutil.AccessDenied, psutil.NoSuchProcess, psutil.ZombieProcess):
            continue
    return conns


class PsutilSessions:
    def sessions(self) -> Sequence[LoginSession]:
        import psutil

        return [
            LoginSession(user=u.name, terminal=u.terminal, host=u.host or None, started=u.started, pid=u.pid)
            for u in psutil.users()
        ]
