from __future__ import annotations

from dataclasses import dataclass

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


@dataclass
class Result:
    exit_code: int
    output: str  # stdout and stderr


@pytest.fixture
def run(monkeypatch, capsys):
    """run(server, *args, env=...) runs digisafe's real entry point (main) against the fake server."""

    def invoke(server, *args, env=None):
        monkeypatch.delenv("ANDROID_SERIAL", raising=False)
        full = {"ANDROID_ADB_SERVER_PORT": str(server.port), "ANDROID_ADB_SERVER_HOST": "127.0.0.1", **(env or {})}
        for key, value in full.items():
            monkeypatch.setenv(key, value)
        from digisafe.cli import main

        with pytest.raises(SystemExit) as exc:
            main(list(args))
        out, err = capsys.readouterr()
        return Result(exc.value.code, out + err)

    return invoke
