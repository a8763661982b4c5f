from __future__ import annotations

import json

import pytest

from digisafe.cli import main
from tests.monitoring.samples import CIM_CSV, PS_MACOS, TASKLIST_EN


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # no stored update: built-in indicators


def run(argv):
    with pytest.raises(SystemExit) as done:
        main(argv)
    return done.value.code


def test_from_cim_csv_finds_disguised_sentrypc(tmp_path, capsys):
    listing = tmp_path / "cim.csv"
    listing.write_bytes(CIM_CSV.encode("utf-16"))
    assert run(["processes", "--from", str(listing), "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    (result,) = report["results"]
    (finding,) = result["findings"]
    assert finding["severity"] == "critical" and finding["evidence"]["exe"] == "C:\\ProgramData\\spc\\csrss.exe"
    assert report["sources"]["listing"]["format"] == "cim-csv" and report["sources"]["indicators"]["version"]
    assert report["attachments"]["process_listing"]["platform"] == "windows"
    assert report["subject"]["kind"] == "listing" and report["subject"]["platform"] == "windows"
    assert "cim.csv" in report["subject"]["description"] and report["subject"]["source"]["format"] == "cim-csv"


def test_from_tasklist_known_tool_is_information_only(tmp_path, capsys):
    listing = tmp_path / "t.csv"
    listing.write_text(TASKLIST_EN.replace("spcviewer.exe", "TeamViewer.exe"), encoding="utf-8")
    assert run(["processes", "--from", str(listing), "--known", "TeamViewer", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "TeamViewer" in out and "matched by name only" in out


@pytest.mark.parametrize("fmt", ["table", "html"])
def test_from_ps_listing_in_other_formats_writes_private_file(tmp_path, fmt):
    listing = tmp_path / "ps.txt"
    listing.write_text(PS_MACOS)
    out = tmp_path / f"report.{fmt}"
    assert run(["processes", "--from", str(listing), "--format", fmt, "--output", str(out)]) == 1
    assert out.stat().st_mode & 0o777 == 0o600 and "TeamViewer" in out.read_text()


def test_bad_listing_is_one_line_exit_2_and_no_output_file(tmp_path, capsys):
    listing = tmp_path / "bad.csv"
    listing.write_text('"ProcessId","Name"\n"x","a.exe"\n')
    out = tmp_path / "r.json"
    assert run(["processes", "--from", str(listing), "--format", "json", "--output", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "bad.csv: line 2" in err and "Traceback" not in err
    assert not out.exists()


@pytest.mark.parametrize("text", ['{"process_listing": {"platform": "windows", "processes": []}}',
                                  "  PID USER     COMMAND         COMMAND\n",
                                  '"Image Name","PID","Session Name","Session#","Mem Usage"\n'])
def test_a_listing_with_no_processes_is_an_input_error_not_a_clean_result(tmp_path, capsys, text):
    """A capture cut short (only its header) looked at nothing: never "found nothing of concern", exit 0."""
    listing = tmp_path / "cut.txt"
    listing.write_text(text)
    assert run(["processes", "--from", str(listing), "--platform", "windows"]) == 2
    out, err = capsys.readouterr()
    assert "nothing of concern" not in out and "no processes" in err and err.count("\n") == 1


def test_missing_file_and_unknown_platform(tmp_path, capsys):
    assert run(["processes", "--from", str(tmp_path / "nope.csv")]) == 2
    assert "cannot read" in capsys.readouterr().err
    listing = tmp_path / "ps.txt"
    listing.write_text("  PID USER COMM ARGS\n  12 sam x x\n")
    assert run(["processes", "--from", str(listing)]) == 2
    assert "--platform" in capsys.readouterr().err
    assert run(["processes", "--from", str(listing), "--platform", "linux"]) == 0


def test_platform_without_from_is_a_usage_error(capsys):
    assert run(["processes", "--platform", "linux"]) == 2


def _cim_csv(rows) -> str:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(["ProcessId", "Name", "ExecutablePath", "CommandLine", "ParentProcessId"])
    for row in rows:
        writer.writerow([row.pid, row.name, row.exe or "", " ".join(row.cmdline), row.ppid or ""])
    return "#TYPE Selected.Microsoft.Management.Infrastructure.CimInstance\r\n" + buffer.getvalue()


def test_benign_windows_capture_end_to_end_raises_nothing(tmp_path, capsys):
    from tests.monitoring.samples import windows_benign

    listing = tmp_path / "benign.csv"
    listing.write_bytes(b"\xef\xbb\xbf" + _cim_csv(windows_benign()).encode("utf-8"))
    assert run(["processes", "--from", str(listing), "--format", "json", "--fail-on", "info"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["results"][0]["status"] == "pass" and report["results"][0]["findings"] == []
    assert len(report["attachments"]["process_listing"]["processes"]) == len(windows_benign())


def test_misspelt_known_name_is_noted_on_stderr(tmp_path, capsys):
    listing = tmp_path / "cim.csv"
    listing.write_text(CIM_CSV)
    assert run(["processes", "--from", str(listing), "--known", "SentryPC", "--known", "teamviwer"]) == 0
    captured = capsys.readouterr()
    assert "--known teamviwer: no product" in captured.err and "sentrypc" not in captured.err.lower()
    assert "marked as known" in captured.out


SARAH_TASKLIST = (
    '"Image Name","PID","Session Name","Session#","Mem Usage","Status","User Name","CPU Time","Window Title"\r\n'
    '"System Idle Process","0","Services","0","8 K","Unknown","NT AUTHORITY\\SYSTEM","12:01:02","N/A"\r\n'
    '"explorer.exe","4120","Console","1","142,004 K","Running","LAPTOP-7Q2\\Sarah","0:01:10","N/A"\r\n'
    '"TeamViewer.exe","5120","Console","1","12,004 K","Running","LAPTOP-7Q2\\Sarah","0:00:10","TeamViewer"\r\n'
)


@pytest.mark.parametrize("fmt", ["json", "table", "markdown", "html"])
def test_listing_identity_stays_out_unless_asked(tmp_path, capsys, fmt):
    listing = tmp_path / "tasklist.csv"
    listing.write_text(SARAH_TASKLIST, encoding="utf-8")
    assert run(["processes", "--from", str(listing), "--format", fmt]) == 1
    out = capsys.readouterr().out
    assert "TeamViewer" in out and "Sarah" not in out and "LAPTOP-7Q2" not in out
    if fmt in ("json", "markdown"):  # these show the evidence: the owner is still there, as a role
        assert ("<computer>\\\\<user>" if fmt == "json" else "<computer>\\<user>") in out
    assert run(["processes", "--from", str(listing), "--format", fmt, "--include-identity"]) == 1
    kept = capsys.readouterr().out
    assert fmt == "table" or ("LAPTOP-7Q2" in kept and "Sarah" in kept)  # the table shows neither evidence nor identity


def test_json_reads_back_with_from_and_keeps_its_capture_time(tmp_path, capsys):
    listing = tmp_path / "tasklist.csv"
    listing.write_text(SARAH_TASKLIST, encoding="utf-8")
    first = tmp_path / "first.json"
    assert run(["processes", "--from", str(listing), "--format", "json", "-o", str(first)]) == 1
    data = json.loads(first.read_text())
    block = data["attachments"]["process_listing"]
    assert data["schema_version"] == "2.0" and "process_listing" not in data  # only through Report.to_dict
    assert [r["username"] for r in block["processes"]][1:] == ["<computer>\\<user>"] * 2
    assert block["captured_at"] == data["subject"]["captured_at"]
    assert run(["processes", "--from", str(first), "--format", "json"]) == 1
    again = json.loads(capsys.readouterr().out)
    assert again["subject"]["captured_at"] == block["captured_at"]
    assert again["subject"]["source"]["format"] == "digisafe-json"
    assert [f["evidence"]["pid"] for f in again["results"][0]["findings"]] == [5120]


def test_a_previous_release_processes_report_reads_back(capsys):
    from pathlib import Path

    old = Path(__file__).parents[1] / "core" / "data" / "processes-1.0.json"
    assert json.loads(old.read_text())["process_listing"]["platform"] == "windows"  # the 1.0 shape, top level
    assert run(["report", str(old), "--format", "markdown"]) == 0
    assert "TeamViewer" in capsys.readouterr().out
    assert run(["processes", "--from", str(old), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["subject"]["kind"] == "listing" and data["subject"]["platform"] == "windows"
    assert "Sarah" not in json.dumps(data) and data["results"][0]["findings"][0]["evidence"]["pid"] == 5120


def test_platform_accepts_the_old_spelling(tmp_path, capsys):
    listing = tmp_path / "ps.txt"
    listing.write_text(PS_MACOS)
    assert run(["processes", "--from", str(listing), "--platform", "darwin", "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["subject"]["platform"] == "macos"
    assert run(["processes", "--from", str(listing), "--platform", "android"]) == 2
    assert "not Android" in capsys.readouterr().err
