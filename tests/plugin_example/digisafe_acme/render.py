"""An example report format: one CSV line per finding."""

from __future__ import annotations

import csv
import io


def render(report) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["check", "severity", "title"])
    for finding in report.findings:
        writer.writerow([finding.check_id, finding.severity.value, finding.title])
    return out.getvalue()
