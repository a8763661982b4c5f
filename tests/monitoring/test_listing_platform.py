"""--platform that contradicts what the listing can only come from (Linux `ps` judged as Windows,
tasklist judged as Linux) is a one-line input error, exit 2: judged as the wrong system it matched
nothing and said "found nothing of concern". Formats that several systems write are still accepted."""

from __future__ import annotations

import pytest

from digisafe.cli import main
from tests.monitoring.samples import CIM_CSV, PS_MACOS, TASKLIST_EN

PS_AUX = ("USER PID %CPU %MEM VSZ RSS TTY STAT START TIME COMMAND\n"
          "root 1 0.0 0.1 1000 100 ? Ss 10:00 0:01 /sbin/init\n"
          "alice 301 0.0 0.1 1000 100 ? S 10:00 0:01 /usr/bin/teamviewerd\n")
GET_PROCESS = ('#TYPE System.Diagnostics.Process\n"Name","Id","Path","ProcessName"\n'
               '"bash","200","/usr/bin/bash","bash"\n')


@pytest.fixture(autouse=True)
def _private_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


def run(argv, capsys):
    with pytest.raises(SystemExit) as done:
        main(argv)
    out, err = capsys.readouterr()
    return done.value.code, out, err


@pytest.mark.parametrize(("text", "platform", "words"), [
    (PS_AUX, "windows", "ps aux output (from Linux or macOS), not Windows"),
    (PS_MACOS, "windows", "ps output (from Linux or macOS), not Windows"),
    (TASKLIST_EN, "linux", "tasklist output (from Windows), not Linux"),
    (TASKLIST_EN, "macos", "tasklist output (from Windows), not macOS"),
    (CIM_CSV, "linux", "Win32_Process CSV (from Windows), not Linux"),
])  # fmt: skip
def test_a_platform_the_format_cannot_come_from_is_refused(tmp_path, capsys, text, platform, words):
    listing = tmp_path / "listing.txt"
    listing.write_text(text)
    code, out, err = run(["processes", "--from", str(listing), "--platform", platform], capsys)
    assert code == 2 and not out and "nothing of concern" not in out
    assert err.count("\n") == 1 and err.startswith("digisafe: error:") and words in err, err


@pytest.mark.parametrize(("text", "platform"), [(PS_AUX, "linux"), (PS_AUX, "macos"), (PS_MACOS, "linux"),
                                                (TASKLIST_EN, "windows"), (GET_PROCESS, "linux"),
                                                (GET_PROCESS, "windows")])
def test_a_platform_the_format_can_come_from_is_accepted(tmp_path, capsys, text, platform):
    listing = tmp_path / "listing.txt"
    listing.write_text(text)
    code, _out, err = run(["processes", "--from", str(listing), "--platform", platform], capsys)
    assert code in (0, 1), err
