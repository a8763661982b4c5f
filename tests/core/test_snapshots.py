"""Collect, then judge: DS-NET-010 and DS-SESS-010 judged from a socket listing and a session list
built by hand (their snapshots are the providers' own types), with no Context."""

from __future__ import annotations

from digisafe.checks.remote_listeners import RemoteAccessListenersCheck
from digisafe.checks.sessions import LoginSessionsCheck

from digisafe.core.context import ListeningSocket, LoginSession, SocketListing
from digisafe.core.model import Finding, Limitation, Severity


def split(items):
    items = list(items)
    return [i for i in items if isinstance(i, Finding)], [i.message for i in items if isinstance(i, Limitation)]


def test_listeners_judged_from_a_listing():
    listing = SocketListing(
        (ListeningSocket("tcp", "0.0.0.0", 7070, 55, "AnyDesk"), ListeningSocket("tcp", "::", 7070, 55, "AnyDesk"),
         ListeningSocket("tcp", "127.0.0.1", 5900, None, None), ListeningSocket("tcp", "0.0.0.0", 8080, 9, "web")),
        complete=False, reason="other users' sockets are hidden without administrator rights",
    )  # fmt: skip
    findings, limits = split(RemoteAccessListenersCheck().judge(listing))
    assert [(f.evidence["port"], f.severity) for f in findings] == [(5900, Severity.INFO), (7070, Severity.HIGH)]
    assert "an unidentified program" in findings[0].detail
    assert limits == ["other users' sockets are hidden without administrator rights"]


def test_sessions_judged_from_a_list():
    sessions = [LoginSession("sam", "tty2", None, 1_700_000_000.0), LoginSession("sam", "pts/3", "203.0.113.9"),
                LoginSession("alex", "tty3")]  # fmt: skip
    findings, limits = split(LoginSessionsCheck().judge(sessions))
    assert [f.severity for f in findings] == [Severity.HIGH, Severity.LOW] and limits == []
    assert findings[0].evidence["host"] == "203.0.113.9" and findings[1].evidence["users"] == ["alex", "sam"]
    assert split(LoginSessionsCheck().judge([LoginSession("sam", "tty2")])) == ([], [])
