"""The command line as a new user meets it (issue 12): start screen, did-you-mean, explain,
`report -o`, and every command we print, run exactly as pasted into a shell."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from digisafe.cli import main
from digisafe.render import render
from tests.photos import photo_build as build
from tests.render.commands_run import printed_commands, run_pasted
from tests.sample_report import sample_report

ROOT = Path(__file__).resolve().parents[2]
SEEN_WARNING = "may see that digisafe was"


def run(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    out, err = capsys.readouterr()
    return exc.value.code, out, err


def test_bare_digisafe_shows_a_short_start_screen_and_exits_0(capsys) -> None:
    code, out, err = run([], capsys)
    assert code == 0 and not err
    assert len(out.splitlines()) <= 24 and max(len(line) for line in out.splitlines()) <= 80
    flat = " ".join(out.split())
    for words in ("digisafe guide safety-first", "digisafe audit", "digisafe photos scan", "0808 802 0300", "999",
                  SEEN_WARNING):
        assert words in flat, words


def test_the_start_screen_commands_work_when_pasted(tmp_path, capsys) -> None:
    home = tmp_path / "home"
    _jpeg(home / "Pictures" / "a.jpg")
    commands = printed_commands(run([], capsys)[1])
    assert {"digisafe audit", "digisafe guide safety-first", "digisafe photos scan ~/Pictures"} <= set(commands)
    for command in commands:
        if command == "digisafe --help.":
            continue
        done = run_pasted(command, home)
        assert done.returncode in (0, 1, 4), (command, done.stderr)  # ran; 1 = something found
        assert "Traceback" not in done.stderr and "error:" not in done.stderr, (command, done.stderr)


def test_running_digisafe_can_be_seen_is_said_in_readme_and_user_guide() -> None:
    readme_top = "\n".join((ROOT / "README.md").read_text().splitlines()[:12])
    guide = (ROOT / "docs" / "user-guide.md").read_text()
    for text in (readme_top, guide):
        flat = " ".join(text.split())
        assert "may see that digisafe was downloaded and run" in flat


@pytest.mark.parametrize(("argv", "hint"), [
    (["audti"], "Did you mean 'digisafe audit'?"),
    (["photo", "scan", "x"], "Did you mean 'digisafe photos scan x'?"),
    (["photos", "scna", "x"], "Did you mean 'digisafe photos scan x'?"),
    (["explain", "DS-NET-01"], "Did you mean 'digisafe explain DS-NET-010'?"),
    (["explain", "ds-net-01O"], "Did you mean 'digisafe explain DS-NET-010'?"),
])
def test_did_you_mean(argv, hint, capsys) -> None:
    code, _, err = run(argv, capsys)
    assert code == 2 and hint in err, err
    assert err.count("Did you mean") == 1


def test_explain_shows_no_rest_markup_and_fits_the_terminal(monkeypatch, capsys) -> None:
    from digisafe.core.registry import load_registry

    monkeypatch.setenv("COLUMNS", "80")
    marked = [c.id for c in load_registry().checks if "``" in c.cls.documentation()]
    assert marked, "no check documentation uses ``code`` any more: this test needs another example"
    for check_id in marked:
        code, out, _ = run(["explain", check_id], capsys)
        assert code == 0 and "``" not in out and not re.search(r"(?<!\w)`[^`\s][^`]*`", out), check_id
        too_long = [line for line in out.splitlines() if len(line) > 80 and " " in line.strip()]
        assert not too_long, too_long


@pytest.mark.parametrize(("name", "starts"), [
    ("r.html", "<!DOCTYPE html>"), ("r.md", "# digisafe report"), ("r.json", "{"), ("r.txt", "digisafe found"),
])
def test_report_output_suffix_sets_the_format_and_is_confirmed(tmp_path, capsys, name, starts) -> None:
    saved = tmp_path / "a.json"
    saved.write_text(render(sample_report(), "json"))
    code, out, err = run(["report", str(saved), "-o", str(tmp_path / name)], capsys)
    assert code == 0 and out == ""
    assert (tmp_path / name).read_text().startswith(starts)
    assert f"wrote the report to {tmp_path / name}" in err


def test_report_refuses_a_suffix_that_contradicts_format(tmp_path, capsys) -> None:
    saved = tmp_path / "a.json"
    saved.write_text(render(sample_report(), "json"))
    code, _, err = run(["report", str(saved), "--format", "json", "-o", str(tmp_path / "r.html")], capsys)
    assert code == 2 and "--format json does not match" in err
    assert not (tmp_path / "r.html").exists()


def _jpeg(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    build.make_jpeg(path)


def _album(home: Path) -> None:
    _jpeg(home / "Pictures" / "2024" / "trip" / "leeds.jpg")
    _jpeg(home / "My Photos" / "b.jpg")
    _jpeg(home / "Downloads" / "c.jpg")


def test_photo_scan_fits_80_columns_and_its_commands_work_when_pasted(tmp_path, monkeypatch, capsys) -> None:
    home = tmp_path / "home"
    _album(home)
    monkeypatch.chdir(home)
    monkeypatch.setenv("HOME", str(home))
    code, out, _ = run(["photos", "scan", "Pictures", "My Photos"], capsys)
    assert code == 1
    assert max(len(line) for line in out.splitlines()) <= 80, out
    done = run_pasted("digisafe photos scan ~/Pictures ~/'My Photos'", home)
    commands = printed_commands(done.stdout)
    assert commands == ["digisafe photos strip ~/Pictures --out ~/Pictures-no-location",
                        "digisafe photos strip ~/'My Photos' --out ~/'My Photos-no-location'"]
    for command in commands:
        result = run_pasted(command, home)
        assert result.returncode == 0, (command, result.stdout, result.stderr)
    assert (home / "Pictures-no-location" / "2024" / "trip" / "leeds.jpg").exists()
    assert (home / "My Photos-no-location" / "b.jpg").exists()


def test_the_photo_findings_commands_work_when_pasted_and_cover_every_folder(make_ctx) -> None:
    from digisafe.core.registry import load_registry
    from digisafe.core.runner import run_check

    ctx = make_ctx()
    home = ctx.files.home
    _album(home)
    ctx.options = {"DS-PHOTO-010": {"folders": ["~/Pictures", "~/My Photos", "~/Downloads"]}}
    result = run_check(load_registry().get("DS-PHOTO-010"), ctx)
    advice = result.findings[0].advice
    commands = printed_commands(advice)
    assert len(commands) == 3 and not any('"~' in c for c in commands), commands
    for command in commands:
        done = run_pasted(command, home)
        assert done.returncode == 0, (command, done.stderr)
    for folder in ("Pictures-no-location", "My Photos-no-location", "Downloads-no-location"):
        assert any((home / folder).rglob("*.jpg")), folder


def test_the_closing_blocks_commands_work_when_pasted(tmp_path) -> None:
    from digisafe.render import wording

    home = tmp_path / "home"
    home.mkdir()
    commands = [c for step in wording.NEXT_STEPS for c in printed_commands(step)]
    assert "digisafe audit --format html -o report.html --checklist checklist.pdf" in commands
    for command in commands:
        done = run_pasted(command, home)
        assert done.returncode in (0, 1, 4), (command, done.stderr)
    assert (home / "report.html").read_text().startswith("<!DOCTYPE html>")
    assert (home / "checklist.pdf").read_bytes().startswith(b"%PDF")
