"""A phone audit's report speaks about the phone: it said "does not prove that this laptop is safe" and
"someone may be able to watch or control this laptop" in every format."""

from __future__ import annotations

import json

import pytest

from tests.android.phones import App, Phone

SPY = App("com.android.system.sync", "3.2", installer=None, launcher=False, accessibility=".CoreService",
          granted=("android.permission.ACCESS_FINE_LOCATION", "android.permission.READ_SMS"))


@pytest.mark.parametrize("fmt", ["table", "markdown", "html", "json"])
def test_phone_report_says_phone_not_laptop(run, fake_adb, fmt):
    server = fake_adb(Phone(apps=[SPY]).fake())
    result = run(server, "phone", "audit", "--format", fmt)
    assert result.exit_code == 1, result.output
    if fmt == "json":  # stdout then stderr: the report is the first JSON document
        report, _ = json.JSONDecoder().raw_decode(result.output[result.output.index("{"):])
        text = json.dumps(report["notices"])
    else:
        text = " ".join(result.output.split())  # the table wraps to the terminal
    assert "does not prove that this phone is safe" in text
    assert "laptop" not in text.replace("laptop and", "")  # no standing words about a laptop
