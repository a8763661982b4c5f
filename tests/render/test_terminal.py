"""What a person sees at an 80- or 120-column terminal (issue 12): width, plain words, the end."""

from __future__ import annotations

import json
import re

import pytest

from digisafe.core.model import CheckResult, Confidence, Finding, Report, Severity, Status
from digisafe.render import render
from tests.sample_report import sample_report

RAW_TOOL = "System has not been booted with systemd as init system (PID 1). Can't operate."


def busy_report() -> Report:
    """Long titles, long skip reasons, a tool's raw message, a London phone number, many IDs."""
    base = sample_report()
    long_skip = CheckResult(
        "DS-BRW-020", "Accounts that browser profiles are signed in to or sync with", "accounts", Status.SKIPPED,
        reason="no Chrome, Chromium, Edge, Brave, Vivaldi, Opera or Firefox profile was found in the usual places. "
               "If you use another browser, check by hand: click the profile picture (call Paladin on "
               "020 3866 4107 for advice); then run digisafe photos scan ~/Pictures/Family --format html")
    partial = CheckResult(
        "DS-REM-010", "Screen sharing, remote desktop and SSH access on this Linux laptop", "remote-access",
        Status.PASS, limitations=(f'system services not read (systemctl said "{RAW_TOOL}"); running programs '
                                  "were checked instead", "the program behind 1 listening port(s) is unknown"))
    others = tuple(CheckResult(f"DS-WIN-0{n}0", "Windows thing", "system", Status.NOT_APPLICABLE,
                               reason="runs on Windows") for n in range(1, 4))
    return Report(**{**base.__dict__, "results": base.results + (long_skip, partial) + others})


def _unbreakable_overflow(line: str, width: int) -> bool:
    """A line may only be too long if one piece of it could not be broken (a path, a command)."""
    return len(line) > width and any(len(w) > width // 2 for w in re.split(r"(?<!digisafe) (?!--)", line))


@pytest.mark.parametrize("width", [80, 120])
def test_table_fits_the_terminal_and_never_splits_an_id_or_a_phone_number(width) -> None:
    text = render(busy_report(), "table", width=width)
    lines = text.splitlines()
    too_long = [line for line in lines if len(line) > width and not _unbreakable_overflow(line, width)]
    assert not too_long, too_long
    for line in lines:
        assert not re.search(r"\bDS-$|\bDS-[A-Z]+-?$", line.rstrip()), line  # an ID cut at the line end
        assert not re.search(r"\b(0808|0808 802|020|020 3866)$", line.rstrip()), line
    flat = text.replace("\n", " ")
    for check_id in ("DS-BRW-020", "DS-REM-010", "DS-WIN-010", "DS-WIN-030"):
        assert any(check_id in line for line in lines), check_id
    assert "0808 802 0300" in text and "020 3866 4107" in text
    assert "digisafe photos scan ~/Pictures/Family --format html" in text  # the command on one line
    assert "0808 802 0300" in flat


def test_cli_fits_the_real_terminal_width(tmp_path, monkeypatch, capsys) -> None:
    from digisafe.cli import main

    saved = tmp_path / "a.json"
    saved.write_text(render(busy_report(), "json"))
    for columns in (80, 120):
        monkeypatch.setenv("COLUMNS", str(columns))
        with pytest.raises(SystemExit):
            main(["report", str(saved)])
        out = capsys.readouterr().out
        assert max(len(line) for line in out.splitlines() if not _unbreakable_overflow(line, columns)) <= columns
        assert any(len(line) > 80 for line in out.splitlines()) == (columns > 80)


def test_plain_plurals_everywhere() -> None:
    for fmt in ("table", "markdown", "html"):
        text = render(busy_report(), fmt)
        assert "(s)" not in text, fmt
        assert not re.search(r"\b1 (checks|findings|things)\b", text), fmt
        assert "1 finding" in text and "1 listening port " in text


def test_a_tools_raw_message_goes_to_json_not_to_people() -> None:
    for fmt in ("table", "markdown", "html"):
        text = render(busy_report(), fmt)
        assert "System has not been booted" not in text, fmt
        assert "systemctl reported an error" in " ".join(text.split())
    data = json.loads(render(busy_report(), "json"))
    assert any(RAW_TOOL in lim for r in data["results"] for lim in r.get("limitations", []))


def test_the_audit_ends_with_what_was_found_and_what_to_do() -> None:
    text = render(sample_report(), "table", width=100)
    closing = text[text.index("In short, digisafe found:"):]
    assert closing.index("CRITICAL  Covert stalkerware is running") < closing.index("HIGH      TeamViewer")
    for words in ("digisafe guide safety-first", "0808 802 0300", "999", "--checklist checklist.pdf"):
        assert words in closing
    # findings were made: no "finding nothing..." that contradicts them
    assert "Finding nothing does not prove" not in text
    empty = Report(**{**sample_report().__dict__, "results": (CheckResult("DS-X-010", "x", "other", Status.PASS),)})
    quiet = render(empty, "table", width=100)
    assert "Finding nothing does not prove" in quiet and "In short" not in quiet
    assert quiet.rstrip().endswith("did not change, remove or block anything.")


def test_known_tools_are_not_things_to_look_at() -> None:
    known = Finding("DS-PROC-010", Severity.INFO, "TeamViewer is running (marked as known and agreed to)",
                    confidence=Confidence.HIGH)
    report = Report(**{**sample_report().__dict__, "results": (
        CheckResult("DS-PROC-010", "Monitoring software running", "monitoring", Status.FINDINGS, (known,)),)})
    text = render(report, "table", width=100)
    assert "thing to look at" not in text
    assert "nothing of concern" in text and "1 tool marked as known and agreed to" in text


def test_skipped_checks_are_to_dos_and_other_systems_only_counted() -> None:
    text = render(busy_report(), "table", width=100)
    todo = text.index("Could not be checked: please do these by hand (1)")
    assert text.index("DS-BRW-020") > todo
    assert "Not for this operating system (4): DS-MAC-010, DS-WIN-010, DS-WIN-020, DS-WIN-030" in text
    assert "runs on Windows" not in text
