"""`--log LOGDIR` on the audit session: the JSON report goes, encrypted, into the incident log."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from digisafe.core.errors import InputError
from digisafe.core.session import SessionOptions, run_session
from digisafe.listings.subject import ListingSubject
from digisafe.records.reader import UnlockedLog
from digisafe.records.store import LogStore
from tests.records.conftest import PASSPHRASE

LISTING = Path(__file__).parent.parent / "monitoring" / "listings" / "ubuntu2404_ps.txt"


def test_session_adds_its_json_report_to_the_log(log_dir, tmp_path) -> None:
    out = tmp_path / "report.json"
    run_session(ListingSubject(LISTING), SessionOptions(fmt="json", output=out, quiet=True, log=log_dir))
    with LogStore.open(log_dir) as store:
        log = UnlockedLog.unlock(store, PASSPHRASE)
        record = log.record(1)
        data = io.BytesIO()
        log.write_attachment(record, data)
    assert record.data["source"] == "digisafe audit"
    assert record.data["name"].startswith("listing-report-") and record.data["name"].endswith(".json")
    assert "ubuntu2404_ps.txt" in record.data["note"]
    assert json.loads(data.getvalue()) == json.loads(out.read_text())


def test_a_missing_log_is_refused_before_the_audit_runs(tmp_path) -> None:
    out = tmp_path / "report.json"
    with pytest.raises(InputError, match="no log in"):
        run_session(ListingSubject(LISTING), SessionOptions(fmt="json", output=out, quiet=True,
                                                            log=tmp_path / "nowhere"))
    assert not out.exists()


@pytest.mark.system
def test_audit_command_log_option(log_dir, run) -> None:
    done = run("audit", "--only", "DS-SESS-010", "--format", "json", "--log", str(log_dir))
    assert done.returncode in (0, 1, 4), done.stderr
    assert "Report added to the incident log as #1" in done.stderr
    with LogStore.open(log_dir) as store:
        assert [r.kind for r in store.rows()] == ["attachment"]
