"""Ctrl-C says what is true for the command that was interrupted: only a photo strip keeps files it
had finished; `log add` interrupted at a prompt must not talk about photo strips."""

from __future__ import annotations

import pytest

from digisafe import cli
from digisafe.commands import photos_run


def interrupted_during(monkeypatch, capsys, argv):
    def stop(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli.cli, "main", stop)
    monkeypatch.setattr(photos_run, "run_strip", stop)  # (a plain photo strip or scan runs without click: quick.py)
    monkeypatch.setattr(photos_run, "run_scan", stop)
    with pytest.raises(SystemExit) as done:
        cli.main(argv)
    return done.value.code, capsys.readouterr().err


def test_a_photo_strip_says_it_keeps_the_files_it_finished(monkeypatch, capsys):
    code, err = interrupted_during(monkeypatch, capsys, ["photos", "strip", "x", "--in-place"])
    assert code == 130 and "keeps only the files it had finished" in err


@pytest.mark.parametrize("argv", [["log", "add"], ["audit"], ["--quiet"], [], ["photos", "scan", "x"], ["photos"]])
def test_other_commands_do_not_mention_photo_strips(monkeypatch, capsys, argv):
    code, err = interrupted_during(monkeypatch, capsys, argv)
    assert code == 130 and "interrupted. Nothing is left half-written." in err and "photo" not in err
