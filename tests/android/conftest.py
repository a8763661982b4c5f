from __future__ import annotations

import pytest

from tests.android.fakeadb import FakeAdbServer


@pytest.fixture
def fake_adb():
    """fake_adb(*phones) starts a fake adb server on 127.0.0.1; it is stopped after the test, and the
    test fails if anything that could change a phone was requested."""
    servers: list[FakeAdbServer] = []

    def start(*phones):
        server = FakeAdbServer(phones).__enter__()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
    for server in servers:
        server.assert_read_only()
