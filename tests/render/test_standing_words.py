"""The closing "nothing found does not prove safe" words say that checks could not run only when some
did not, and point to where those checks are listed in that very output (a report saved with -o
leaves nothing "above" on screen)."""

from __future__ import annotations

import dataclasses
import json

import pytest

from digisafe.cli import main
from digisafe.core.model import CheckResult, Status
from digisafe.render import render
from digisafe.render.table import closing
from tests.sample_report import sample_report

FORMATS = ("table", "markdown", "html", "json")


def _with(*statuses: Status):
    """The sample report with its failed check replaced by checks ending as ``statuses``."""
    base = sample_report()
    kept = tuple(r for r in base.results if r.status is not Status.ERROR)
    extra = tuple(CheckResult(f"DS-T-{i}0", f"Test check {i}", "other", s, reason="needs administrator rights"
                              if s is Status.SKIPPED else ("boom" if s is Status.ERROR else ""))
                  for i, s in enumerate(statuses, 1))
    return dataclasses.replace(base, results=kept + extra)


def _closing_words(text: str, fmt: str) -> str:
    if fmt == "json":
        return json.loads(text)["notices"][0]
    return text[text.rindex("hides well"):]


@pytest.mark.parametrize("fmt", FORMATS)
def test_when_every_check_ran_the_words_do_not_claim_some_could_not(fmt):
    for report in (_with(), dataclasses.replace(_with(), results=_with().results[1:2])):  # findings / none
        words = _closing_words(render(report, fmt), fmt)
        assert "could not run" not in words and "see above" not in words and "failed" not in words, words
    assert "could not run" not in " ".join(closing(_with(), 80, saved=True))


@pytest.mark.parametrize("fmt", FORMATS)
def test_checks_that_could_not_run_or_failed_are_counted_and_pointed_to(fmt):
    text = render(_with(Status.SKIPPED, Status.SKIPPED, Status.ERROR), fmt)
    words = " ".join(_closing_words(text, fmt).split())
    assert "2 checks could not run and 1 check failed" in words, words
    pointer = {"table": '"Could not be checked" above and "Failed" above',
               "markdown": '"Could not be checked or failed" above',
               "html": '"Could not be checked" above and "Failed" above',
               "json": 'status "skipped" and the results with status "error"'}[fmt]
    assert pointer.replace('"', "&quot;" if fmt == "html" else '"') in words, words
    only_skipped = " ".join(_closing_words(render(_with(Status.SKIPPED), fmt), fmt).split())
    assert "1 check could not run:" in only_skipped and "check failed" not in only_skipped, only_skipped


def test_after_saving_with_o_the_screen_points_to_the_saved_report_not_above():
    lines = " ".join(" ".join(closing(_with(Status.SKIPPED), 80, saved=True)).split())
    assert "1 check could not run: see the saved report." in lines and "above" not in lines, lines


def test_the_real_cli_saving_a_report_says_no_check_was_skipped(tmp_path, capsys):
    listing = tmp_path / "ps.txt"
    listing.write_text("USER PID %CPU %MEM VSZ RSS TTY STAT START TIME COMMAND\n"
                       "root 1 0.0 0.1 1000 100 ? Ss 10:00 0:01 /sbin/init\n")
    with pytest.raises(SystemExit) as done:
        main(["processes", "--from", str(listing), "-o", str(tmp_path / "r.md")])
    err = capsys.readouterr().err
    assert done.value.code == 0 and "hides well" in err
    assert "could not run" not in err and "above" not in err, err
    assert "could not run" not in (tmp_path / "r.md").read_text()
