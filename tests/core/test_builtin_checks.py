"""The two core checks against fakes, and against the real machine (system tests)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import pytest
from digisafe.checks.remote_listeners import RemoteAccessListenersCheck, classify
from digisafe.checks.sessions import LoginSessionsCheck, is_remote

from digisafe.core.context import ListeningSocket, LoginSession
from digisafe.core.model import Severity, Status
from digisafe.core.registry import RegisteredCheck
from digisafe.core.runner import run_check
from tests.fakes import FakeNetwork, FakeSessions


def _run(check, ctx):
    return run_check(RegisteredCheck(check, "built-in"), ctx)


def test_remote_session_is_high_and_local_ones_are_not_reported(make_ctx) -> None:
    sessions = FakeSessions(
        [
            LoginSession("alice", "tty1", None, 1_700_000_000.0, 100),
            LoginSession("alice", "pts/0", ":0", None, 101),
            LoginSession("alice", "pts/1", "203.0.113.9", 1_700_000_100.0, 102),
        ]
    )
    result = _run(LoginSessionsCheck, make_ctx(sessions=sessions))
    assert result.status is Status.FINDINGS
    (finding,) = result.findings
    assert finding.severity is Severity.HIGH and "203.0.113.9" in finding.title
    assert finding.evidence["started"] == "2023-11-14T22:15:00Z"
    assert "0808 802 0300" in finding.advice


def test_two_users_at_once_is_low(make_ctx) -> None:
    sessions = FakeSessions([LoginSession("alice", "tty1"), LoginSession("bob", "tty2")])
    (finding,) = _run(LoginSessionsCheck, make_ctx(sessions=sessions)).findings
    assert finding.severity is Severity.LOW and finding.evidence["users"] == ["alice", "bob"]


def test_no_sessions_is_pass(make_ctx) -> None:
    assert _run(LoginSessionsCheck, make_ctx()).status is Status.PASS


@pytest.mark.parametrize(
    "host,remote",
    [("", False), (None, False), (":0", False), ("localhost", False), ("10.0.0.5", True), ("laptop.example", True)],
)
def test_is_remote(host, remote) -> None:
    assert is_remote(LoginSession("u", host=host)) is remote


def test_listeners_classified_by_port_and_reach() -> None:
    assert classify(ListeningSocket("tcp", "0.0.0.0", 3389)) == ("Windows Remote Desktop (RDP)", Severity.HIGH)
    assert classify(ListeningSocket("tcp", "::", 5905))[1] is Severity.HIGH
    assert classify(ListeningSocket("tcp", "127.0.0.1", 5900))[1] is Severity.INFO
    assert classify(ListeningSocket("tcp", "0.0.0.0", 22))[1] is Severity.MEDIUM
    assert classify(ListeningSocket("tcp", "0.0.0.0", 8080)) is None


def test_listeners_from_fake_network_with_partial_visibility(make_ctx) -> None:
    network = FakeNetwork(
        [
            ListeningSocket("tcp", "0.0.0.0", 7070, 55, "AnyDesk"),
            ListeningSocket("tcp", "::", 7070, 55, "AnyDesk"),  # same program on IPv6: one finding
            ListeningSocket("tcp", "0.0.0.0", 443, 9, "nginx"),
            ListeningSocket("tcp", "0.0.0.0", 22, None, None),
        ],
        complete=False,
        reason="the owner of 1 port was hidden",
    )
    result = _run(RemoteAccessListenersCheck, make_ctx(network=network))
    assert result.limitations == ("the owner of 1 port was hidden",)
    titles = [f.title for f in result.findings]
    assert len(titles) == 2
    anydesk = next(f for f in result.findings if f.evidence["port"] == 7070)
    assert anydesk.severity is Severity.HIGH and "AnyDesk" in anydesk.subject
    ssh = next(f for f in result.findings if f.evidence["port"] == 22)
    assert "an unidentified program" in ssh.subject


def _free_vnc_port() -> int:
    for port in range(5900, 5911):
        with socket.socket() as s:
            try:
                s.bind(("0.0.0.0", port))
                return port
            except OSError:
                continue
    pytest.skip("no free VNC port")


@pytest.mark.system
def test_real_listener_spawned_as_a_child_process_is_found() -> None:
    from digisafe.system import build_context

    port = _free_vnc_port()
    code = (
        f"import socket,time;s=socket.socket();s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1);"
        f"s.bind(('0.0.0.0',{port}));s.listen();print('ready',flush=True);time.sleep(30)"
    )
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "ready"
        ctx = build_context()
        result = _run(RemoteAccessListenersCheck, ctx)
        assert result.status is Status.FINDINGS, result
        mine = [f for f in result.findings if f.evidence["port"] == port]
        assert mine and mine[0].severity is Severity.HIGH
        if mine[0].evidence["pid"] is not None:
            assert mine[0].evidence["pid"] == child.pid
    finally:
        child.kill()
        child.wait()


@pytest.mark.system
def test_sessions_and_listeners_on_the_real_machine_never_error() -> None:
    from digisafe.system import build_context

    ctx = build_context()
    started = time.perf_counter()
    for check in (LoginSessionsCheck, RemoteAccessListenersCheck):
        result = _run(check, ctx)
        assert result.status in (Status.PASS, Status.FINDINGS, Status.SKIPPED), result
        assert all(f.check_id == check.id for f in result.findings)
    assert time.perf_counter() - started < 10  # a sanity bound, not a benchmark
