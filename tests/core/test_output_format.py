"""A report file holds what its name says: `-o report.html` is HTML, `-o r.json` JSON, and a --format
that contradicts the name is one line, exit 2, before anything runs (it wrote a text table into .html)."""

from __future__ import annotations

import json

import pytest

from tests.core.test_cli import fake_machine, run  # noqa: F401 - the fixture

LISTINGS = "tests/monitoring/listings"


@pytest.mark.parametrize(("name", "starts"), [("r.html", "<!DOCTYPE html>"), ("r.HTM", "<!DOCTYPE html>"),
                                              ("r.json", "{"), ("r.md", "# digisafe report"),
                                              ("r.txt", "digisafe found")])
def test_audit_output_format_follows_the_file_name(fake_machine, capsys, tmp_path, name, starts) -> None:  # noqa: F811
    target = tmp_path / name
    code, out, _ = run(capsys, "audit", "--output", str(target))
    assert code == 1 and out == ""
    assert target.read_text().lstrip().startswith(starts)


def test_a_contradicting_format_is_refused_before_the_audit(fake_machine, capsys, tmp_path) -> None:  # noqa: F811
    target = tmp_path / "r.html"
    code, _, err = run(capsys, "audit", "--format", "json", "--output", str(target))
    assert code == 2 and "does not match the name" in err and err.count("\n") == 1
    assert not target.exists() and "ctx" not in fake_machine  # nothing ran
    assert run(capsys, "audit", "--format", "json", "--output", str(tmp_path / "r.out"))[0] == 1  # others: as asked
    json.loads((tmp_path / "r.out").read_text())


def test_report_and_processes_follow_the_file_name(fake_machine, capsys, tmp_path) -> None:  # noqa: F811
    saved = tmp_path / "r.json"
    run(capsys, "audit", "--output", str(saved))
    assert json.loads(saved.read_text())["schema_version"]
    assert run(capsys, "report", str(saved), "-o", str(tmp_path / "again.md"))[0] == 0
    assert (tmp_path / "again.md").read_text().startswith("# digisafe report")
    assert run(capsys, "report", str(saved), "--format", "html", "-o", str(tmp_path / "x.md"))[0] == 2


def test_processes_json_by_name_keeps_the_listing(capsys, tmp_path) -> None:
    listing = tmp_path / "p.json"
    assert run(capsys, "processes", "--from", f"{LISTINGS}/ubuntu2404_ps.txt", "-o", str(listing))[0] == 0
    assert "process_listing" in json.loads(listing.read_text())["attachments"]  # readable again with --from


@pytest.mark.parametrize("name", ["r.pdf", "r.DOCX"])
def test_a_document_name_no_format_writes_is_refused(fake_machine, capsys, tmp_path, name) -> None:  # noqa: F811
    """`-o report.pdf` wrote the plain-text table into a file no PDF reader opens."""
    target = tmp_path / name
    code, _, err = run(capsys, "audit", "--output", str(target))
    assert code == 2 and "print it" in err and err.count("\n") == 1
    assert not target.exists() and "ctx" not in fake_machine
