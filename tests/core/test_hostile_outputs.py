"""-o / --output / --manifest / --checklist naming a device, a FIFO or a symlink (issue 13).

The atomic rename replaced whatever entry had the name: a FIFO became a file, a symlink was cut,
and as root ``-o /dev/null`` would have replaced /dev/null. Only a new name or a regular file may
be written; anything else is one line and exit 2, and the entry is left as it was.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from digisafe.core.errors import InputError
from digisafe.core.safefile import check_writable, write_private
from tests.core.test_hostile_inputs import assert_one_line_exit_2, run_here
from tests.sample_report import sample_report


def _fifo(tmp_path: Path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this OS")
    path = tmp_path / "out.fifo"
    os.mkfifo(path)
    return path


def _symlink(tmp_path: Path) -> Path:
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    link = tmp_path / "out.link"
    try:
        link.symlink_to(target)
    except (OSError, NotImplementedError):
        pytest.skip("cannot make symlinks here")
    return link


def _device(tmp_path: Path) -> Path:
    """A character device node like /dev/null (1, 3), made in tmp_path: needs root."""
    path = tmp_path / "null"
    if not hasattr(os, "mknod") or os.geteuid() != 0:
        pytest.skip("making a device node needs root")
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except OSError as exc:
        pytest.skip(f"cannot make a device node here: {exc}")
    return path


MAKERS = {"fifo": _fifo, "symlink": _symlink, "device": _device}


def _unchanged(kind: str, path: Path, tmp_path: Path) -> None:
    mode = os.lstat(path).st_mode
    expected = {"fifo": stat.S_ISFIFO, "symlink": stat.S_ISLNK, "device": stat.S_ISCHR}[kind]
    assert expected(mode), f"the {kind} at {path} was replaced"
    if kind == "symlink":
        assert (tmp_path / "precious.txt").read_text() == "keep me"
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


@pytest.mark.parametrize("kind", ["fifo", "symlink", "device"])
def test_write_private_and_check_writable_refuse_anything_but_a_regular_file(tmp_path, kind) -> None:
    path = MAKERS[kind](tmp_path)
    with pytest.raises(InputError, match="cannot write"):
        check_writable(path)
    with pytest.raises(InputError, match="cannot write"):
        write_private(path, "report")
    _unchanged(kind, path, tmp_path)
    fresh, regular = tmp_path / "new.json", tmp_path / "old.json"
    regular.write_text("old")
    for good in (fresh, regular):
        check_writable(good)
        write_private(good, "report")
        assert good.read_text() == "report"


@pytest.fixture
def saved_report(tmp_path) -> Path:
    path = tmp_path / "saved.json"
    path.write_text(json.dumps(sample_report().to_dict()))
    return path


@pytest.mark.parametrize("kind", ["fifo", "symlink", "device"])
@pytest.mark.parametrize("command", ["report", "checklist", "audit-output", "audit-checklist", "processes", "scan",
                                     "strip-manifest"])
def test_every_writer_refuses_a_special_target_in_one_line(tmp_path, capsys, saved_report, kind, command) -> None:
    path = MAKERS[kind](tmp_path)
    listing = tmp_path / "ps.txt"
    listing.write_text("  PID USER     COMM             ARGS\n    1 root     systemd          /sbin/init\n")
    photos = tmp_path / "photos"
    photos.mkdir()
    args = {
        "report": ["report", str(saved_report), "-o", str(path)],
        "checklist": ["checklist", "--from-report", str(saved_report), "--format", "text", "-o", str(path)],
        "audit-output": ["audit", "--only", "DS-NET-010", "--output", str(path)],
        "audit-checklist": ["audit", "--only", "DS-NET-010", "--checklist", str(path)],
        "processes": ["processes", "--from", str(listing), "-o", str(path)],
        "scan": ["photos", "scan", str(photos), "-o", str(path)],
        "strip-manifest": ["photos", "strip", str(photos), "--out", str(tmp_path / "clean"), "--manifest", str(path)],
    }[command]
    code, out, err = run_here(capsys, *args)
    assert_one_line_exit_2(code, out, err, "cannot write", str(path))
    _unchanged(kind, path, tmp_path)


def test_photos_strip_leaves_a_link_or_fifo_in_the_output_folder_alone(tmp_path, capsys) -> None:
    """The copy was renamed over whatever had the output's name: a planted link or FIFO became a
    file. Now that file is NOT cleaned (no output), and the entry stays as it was."""
    from tests.photos.photo_build import make_jpeg

    source, out = tmp_path / "in", tmp_path / "out"
    source.mkdir()
    out.mkdir()
    for name in ("a.jpg", "b.jpg", "c.jpg"):
        make_jpeg(source / name)
    (tmp_path / "precious.txt").write_text("keep me")
    try:
        (out / "a.jpg").symlink_to(tmp_path / "precious.txt")
    except (OSError, NotImplementedError):
        pytest.skip("cannot make symlinks here")
    if hasattr(os, "mkfifo"):
        os.mkfifo(out / "b.jpg")
    code, out_text, err = run_here(capsys, "photos", "strip", str(source), "--out", str(out))
    assert code == 1 and "Traceback" not in err
    assert out_text.count("is not a regular file (a link, folder, pipe or device): it is left alone") == (
        2 if hasattr(os, "mkfifo") else 1)
    assert os.path.islink(out / "a.jpg") and (tmp_path / "precious.txt").read_text() == "keep me"
    if hasattr(os, "mkfifo"):
        assert stat.S_ISFIFO(os.lstat(out / "b.jpg").st_mode)
    assert (out / "c.jpg").is_file() and not (out / "c.jpg").is_symlink()  # the rest are still cleaned


ESCAPES = "\x1b[2J\x1b[1A\x1b]0;owned\x07\r\u202egpj.exe"


def _report_with_escapes(tmp_path: Path) -> Path:
    data = sample_report().to_dict()
    result = next(r for r in data["results"] if r["findings"])
    result["title"] = "check " + ESCAPES
    finding = result["findings"][0]
    finding["title"] = "a finding " + ESCAPES
    finding["subject"] = ESCAPES
    finding["evidence"]["exe"] = "C:\\x\\" + ESCAPES
    data["platform"]["machine"] = ESCAPES
    path = tmp_path / "escapes.json"
    path.write_text(json.dumps(data))
    return path


@pytest.mark.parametrize("args", [("report", "--format", "table"), ("report", "--format", "markdown"),
                                  ("report", "--format", "html"),
                                  ("checklist", "--format", "text", "--include-findings"),
                                  ("checklist", "--format", "markdown", "--include-findings"),
                                  ("checklist", "--format", "html", "--include-findings")])
def test_terminal_escapes_and_bidi_overrides_in_a_report_are_shown_not_obeyed(tmp_path, capsys, args) -> None:
    """A saved report (or a process or file name) can carry ESC sequences that clear the screen or
    move the cursor over a finding, or a right-to-left override that shows gpj.exe as exe.jpg."""
    path = _report_with_escapes(tmp_path)
    command, *rest = args
    argv = [command, str(path), *rest] if command == "report" else [command, "--from-report", str(path), *rest]
    code, out, err = run_here(capsys, *argv)
    assert code == 0, err
    for raw in ("\x1b", "\x07", "\r", "\u202e"):
        assert raw not in out, repr(raw)
    import html

    shown = html.unescape(out) if "html" in args else out
    assert "\\x1b[2J" in shown and "<U+202E>gpj.exe" in shown


def test_json_keeps_the_evidence_exactly(tmp_path, capsys) -> None:
    path = _report_with_escapes(tmp_path)
    code, out, _ = run_here(capsys, "report", str(path), "--format", "json")
    assert code == 0 and "\x1b" not in out  # json escapes it itself
    data = json.loads(out)
    finding = next(f for r in data["results"] for f in r["findings"])
    assert finding["subject"] == ESCAPES and finding["evidence"]["exe"].endswith(ESCAPES)


def test_without_controls_returns_the_same_report_when_there_is_nothing_to_show() -> None:
    from digisafe.core.redact import without_controls

    report = sample_report()
    assert without_controls(report) is report
