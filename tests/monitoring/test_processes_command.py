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
    assert report["process_listing"]["platform"] == "windows"


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
    assert len(report["process_listing"]["processes"]) == len(windows_benign())


def test_misspelt_known_name_is_noted_on_stderr(tmp_path, capsys):
    listing = tmp_path / "cim.csv"
    listing.write_text(CIM_CSV)
    assert run(["processes", "--from", str(listing), "--known", "SentryPC", "--known", "teamviwer"]) == 0
    captured = capsys.readouterr()
    assert "--known teamviwer: no product" in captured.err and "sentrypc" not in captured.err.lower()
    assert "marked as known" in captured.out
