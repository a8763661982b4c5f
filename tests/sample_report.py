"""One shared sample Report that every renderer is tested against."""

from __future__ import annotations

from digisafe.core.model import CheckResult, Confidence, Finding, Report, Severity, Status


def sample_report() -> Report:
    tv = Finding(
        check_id="DS-PROC-010",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        title="TeamViewer is running: someone may be able to see or control this laptop",
        subject="TeamViewer.exe (pid 4242)",
        detail="A remote-access tool is running. If you did not install it, someone else may use it.",
        evidence={
            "exe": r"C:\Program Files\TeamViewer\TeamViewer.exe",
            "sha256": "ab" * 32,
            "started": "2026-11-20T08:15:00Z",
            "note": "<script>alert('x')</script> | pipe",
        },
        advice="Do not uninstall it yet; record it and talk to an ISAC.",
        guidance="laptop.remote-access",
    )
    geo = Finding(
        check_id="DS-BRW-010",
        severity=Severity.MEDIUM,
        title="A website can see this laptop's location",
        subject="https://maps.example (Chrome, Person 1)",
        evidence={"setting": 1},
        guidance="location-sharing",
    )
    crit = Finding(
        check_id="DS-PROC-010",
        severity=Severity.CRITICAL,
        title="Covert stalkerware is running",
        subject="svchost.exe in C:\\Users\\Public",
        confidence=Confidence.MEDIUM,
    )
    info = Finding(
        check_id="DS-NET-010",
        severity=Severity.INFO,
        title="SSH is listening on this laptop only",
        subject="tcp 127.0.0.1:22",
    )
    low = Finding(
        check_id="DS-SESS-010", severity=Severity.LOW, title="2 user accounts are logged in", subject="alice, bob"
    )
    results = (
        CheckResult("DS-BRW-010", "Browser site permissions", "location", Status.FINDINGS, (geo,), duration_s=0.01),
        CheckResult(
            "DS-MAC-010", "Find My Mac", "location", Status.NOT_APPLICABLE, reason="runs on macOS"
        ),
        CheckResult(
            "DS-NET-010",
            "Remote-access listeners",
            "remote-access",
            Status.FINDINGS,
            (info,),
            limitations=("the program behind 1 listening port(s) could not be identified",),
        ),
        CheckResult(
            "DS-PHOTO-010",
            "Photos revealing location",
            "photos",
            Status.ERROR,
            reason="PermissionError: [Errno 13] Permission denied: '/home/x/Pictures'",
        ),
        CheckResult(
            "DS-PROC-010", "Monitoring software running", "monitoring", Status.FINDINGS, (tv, crit), duration_s=0.2
        ),
        CheckResult("DS-SESS-010", "Login sessions", "remote-access", Status.FINDINGS, (low,)),
        CheckResult("DS-X-ACME-010", "Acme plugin check", "other", Status.PASS, origin="plugin acme 1.0"),
    )
    return Report(
        tool_version="0.1.0",
        started_at="2026-11-24T10:00:00Z",
        finished_at="2026-11-24T10:00:02Z",
        platform={"system": "windows", "release": "11", "machine": "AMD64", "python": "3.12.1"},
        results=results,
        sources={"indicators": {"version": "builtin-2026.11", "warning": ""}},
    )
