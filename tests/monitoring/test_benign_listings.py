"""Whole listings of ordinary laptops (Windows 11, macOS 14, Ubuntu 24.04), as the capture commands
write them, through `digisafe processes --from FILE`: nothing above information, no masquerading.
The other direction: the same listings with one known tool added are reported.

The files in tests/monitoring/listings/ are our own test data (typed from what these systems
run); add a row whenever an ordinary program raises a false alarm.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from digisafe.cli import main

LISTINGS = Path(__file__).parent / "listings"
FILES = sorted(p.name for p in LISTINGS.iterdir())


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # no stored update: built-in indicators


def report_for(path: Path, capsys, *extra: str) -> tuple[int, dict]:
    with pytest.raises(SystemExit) as done:
        main(["processes", "--from", str(path), "--format", "json", *extra])
    return done.value.code, json.loads(capsys.readouterr().out)


def findings(report: dict) -> list[dict]:
    return [f for r in report["results"] for f in r["findings"]]


def test_all_four_listings_are_here():
    assert FILES == ["macos14_ps.txt", "ubuntu2404_ps.txt", "windows11_cim.csv", "windows11_tasklist.csv"]


@pytest.mark.parametrize("name", FILES)
def test_an_ordinary_laptop_raises_nothing_above_information(name, capsys):
    code, report = report_for(LISTINGS / name, capsys)
    above_info = [(f["severity"], f["title"], f["subject"]) for f in findings(report)]
    assert [x for x in above_info if x[0] != "info"] == []
    assert not any("disguised" in f["title"] for f in findings(report))
    assert code == 0
    assert report["sources"]["listing"]["processes"] > 75


# One row of a known tool in each file's own format, and the product it must be reported as.
ADDED = {
    "windows11_cim.csv": (
        '"7712","csrss.exe","C:\\ProgramData\\spc\\csrss.exe","C:\\ProgramData\\spc\\csrss.exe"\r\n',
        "sentrypc",
    ),
    "windows11_tasklist.csv": (
        '"AnyDesk.exe","7800","Console","1","20,100 K","Running","LAPTOP-7Q2K\\sam","0:00:02","AnyDesk"\r\n',
        "anydesk",
    ),
    "macos14_ps.txt": (
        "  990 sam              /Applications/TeamViewer.app/Contents/MacOS/TeamViewer "
        "/Applications/TeamViewer.app/Contents/MacOS/TeamViewer\n",
        "teamviewer",
    ),
    "ubuntu2404_ps.txt": ("   1990 sam      logkeys         /usr/bin/logkeys --start --device=event3\n", "logkeys"),
}


@pytest.mark.parametrize("name", FILES)
def test_the_same_laptop_with_a_known_tool_reports_it(name, tmp_path, capsys):
    row, product = ADDED[name]
    data = (LISTINGS / name).read_bytes()
    if data.startswith(b"\xff\xfe"):
        changed = (data.decode("utf-16") + row).encode("utf-16")
    else:
        changed = data + row.encode()
    path = tmp_path / name
    path.write_bytes(changed)
    code, report = report_for(path, capsys)
    found = {f["evidence"].get("product") for f in findings(report) if f["severity"] != "info"}
    assert found == {product}
    assert code == 1


def test_short_kernel_and_unc_spellings_of_system_folders_are_not_masquerading():
    from digisafe.indicators import load_database

    matcher = load_database().matcher("windows")
    for exe in (
        "C:\\WINDOWS\\system32\\svchost.exe",
        "c:\\windows\\SYSTEM32\\SVCHOST.EXE",
        "\\Device\\HarddiskVolume3\\Windows\\System32\\svchost.exe",
        "\\\\?\\C:\\Windows\\System32\\svchost.exe",
        "\\??\\C:\\Windows\\System32\\svchost.exe",
        "\\SystemRoot\\System32\\svchost.exe",
        "%SystemRoot%\\System32\\svchost.exe",
        "D:\\Windows\\SysWOW64\\svchost.exe",
    ):
        assert matcher.masquerade("svchost.exe", exe) is None, exe
    short = "C:\\PROGRA~3\\MICROS~1\\WINDOW~1\\Platform\\418240~1.11-\\MsMpEng.exe"
    assert matcher.masquerade("MsMpEng.exe", short) is None
    for exe in (
        "C:\\PROGRA~3\\spc\\csrss.exe",
        "C:\\Users\\SAMSMI~1\\AppData\\Local\\Temp\\svchost.exe",
        "C:\\Windows\\System32\\..\\..\\Users\\Public\\svchost.exe",
    ):
        assert matcher.masquerade(exe.rsplit("\\", 1)[-1], exe), exe


def test_macos_system_programs_anywhere_in_the_sealed_system_library_only():
    from digisafe.indicators import load_database

    matcher = load_database().matcher("darwin")
    deep = "/System/Library/Frameworks/CoreServices.framework/Frameworks/Metadata.framework/Versions/A/Support/"
    assert matcher.masquerade("mds_stores", deep + "mds_stores") is None
    assert matcher.masquerade("Finder", "/System/LibraryX/Finder")
    assert matcher.masquerade("Finder", "/System/Library/../../Users/sam/Finder")
