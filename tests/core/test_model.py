from __future__ import annotations

import json

import pytest

from digisafe.core.model import Confidence, Finding, Report, ReportFormatError, Severity, sort_findings
from tests.sample_report import sample_report


def test_severity_and_confidence_are_ordered() -> None:
    assert Severity.INFO < Severity.LOW < Severity.MEDIUM < Severity.HIGH < Severity.CRITICAL
    assert max([Severity.LOW, Severity.CRITICAL, Severity.MEDIUM]) is Severity.CRITICAL
    assert Confidence.LOW < Confidence.HIGH
    assert Severity.parse(" High ") is Severity.HIGH
    with pytest.raises(ValueError, match="choose from"):
        Severity.parse("severe")


def test_report_round_trips_through_json() -> None:
    report = sample_report()
    data = json.loads(json.dumps(report.to_dict()))
    again = Report.from_dict(data)
    assert again.to_dict() == report.to_dict()
    assert data["summary"]["by_severity"]["high"] == 1 and data["summary"]["findings"] == 4
    assert data["summary"]["error"] == 1 and data["summary"]["not_applicable"] == 1 and data["summary"]["skipped"] == 0
    assert "identity" not in data


def test_finding_evidence_is_made_json_safe_and_frozen() -> None:
    f = Finding("DS-X-010", Severity.LOW, "t", evidence={"path": __import__("pathlib").Path("/x"), "n": (1, 2)})
    assert f.evidence == {"path": "/x", "n": [1, 2]}
    with pytest.raises(AttributeError):
        f.title = "other"  # type: ignore[misc]


@pytest.mark.parametrize(
    "data,message",
    [
        ([], "not a digisafe report"),
        ({"schema_version": "9.0"}, "not supported"),
        ({"schema_version": "1.0", "tool": {"version": "1"}}, "damaged"),
        (
            {
                "schema_version": "1.0",
                "tool": {"version": "1"},
                "started_at": "a",
                "finished_at": "b",
                "results": [{"check_id": "X", "status": "bogus"}],
            },
            "damaged",
        ),
    ],
)
def test_damaged_reports_are_refused_with_one_error(data, message) -> None:
    with pytest.raises(ReportFormatError, match=message):
        Report.from_dict(data)


def test_sort_findings_puts_the_worst_first() -> None:
    ordered = sort_findings(sample_report().findings)
    assert [f.severity for f in ordered] == sorted((f.severity for f in ordered), reverse=True)
    assert ordered[0].severity is Severity.CRITICAL
