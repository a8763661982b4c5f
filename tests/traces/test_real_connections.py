"""The real open-connection listing (psutil), on this machine: a connection we open ourselves to
127.0.0.1 is listed with its remote address, port and our own process."""

from __future__ import annotations

import os
import socket

import pytest


@pytest.mark.system
def test_our_own_loopback_connection_is_listed():
    from digisafe.system.processes import PsutilNetwork, PsutilProcesses

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    client = socket.create_connection(server.getsockname())
    accepted, _ = server.accept()
    try:
        listing = PsutilNetwork(PsutilProcesses()).connections()
        port = server.getsockname()[1]
        ours = [c for c in listing.connections if c.remote == "127.0.0.1" and c.port == port]
        if not ours and not listing.complete:
            pytest.skip(f"this system hides connections: {listing.reason}")
        assert ours and ours[0].pid in (os.getpid(), None)
    finally:
        for s in (accepted, client, server):
            s.close()
