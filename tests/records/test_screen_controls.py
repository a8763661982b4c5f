"""`log attach | list | show` put stored names and typed text on the terminal: a right-to-left override
("evil<RLO>gpj.exe" shown as "evilexe.jpg") or a terminal escape (a window title, a cleared screen) is
shown as a visible code, as the reports do, never sent to the terminal."""

from __future__ import annotations

import json

NAMES = ("evil\u202egpj.exe", "c\x1b]0;owned\x07d.txt", "e\rf.txt")
TEXT = "he said \x1b]0;owned\x07 then \u202eyrros"
RAW = ("\u202e", "\x1b", "\x07", "\r")


def _raw_in(text: str) -> list[str]:
    return [repr(c) for c in RAW if c in text]


def test_attach_list_and_show_show_controls_as_visible_codes(tmp_path, log_dir, run) -> None:
    files = []
    for name in NAMES:
        path = tmp_path / name
        path.write_text("x")
        files.append(str(path))
    attached = run("log", "attach", "--folder", str(log_dir), *files)
    assert attached.returncode == 0, attached.stderr
    added = run("log", "add", "--folder", str(log_dir), "--no-interactive", "--json", "-",
                input=json.dumps({"what_happened": TEXT}))
    assert added.returncode == 0, added.stderr
    listed = run("log", "list", "--folder", str(log_dir))
    shown = run("log", "show", "--folder", str(log_dir))
    for done in (attached, listed, shown):
        assert done.returncode == 0 and not _raw_in(done.stdout), (_raw_in(done.stdout), done.stdout)
        assert "evil<U+202E>gpj.exe" in done.stdout and "c\\x1b]0;owned\\x07d.txt" in done.stdout
        assert "e\\x0df.txt" in done.stdout
    for done in (listed, shown):
        assert "he said \\x1b]0;owned\\x07 then <U+202E>yrros" in done.stdout
