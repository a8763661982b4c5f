from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digisafe.errors import InputError
from digisafe.listings import JSON_KEY, ListingError, listing_block, parse_listing
from tests.monitoring.samples import CIM_CSV, PS_MACOS, TASKLIST_DE, TASKLIST_EN


def test_tasklist_english_names_users_no_paths():
    listing = parse_listing(TASKLIST_EN.encode("cp437"), "t.csv")
    assert listing.format == "tasklist" and listing.platform == "windows" and not listing.has_paths
    by_pid = {p.pid: p for p in listing.processes}
    assert by_pid[4120].name == "explorer.exe" and by_pid[4120].username == "LAPTOP\\sam"
    assert by_pid[612].username is None  # N/A
    assert by_pid[5120].name == "spcviewer.exe"
    assert all(p.exe is None for p in listing.processes)


def test_tasklist_german_read_by_position_in_utf16_from_powershell_redirect():
    data = TASKLIST_DE.encode("utf-16")  # `tasklist /v /fo csv > x.csv` in Windows PowerShell: UTF-16 + BOM
    listing = parse_listing(data, "de.csv")
    assert [(p.pid, p.name, p.username) for p in listing.processes] == [
        (4120, "explorer.exe", "LAPTOP\\sam"),
        (6001, "TeamViewer.exe", "LAPTOP\\sam"),
    ]


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode("utf-8"),
        lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
        lambda t: t.encode("utf-16"),
        lambda t: t.encode("utf-16-le"),  # no BOM
        lambda t: t.encode("utf-16-be"),
    ],
)
def test_cim_csv_all_encodings_with_type_line(encode):
    listing = parse_listing(encode(CIM_CSV), "cim.csv")
    assert listing.format == "cim-csv" and listing.has_paths
    spc = [p for p in listing.processes if p.pid == 7712][0]
    assert spc.exe == "C:\\ProgramData\\spc\\csrss.exe"
    assert spc.cmdline == ('"C:\\ProgramData\\spc\\csrss.exe" -k run, quietly',)
    chrome = [p for p in listing.processes if p.pid == 6420][0]
    assert "--lang=en-GB" in chrome.cmdline[0]  # a quoted newline inside the command line
    assert [p.exe for p in listing.processes if p.pid in (0, 4)] == [None, None]


def test_cim_csv_without_type_line_and_extra_columns():
    text = (
        '"ProcessId","Name","ExecutablePath","CommandLine","ParentProcessId","CreationDate"\n'
        '"10","a.exe","C:\\a.exe","a.exe","4","20241001120000.000000+060"\n'
    )
    row = parse_listing(text.encode(), "x").processes[0]
    assert row.ppid == 4 and row.create_time == pytest.approx(1727780400.0)
    iso = text.replace("20241001120000.000000+060", "2024-10-01T11:00:00.1234567Z")
    assert parse_listing(iso.encode(), "x").processes[0].create_time == pytest.approx(1727780400.0)
    local = text.replace("20241001120000.000000+060", "10/1/2024 12:00:00 PM")  # culture-specific: not guessed
    assert parse_listing(local.encode(), "x").processes[0].create_time is None


def test_cim_csv_with_culture_semicolons():
    text = (
        '"ProcessId";"Name";"ExecutablePath";"CommandLine"\r\n'
        '"7712";"csrss.exe";"C:\\ProgramData\\spc\\csrss.exe";"a, b"\r\n'
    )
    (row,) = parse_listing(text.encode("utf-8"), "de.csv").processes
    assert row.exe == "C:\\ProgramData\\spc\\csrss.exe" and row.cmdline == ("a, b",)


def test_ps_macos_comm_with_spaces_and_platform_guess():
    listing = parse_listing(PS_MACOS.encode(), "mac.txt")
    assert listing.format == "ps" and listing.platform == "darwin"
    chrome = [p for p in listing.processes if p.pid == 912][0]
    assert chrome.exe == "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome"
    assert chrome.name == "Google Chrome" and chrome.cmdline[-1] == "--flag"
    ws = [p for p in listing.processes if p.pid == 380][0]  # comm overflowed its column
    assert ws.name == "WindowServer" and ws.cmdline[-1] == "-daemon"


@pytest.mark.skipif(shutil.which("ps") is None, reason="no ps here")
def test_real_ps_capture_of_this_machine():
    out = subprocess.run(["ps", "-axo", "pid,user,comm,args"], capture_output=True, check=True).stdout
    listing = parse_listing(out, "ps.txt")
    assert listing.format == "ps"
    assert len(listing.processes) == len(out.decode().strip().splitlines()) - 1
    assert all(p.pid >= 0 and p.name for p in listing.processes)


def test_own_json_round_trip():
    rows = parse_listing(CIM_CSV.encode(), "x").processes
    text = json.dumps({"schema_version": "1.0", JSON_KEY: listing_block(rows, "windows", "2026-01-01T00:00:00Z")})
    back = parse_listing(text.encode(), "r.json")
    assert back.format == "digisafe-json" and back.platform == "windows" and back.processes == rows


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\n\n  \n", "empty"),
        (b"hello world\n", "line 1: not a process listing"),
        (b"\x00\x01\x02\x03binary" * 10, "binary"),
        (b'"ProcessId","Name"\n"x","a.exe"\n', "line 2: ProcessId 'x' is not a number"),
        (b'"ProcessId","Name"\n"1","a.exe","extra"\n', "line 2: 3 columns"),
        (b"  PID USER COMM ARGS\n  12 sam /bin/x /bin/x\nnot a row\n", "line 3"),
        (b'{"schema_version": "1.0"}', "process_listing"),
        (b'{"process_listing": {"processes": [{"pid": "1"}]}}', "processes[1]"),
        (b"{broken", "line 1: broken JSON"),
        (b"\xff\xfe" + "é".encode("utf-16-le") + b"\x00\xd8", "not valid UTF-16"),
    ],
)
def test_bad_input_is_one_clear_error_naming_file_and_line(data, message):
    with pytest.raises(ListingError) as info:
        parse_listing(data, "capture.csv")
    text = str(info.value)
    assert text.startswith("capture.csv: ") and message in text and "\n" not in text
    assert isinstance(info.value, InputError)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_give_a_listing_or_a_clean_error(data):
    try:
        listing = parse_listing(data, "fuzz")
    except ListingError:
        return
    assert all(isinstance(p.pid, int) for p in listing.processes)


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=200))
def test_any_text_after_a_cim_header_gives_rows_or_a_clean_error(body):
    data = ('"ProcessId","Name","ExecutablePath","CommandLine"\n' + body).encode("utf-8")
    try:
        parse_listing(data, "fuzz")
    except ListingError:
        pass
