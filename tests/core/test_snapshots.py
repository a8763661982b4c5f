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


def test_every_built_in_check_judges_a_snapshot_of_its_own():
    """Collect, then judge: every built-in check has a judge() besides run(), and no check module
    reads the machine itself (the grep of issue 9, as a test)."""
    import inspect
    import re
    from pathlib import Path

    import digisafe.checks as package
    from digisafe.checks import BUILTIN_CHECKS

    for cls in BUILTIN_CHECKS:
        assert callable(getattr(cls, "judge", None)), f"{cls.id} has no judge()"
        assert "judge" in vars(cls), f"{cls.id} inherits judge() instead of defining it"
        assert list(inspect.signature(cls.judge).parameters)[0] == "self", cls.id
        assert len(inspect.signature(cls.judge).parameters) >= 2, f"{cls.id}: judge() takes no snapshot"
    forbidden = re.compile(r"psutil|subprocess|winreg|sys\.platform|ctx\.platform ==|platform ==")
    for module in Path(package.__file__).parent.glob("*.py"):
        found = forbidden.search(module.read_text(encoding="utf-8"))
        assert found is None, f"{module.name}: {found.group(0) if found else ''}"
