"""`photos scan` and `photos strip` command lines parsed without click (digisafe/commands/quick.py)
mean exactly what click makes of them: the same parameters, or none (click then parses them) --
checked against click's own parsing, on random command lines too; and a command run either way
prints the same bytes and exits with the same code."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digisafe.commands import photos as photos_cli
from digisafe.commands import photos_run, quick
from tests.photos import photo_build as build

COMMANDS = {"scan": photos_cli.scan, "strip": photos_cli.strip}


def by_click(command: str, rest: list[str]) -> dict | None:
    """The parameters click passes to the command for ``rest``, or None if click refuses it (or
    shows help)."""
    try:
        ctx = COMMANDS[command].make_context(command, list(rest))
    except (click.ClickException, click.exceptions.Exit):
        return None
    return dict(ctx.params)


@pytest.fixture
def places(tmp_path, monkeypatch):
    """Relative names: an existing file, an existing folder, a missing path, and odd names."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff\xd9")
    (tmp_path / "album").mkdir()
    return tmp_path


def test_the_two_commands_options_are_the_ones_click_declares():
    assert quick.FORMATS == photos_run.FORMATS
    for name, command in COMMANDS.items():
        declared = {}
        for param in command.params:
            for opt in param.opts + param.secondary_opts:
                if opt.startswith("-"):
                    declared[opt] = param.name
        assert {opt: p for opt, (p, _kind) in quick.OPTIONS[name].items()} == declared
        defaults = by_click(name, ["x.jpg"])
        assert {**quick.DEFAULTS[name], "paths": (Path("x.jpg"),)} == defaults


@pytest.mark.parametrize("rest", [
    ["album"],
    ["album", "photo.jpg", "missing.jpg"],
    ["album", "--format", "json"],
    ["--format=markdown", "album", "-o", "report.md"],
    ["album", "--output", "new.html"],
    ["--", "-odd-name.jpg", "--format"],
])
def test_plain_scan_lines_are_parsed_as_click_parses_them(places, rest):
    parsed = quick.parse(["photos", "scan", *rest])
    assert parsed is not None and parsed == ("scan", by_click("scan", rest))


@pytest.mark.parametrize("rest", [
    ["album", "--out", "clean"],
    ["photo.jpg", "--in-place", "--manifest", "m.json"],
    ["album", "--dry-run"],
    ["album", "--out=clean", "--format", "json", "--log", "mylog"],
])
def test_plain_strip_lines_are_parsed_as_click_parses_them(places, rest):
    parsed = quick.parse(["photos", "strip", *rest])
    assert parsed is not None and parsed == ("strip", by_click("strip", rest))


@pytest.mark.parametrize("argv", [
    ["photos", "scan"],                                   # PATHS missing: click's error
    ["photos", "scan", "album", "--help"],                # help
    ["photos", "scan", "album", "-h"],
    ["photos", "scan", "album", "--format", "JSON"],      # not a choice
    ["photos", "scan", "album", "--format"],              # no value
    ["photos", "scan", "album", "--format", "json", "--format", "table"],  # twice
    ["photos", "scan", "album", "-ojson.out"],             # short option with its value attached
    ["photos", "scan", "album", "--output", "album"],     # a folder where a file is needed
    ["photos", "scan", "album", "--form", "json"],        # not an option (click suggests one)
    ["photos", "scan", ""],                               # empty path
    ["photos", "scan", "-"],
    ["photos", "strip", "album", "--out", "photo.jpg"],   # a file where a folder is needed
    ["photos", "strip", "album", "--in-place=yes"],
    ["photos", "strip", "album", "--out", "-x"],          # a value that looks like an option
    ["photos", "--help", "scan", "album"],
    ["photos", "scna", "album"],
    ["photo", "scan", "album"],
])
def test_anything_else_is_left_to_click(places, argv):
    assert quick.parse(argv) is None


def test_windows_is_left_to_click(places, monkeypatch):
    """click expands wildcards in a Windows command line: only click may read it there."""
    monkeypatch.setattr("digisafe.system.on_windows", lambda: True)
    assert quick.parse(["photos", "scan", "album"]) is None


def test_a_path_with_a_nul_is_left_to_click(places):
    assert quick.parse(["photos", "scan", "al\0bum"]) is None


def test_shell_completion_is_left_to_click(places, monkeypatch):
    monkeypatch.setenv("_DIGISAFE_COMPLETE", "bash_complete")
    assert quick.parse(["photos", "scan", "album"]) is None


def test_an_unreadable_path_is_left_to_click(places):
    (places / "locked.jpg").write_bytes(b"x")
    os.chmod(places / "locked.jpg", 0)
    expected = None if not os.access(places / "locked.jpg", os.R_OK) else "parsed"  # (root reads anything)
    parsed = quick.parse(["photos", "scan", "locked.jpg"])
    assert (parsed is None) == (expected is None)
    assert (by_click("scan", ["locked.jpg"]) is None) == (expected is None)


NAMES = ["album", "photo.jpg", "missing.jpg", "new.json", "clean"]
OPTIONS = {"scan": ["--output", "-o", "--format"], "strip": ["--out", "--manifest", "--log", "--format"]}
FLAGS = {"scan": ["album"], "strip": ["--in-place", "--dry-run"]}
VALUES = ["album", "photo.jpg", "missing.jpg", "r.md", "json", "table", "markdown", "html"]
ODD = ["--", "-h", "--help", "--in-place=1", "-ojson", "=", "-o=", "--format=", "-", "", "-x", "--form", "--x",
       "JSON", "--output", "--out", "-o"]


def pieces(command: str):
    """A line's pieces: a path, a flag, an option with its value (``--name VALUE`` or
    ``--name=VALUE``) or, one time in six, an odd token or value. Most lines come out plain (the
    parser must take them as click does); the rest must be left to click when click refuses them."""
    value = st.one_of(*[st.sampled_from(VALUES)] * 5, st.sampled_from(ODD))
    option = st.tuples(st.sampled_from(OPTIONS[command]), value, st.booleans()).map(
        lambda t: [f"{t[0]}={t[1]}"] if t[2] else [t[0], t[1]])
    name = st.sampled_from(NAMES + FLAGS[command]).map(lambda n: [n])
    odd = st.sampled_from(ODD).map(lambda n: [n])
    return st.lists(st.one_of(name, name, option, option, option, odd), max_size=5)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(line=st.sampled_from(["scan", "strip"]).flatmap(lambda c: st.tuples(st.just(c), pieces(c))))
def test_random_command_lines_mean_what_click_makes_of_them(places, line):
    command, parts = line
    rest = [token for part in parts for token in part]
    parsed = quick.parse(["photos", command, *rest])
    if parsed is not None:
        assert parsed == (command, by_click(command, rest))


# --- the same bytes and exit code either way -----------------------------------------------------

BOTH_WAYS = (
    "import sys\n"
    "from digisafe.commands import quick\n"
    "argv = sys.argv[2:]\n"
    "if sys.argv[1] == 'quick':\n"
    "    assert quick.parse(argv) is not None, 'not a plain command line'\n"
    "    from digisafe.cli import main\n"
    "    main(argv)\n"
    "quick.parse = lambda argv: None  # click parses it\n"
    "from digisafe.cli import main\n"
    "main(argv)\n"
)


def run_both_ways(argv: list[str], cwd: Path, env: dict | None = None, between=None, prelude: str = "",
                  codes=(0, 1, 2, 4)) -> tuple:
    results = []
    for way in ("quick", "click"):
        done = subprocess.run([sys.executable, "-c", prelude + BOTH_WAYS, way, *argv], cwd=cwd, capture_output=True,
                              env={**os.environ, **(env or {})}, timeout=120)
        results.append((done.returncode, done.stdout, done.stderr))
        if between:
            between()
    assert results[0] == results[1]
    assert results[0][0] in codes, results[0]
    return results[0]


@pytest.fixture
def album(tmp_path):
    folder = tmp_path / "album"
    folder.mkdir()
    build.make_jpeg(folder / "located.jpg")
    build.make_jpeg(folder / "plain.jpg", gps=False, xmp=False, iptc=False)
    build.make_jpeg(folder / "bad\x1b[2Kname.jpg")  # a terminal escape in a name
    build.make_jpeg(folder / "caf\udce9.jpg")  # a name that is not UTF-8
    (folder / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe1\x00")
    return folder


@pytest.mark.parametrize("fmt", ["table", "json", "markdown", "html"])
def test_scan_prints_the_same_either_way(album, fmt):
    run_both_ways(["photos", "scan", "album", "--format", fmt], album.parent)


def test_scan_errors_and_ascii_output_are_the_same_either_way(album):
    run_both_ways(["photos", "scan", "album", "missing\x1b[31m.jpg"], album.parent)
    run_both_ways(["photos", "scan", "album"], album.parent, env={"PYTHONIOENCODING": "ascii"})
    run_both_ways(["photos", "scan", "album"], album.parent, env={"PYTHONIOENCODING": "latin-1"})


def test_strip_prints_and_writes_the_same_either_way(album):
    import shutil

    out = album.parent / "clean"
    copies = []

    def keep_and_clear():
        copies.append({p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
        shutil.rmtree(out)

    run_both_ways(["photos", "strip", "album", "--out", "clean", "--manifest", "m.json"], album.parent,
                  between=lambda: (keep_and_clear(), (album.parent / "m.json").unlink()))
    assert copies[0] == copies[1] and len(copies[0]) == 4
    run_both_ways(["photos", "strip", "album", "--dry-run"], album.parent)
    run_both_ways(["photos", "strip", "album"], album.parent)  # neither --out nor --in-place: exit 2


def test_a_plain_scan_or_strip_does_not_import_click(album):
    for name in ("bad\x1b[2Kname.jpg", "broken.jpg"):  # (echo.py: click writes a text with an escape)
        (album / name).unlink()
    code = ("import sys\nfrom digisafe.cli import main\n"
            "try:\n    main(sys.argv[1:])\nfinally:\n    print('click' in sys.modules, file=sys.stderr)\n")
    for argv in (["photos", "scan", "album"], ["photos", "strip", "album", "--out", "clean"],
                 ["photos", "scan", "missing.jpg"]):
        done = subprocess.run([sys.executable, "-c", code, *argv], cwd=album.parent, capture_output=True,
                              text=True, errors="replace", timeout=120)
        assert done.stderr.splitlines()[-1] == "False", (argv, done.stderr)
    done = subprocess.run([sys.executable, "-c", code, "photos", "scan", "--help"], cwd=album.parent,
                          capture_output=True, text=True, timeout=120)
    assert "Usage: digisafe photos scan" in done.stdout and done.stderr.splitlines()[-1] == "True"


@pytest.mark.parametrize("raised, code", [
    ("KeyboardInterrupt()", 130),  # Ctrl-C: click writes a blank line first (closing the terminal's ^C)
    ("EOFError()", 130),  # (click takes it as the end of input: Abort, as Ctrl-C)
    ("OSError(errno.EPIPE, 'Broken pipe')", 1),  # click: exit 1, whatever the command found
    ("BrokenPipeError(errno.ESHUTDOWN, 'shut down')", 0),  # (not EPIPE: click lets it through)
])
def test_an_interrupted_or_broken_run_ends_the_same_either_way(album, raised, code):
    prelude = ("import errno\nfrom digisafe.photos import scan, striprun\n"
               f"def stop(*args, **kwargs):\n    raise {raised}\n"
               "scan.iter_files = stop\nstriprun.StripRun = stop\n")
    run_both_ways(["photos", "scan", "album"], album.parent, prelude=prelude, codes=(code,))
    run_both_ways(["photos", "strip", "album", "--dry-run"], album.parent, prelude=prelude, codes=(code,))


def test_a_closed_pipe_on_stdout_ends_the_same_either_way(tmp_path):
    build.make_jpeg(tmp_path / "plain.jpg", gps=False, xmp=False, iptc=False)
    results = []
    for way in ("quick", "click"):
        read_end, write_end = os.pipe()
        os.close(read_end)  # (`digisafe photos scan . | head` once head has gone)
        try:
            done = subprocess.run([sys.executable, "-c", BOTH_WAYS, way, "photos", "scan", "plain.jpg"],
                                  cwd=tmp_path, stdout=write_end, stderr=subprocess.PIPE, timeout=120)
        finally:
            os.close(write_end)
        results.append((done.returncode, done.stderr))
    assert results[0] == results[1] == (1, b"")


def test_a_closed_stderr_still_scans_and_strips(album):
    """Started with stderr closed (`2>&-`: sys.stderr is None), a scan or strip of several files
    still runs and says what it found (it was an internal error, exit 3, with nothing shown)."""
    for argv in (["photos", "scan", "album"], ["photos", "strip", "album", "--dry-run"]):
        for way in ("quick", "click"):
            done = subprocess.run([sys.executable, "-c", BOTH_WAYS, way, *argv], cwd=album.parent,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=120,
                                  preexec_fn=lambda: os.close(2))
            assert done.returncode == 1 and b"located.jpg" in done.stdout, (argv, way, done)
