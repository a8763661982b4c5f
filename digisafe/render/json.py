"""JSON for scripted sessions: ``Report.to_dict()`` as is. Schema: docs/report-schema.md."""

from __future__ import annotations

import json as _json

from digisafe.core.model import Report


def render(report: Report) -> str:
    return _json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"
