from __future__ import annotations

from digisafe.core.model import CheckResult, Finding, Report, Severity, Status
from digisafe.core.redact import redact_identity


def _report(*findings: Finding, reason: str = "") -> Report:
    result = CheckResult(
        "DS-X-010",
        "t",
        "other",
        Status.FINDINGS,
        findings,
        reason=reason,
        limitations=("could not read /home/alice/.ssh",),
    )
    return Report("0.1", "a", "b", {}, (result,))


def test_home_user_and_computer_names_are_redacted_everywhere() -> None:
    f = Finding(
        "DS-X-010",
        Severity.HIGH,
        "alice's key on laptop-alice",
        subject="/home/alice/.ssh/authorized_keys",
        detail="owned by alice on laptop-alice.local",
        evidence={
            "path": "/home/alice/x",
            "user": "alice",
            "nested": ["ALICE", {"h": "laptop-alice"}],
            "other": "/home/alicex/y",
            "malice": "malice",
            "uid": 1000,
        },
    )
    out = redact_identity(_report(f), "laptop-alice.local", "alice", "/home/alice").results[0]
    g = out.findings[0]
    assert g.title == "<user>'s key on <computer>"
    assert g.subject == "~/.ssh/authorized_keys"
    assert g.detail == "owned by <user> on <computer>"
    assert g.evidence == {
        "path": "~/x",
        "user": "<user>",
        "nested": ["<user>", {"h": "<computer>"}],
        "other": "/home/alicex/y",
        "malice": "malice",
        "uid": 1000,
    }
    assert out.limitations == ("could not read ~/.ssh",)


def test_windows_home_in_either_spelling() -> None:
    f = Finding("DS-X-010", Severity.LOW, "t", evidence={"exe": r"c:\users\Bob\AppData\x.exe", "b": "C:/Users/Bob"})
    g = redact_identity(_report(f), "DESKTOP-1", "Bob", r"C:\Users\Bob").results[0].findings[0]
    assert g.evidence == {"exe": r"~\AppData\x.exe", "b": "~"}


def test_short_user_names_are_left_alone_but_home_is_not() -> None:
    f = Finding("DS-X-010", Severity.LOW, "a file", subject="/home/al/a")
    g = redact_identity(_report(f), "pc", "al", "/home/al").results[0].findings[0]
    assert g.title == "a file" and g.subject == "~/a"
