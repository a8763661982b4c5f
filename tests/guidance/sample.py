"""A realistic sample Report built from digisafe.core.model types (no checks are run)."""

from __future__ import annotations

from digisafe.core.model import CheckResult, Confidence, Finding, Report, Severity, Status


def _finding(check_id, severity, title, subject, evidence, guidance, confidence=Confidence.HIGH):
    return Finding(check_id=check_id, severity=severity, confidence=confidence, title=title, subject=subject,
                   detail="", evidence=evidence, advice="Record it first; talk to an ISAC.", guidance=guidance)


def sample_report() -> Report:
    remote = _finding("DS-NET-010", Severity.HIGH, "A remote-control program is waiting for connections (AnyDesk)",
                      "anydesk on port 7070", {"process": "anydesk", "pid": 4242, "port": 7070,
                                               "path": "/usr/bin/anydesk"}, "laptop.remote-access")
    session = _finding("DS-SESS-010", Severity.HIGH, "Someone is logged in to this laptop from another computer "
                       "(203.0.113.9)", "sam from 203.0.113.9", {"user": "sam", "host": "203.0.113.9",
                                                                 "started": "2026-11-23T21:14:00Z"},
                       "laptop.remote-sessions")
    keylog = _finding("DS-PROC-010", Severity.CRITICAL, "Monitoring software is running: a known stalkerware "
                      "name (spyagent)", "spyagent", {"process": "spyagent", "sha256": "ab" * 32,
                                                      "path": "/home/sam/.local/share/.sys/spyagent"}, "laptop")
    photos = _finding("DS-PHOTO-010", Severity.MEDIUM, "12 photos show where they were taken",
                      "~/Pictures", {"count": 12, "complete": True, "fingerprint": None,
                                     "examples": [{"path": "~/Pictures/IMG_2041.jpg",
                                                   "coordinates": [51.5007, -0.1246]}]}, "photos", Confidence.HIGH)
    browser = _finding("DS-BRW-020", Severity.MEDIUM, "Chrome is signed in and syncing to an account you may "
                       "not own", "Chrome profile Default", {"account": "alex.example@gmail.com"},
                       "accounts.browser-sync")
    unknown = _finding("DS-X-ACME-010", Severity.LOW, "Plugin finding with an unknown guidance key \u2192 test",
                       "caf\u00e9 \u4e2d", {"note": "\u201cquoted\u201d"}, "no-such-topic.thing", Confidence.LOW)
    results = (
        CheckResult("DS-NET-010", "Remote-access services listening", "remote-access", Status.FINDINGS, (remote,)),
        CheckResult("DS-SESS-010", "Login sessions", "remote-access", Status.FINDINGS, (session,)),
        CheckResult("DS-PROC-010", "Monitoring processes", "monitoring", Status.FINDINGS, (keylog,)),
        CheckResult("DS-PHOTO-010", "Photos revealing location", "photos", Status.FINDINGS, (photos,)),
        CheckResult("DS-BRW-020", "Browser sync accounts", "accounts", Status.FINDINGS, (browser,)),
        CheckResult("DS-X-ACME-010", "Acme plugin check", "other", Status.FINDINGS, (unknown,)),
        CheckResult("DS-INPUT-010", "Keylogging exposure", "monitoring", Status.SKIPPED,
                    reason="needs administrator rights: run again with sudo, or check /dev/input by hand"),
        CheckResult("DS-BRW-030", "Browser extensions", "monitoring", Status.ERROR,
                    reason="Firefox profile database is locked"),
        CheckResult("DS-LOC-010", "Linux location services", "location", Status.PASS,
                    limitations=("could not read other users' settings",)),
        CheckResult("DS-MAC-030", "macOS sharing", "remote-access", Status.NOT_APPLICABLE,
                    reason="runs on macOS"),
        CheckResult("DS-WIN-030", "Windows Remote Desktop", "remote-access", Status.NOT_APPLICABLE,
                    reason="runs on Windows"),
        CheckResult("DS-ACCT-010", "Other local accounts", "accounts", Status.PASS),
    )
    return Report(tool_version="0.1.0", started_at="2026-11-24T02:10:00+00:00",
                  finished_at="2026-11-24T02:10:09+00:00",
                  platform={"system": "Linux", "release": "6.8", "machine": "x86_64", "python": "3.11.7"},
                  results=results)
