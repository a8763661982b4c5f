# ruff: noqa: E501
from __future__ import annotations

import json
import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digisafe.core.errors import InputError
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
    assert listing.format == "ps" and listing.platform == "macos"
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


# Plain `tasklist /v` as cmd.exe prints it (a table; the '=' rule gives the column widths).
TASKLIST_TABLE = """
Image Name                     PID Session Name        Session#    Mem Usage Status          User Name                                              CPU Time Window Title
========================= ======== ================ =========== ============ =============== ================================================== ============ ========================================================================
System Idle Process              0 Services                   0          8 K Unknown         NT AUTHORITY\\SYSTEM                                     12:01:02 N/A
Google Chrome Helper (Ren     7120 Console                    1     52,004 K Running         LAPTOP\\sam                                               0:00:10 N/A
TeamViewer.exe                6001 Console                    1     52,000 K Running         LAPTOP\\sam                                               0:00:10 TeamViewer Panel, connected
"""


def test_tasklist_table_without_fo_csv():
    listing = parse_listing(TASKLIST_TABLE.encode("cp437"), "t.txt")
    assert listing.format == "tasklist-table" and listing.platform == "windows"
    assert [(p.pid, p.name, p.username) for p in listing.processes] == [
        (0, "System Idle Process", "NT AUTHORITY\\SYSTEM"),
        (7120, "Google Chrome Helper (Ren", "LAPTOP\\sam"),
        (6001, "TeamViewer.exe", "LAPTOP\\sam"),
    ]


def test_tasklist_csv_without_header_nh():
    body = TASKLIST_EN.split("\r\n", 1)[1]
    listing = parse_listing(body.encode(), "nh.csv")
    assert listing.format == "tasklist" and [p.pid for p in listing.processes] == [0, 612, 4120, 5120]


def test_wmic_csv_utf16_with_node_column_and_dmtf_dates():
    # `wmic process get ProcessId,Name,ExecutablePath,CreationDate /format:csv > x.csv`: UTF-16, a blank
    # first line, CR CR LF line ends, columns in alphabetical order after Node.
    text = (
        "\r\r\nNode,CreationDate,ExecutablePath,Name,ProcessId\r\r\n"
        "LAPTOP,20241001120000.500000+060,C:\\ProgramData\\spc\\services.exe,services.exe,7713\r\r\n"
        "LAPTOP,,,System Idle Process,0\r\r\n"
    )
    listing = parse_listing(text.encode("utf-16"), "wmic.csv")
    spc = listing.processes[0]
    assert listing.format == "cim-csv" and spc.exe.endswith("services.exe") and spc.pid == 7713
    assert spc.create_time == pytest.approx(1727780400.0)


def test_get_process_csv():
    text = (
        '#TYPE System.Diagnostics.Process\n"Name","SI","Handles","Path","Company","Id","ProcessName"\n'
        '"TeamViewer","1","400","C:\\Program Files\\TeamViewer\\TeamViewer.exe","TeamViewer","6001","TeamViewer"\n'
        '"svchost","0","300","","","800","svchost"\n"Idle","0","0","","","0","Idle"\n'
    )
    listing = parse_listing(text.encode(), "gp.csv")
    assert listing.format == "get-process-csv"
    assert [(p.pid, p.name, p.exe) for p in listing.processes] == [
        (6001, "TeamViewer.exe", "C:\\Program Files\\TeamViewer\\TeamViewer.exe"),
        (800, "svchost.exe", None),
        (0, "Idle", None),
    ]


def test_ps_aux_and_ps_ef_samples():
    aux = (
        "USER               PID  %CPU %MEM      VSZ    RSS   TT  STAT STARTED      TIME COMMAND\n"
        "root                 1   0.0  0.1 34174140  16144   ??  Ss    9:01AM   0:45.82 /sbin/launchd\n"
        "sam                990   0.0  0.2 35000000  20000   ??  S     9:02AM   0:01.00 /Applications/TeamViewer.app/Contents/MacOS/TeamViewer -psn_0\n"
    )
    listing = parse_listing(aux.encode(), "aux.txt")
    assert listing.format == "ps-aux" and listing.platform == "macos"
    assert listing.processes[1].name == "TeamViewer" and listing.processes[1].cmdline[-1] == "-psn_0"
    ef = (
        "UID          PID    PPID  C STIME TTY          TIME CMD\n"
        "root           1       0  0 09:01 ?        00:00:02 /sbin/init splash\n"
        "root           2       0  0 09:01 ?        00:00:00 [kthreadd]\n"
        "sam         4242    4000  0 09:05 ?        00:00:01 /opt/teamviewer/tv_bin/teamviewerd -d\n"
    )
    listing = parse_listing(ef.encode(), "ef.txt")
    assert listing.format == "ps-ef" and listing.platform == "linux"
    assert [(p.pid, p.ppid, p.name) for p in listing.processes] == [(1, 0, "init"), (2, 0, "kthreadd"), (4242, 4000, "teamviewerd")]
    with pytest.raises(ListingError, match="line 3"):
        parse_listing(ef.replace("[kthreadd]", "").replace("root           2 ", "root  x ").encode(), "ef.txt")


@pytest.mark.skipif(shutil.which("ps") is None, reason="no ps here")
@pytest.mark.parametrize("argv", [["ps", "aux"], ["ps", "-ef"]])
def test_real_ps_aux_and_ef_captures(argv):
    out = subprocess.run(argv, capture_output=True, check=True).stdout
    listing = parse_listing(out, "ps.txt")
    assert listing.format in ("ps-aux", "ps-ef") and len(listing.processes) >= 2
