"""A report long enough to span several printed pages: findings with raw evidence (snake_case
keys, booleans, null, lists, an ISO date, an XML entity left in a place name shown twice), checks
to do by hand, checks for other systems, and many that found nothing."""

from __future__ import annotations

from digisafe.core.model import CheckResult, Finding, Report, Severity, Status
from tests.sample_report import sample_report

BY_HAND = ("needs administrator rights: open System Settings > Privacy & Security and look at every app "
           "listed there by hand")
LONG_PATH = "/home/x/.config/some/very/long/path/that/goes/on/and/on/and/on/{n}/file-with-a-long-name.plist"


def _finding(check_id: str, n: int) -> Finding:
    return Finding(
        check_id, Severity.MEDIUM, f"Something medium number {n} was found on this laptop",
        subject=LONG_PATH.format(n=n),
        evidence={"password_sign_in": True, "groups": ["sudo", "adm"], "last_seen": "2026-11-20T08:15:00Z",
                  "place": ["St Mary&#39;s School", "St Mary's School"], "note": None, "sha256": "ab" * 32})


def big_report() -> Report:
    base = sample_report()
    results = list(base.results)
    for n in range(1, 40):
        check_id = f"DS-T{n:02d}-010"
        if n % 5 == 0:
            title = f"A check with a longer title number {n} about remote access and location"
            results.append(CheckResult(check_id, title, "other", Status.SKIPPED, reason=BY_HAND))
        elif n % 7 == 0:
            results.append(CheckResult(check_id, f"Check number {n}", "other", Status.FINDINGS,
                                       (_finding(check_id, n),)))
        elif n % 11 == 0:
            results.append(CheckResult(check_id, f"Check {n} for Windows", "other", Status.NOT_APPLICABLE,
                                       reason="runs on Windows"))
        else:
            title = f"Check number {n}: something ordinary that is looked at"
            results.append(CheckResult(check_id, title, "other", Status.PASS))
    return Report(**{**base.__dict__, "results": tuple(results)})
