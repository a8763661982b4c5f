"""`digisafe guide`, `digisafe checklist` and write_checklist, run through the real CLI entry."""

from __future__ import annotations

import io
import json
import os
import stat
import sys

import pytest
from pypdf import PdfReader

from digisafe import cli
from digisafe.core.errors import InputError
from digisafe.guidance.checklist import format_for, write_checklist

HELPLINE = "0808 802 0300"


def run(argv, capsys):
    with pytest.raises(SystemExit) as caught:
        cli.main(argv)
    out = capsys.readouterr()
    return caught.value.code, out.out, out.err


@pytest.fixture
def report_file(tmp_path, report):
    path = tmp_path / "report.json"
    path.write_text(json.dumps(report.to_dict()), encoding="utf-8")
    return path


def _private(path) -> bool:
    return os.name == "nt" or stat.S_IMODE(path.stat().st_mode) == 0o600


def _pdf_text(path) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(path.read_bytes())).pages)


def test_guide_without_topic_lists_topics(capsys, guidance):
    code, out, _ = run(["guide"], capsys)
    assert code == 0
    for topic in guidance.topics:
        assert topic.id in out
    assert "digisafe guide TOPIC" in out


def test_guide_topic_item_and_platform(capsys):
    code, out, _ = run(["guide", "phones", "--platform", "android"], capsys)
    assert code == 0 and "Android:" in out and "iPhone:" not in out and "phones.safety-check" not in out
    code, out, _ = run(["guide", "accounts.two-step", "--details"], capsys)
    assert code == 0 and "[accounts.two-step]" in out and "[accounts.list]" not in out
    code, out, _ = run(["guide", "trackers", "--platform", "windows,mac", "--details"], capsys)
    assert code == 0 and "trackers.bluetooth-off" in out and "trackers.scan" not in out


def test_guide_markdown_to_stdout(capsys):
    code, out, _ = run(["guide", "records", "--format", "markdown"], capsys)
    assert code == 0 and out.startswith("# ") and "### Keep an incident log" in out


@pytest.mark.parametrize("argv, message", [
    (["guide", "acounts"], "did you mean accounts"),
    (["guide", "--platform", "nokia"], "unknown platform 'nokia'"),
    (["guide", "phones.safety-check", "--platform", "windows"], "no steps in phones.safety-check for windows"),
])
def test_guide_bad_input_exits_2(capsys, argv, message):
    code, out, err = run(argv, capsys)
    assert code == 2 and message in err and not out
    assert err.count("\n") == 1


def test_guide_pdf_and_html_files(tmp_path, capsys):
    target = tmp_path / "guide.pdf"
    code, _, _ = run(["guide", "all", "--output", str(target), "--paper", "letter"], capsys)
    assert code == 0 and target.read_bytes().startswith(b"%PDF") and _private(target)
    assert "laptop.remote-access" in _pdf_text(target)
    page = tmp_path / "guide.html"
    code, _, _ = run(["guide", "--output", str(page)], capsys)  # no TOPIC in a file: the whole guide
    assert code == 0 and "support.police" in page.read_text(encoding="utf-8")


def test_checklist_text_on_screen(capsys, guidance):
    code, out, _ = run(["checklist"], capsys)
    assert code == 0 and out.count("[ ] ") == len(guidance.items) and HELPLINE in " ".join(out.split())


def test_checklist_from_report_to_pdf(tmp_path, capsys, report_file):
    target = tmp_path / "checklist.pdf"
    code, out, err = run(["checklist", "--from-report", str(report_file), "--output", str(target),
                          "--log-pages", "1", "--paper", "letter"], capsys)
    assert code == 0 and not out and "written to" in err and "Keep it somewhere safe" in err
    assert _private(target)
    text = _pdf_text(target)
    assert "FOUND: A remote-control program is waiting" in text and "Incident log (1 of 1)" in text
    assert "/usr/bin/anydesk" not in text
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp files left


def test_checklist_include_findings(tmp_path, capsys, report_file):
    target = tmp_path / "checklist.md"
    code, _, err = run(["checklist", "--from-report", str(report_file), "--output", str(target),
                        "--include-findings"], capsys)
    assert code == 0 and "includes the findings" in err
    body = target.read_text(encoding="utf-8")
    assert "/usr/bin/anydesk" in body and "Paper can be found" in body


def test_pdf_refused_at_a_terminal(capsys, monkeypatch, report_file):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, out, err = run(["checklist", "--from-report", str(report_file), "--format", "pdf"], capsys)
    assert code == 2 and "--output" in err and not out


@pytest.mark.parametrize("content, message", [
    ("{not json", "not a readable JSON report"),
    ('{"hello": 1}', "not a digisafe report"),
    ('{"schema_version": "9.0"}', "not supported"),
    ('{"schema_version": "1.0", "tool": {}}', "damaged or incomplete"),
])
def test_bad_report_exits_2_and_writes_nothing(tmp_path, capsys, content, message):
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    target = tmp_path / "out.pdf"
    code, _, err = run(["checklist", "--from-report", str(bad), "--output", str(target)], capsys)
    assert code == 2 and message in err and "Traceback" not in err
    assert not target.exists()


@pytest.mark.parametrize("argv, message", [
    (["checklist", "--include-findings"], "--include-findings needs --from-report"),
    (["checklist", "--output", "x.docx"], "cannot tell the format"),
    (["checklist", "--log-pages", "99"], "99"),
    (["checklist", "--from-report", "/no/such/report.json"], "cannot read"),
])
def test_checklist_bad_options(tmp_path, capsys, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(argv, capsys)
    assert code == 2 and message in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name, start", [("c.pdf", b"%PDF"), ("c.html", b"<!DOCTYPE html>"),
                                         ("c.md", b"# Your digital"), ("c.txt", b"YOUR DIGITAL")])
def test_write_checklist_picks_format_from_suffix(tmp_path, report, name, start):
    target = tmp_path / name
    write_checklist(report, target)
    assert target.read_bytes().startswith(start) and _private(target)


def test_write_checklist_options(tmp_path, report):
    target = tmp_path / "list.out"
    write_checklist(report, target, fmt="html", paper="letter", log_pages=1)
    assert "size:letter" in target.read_text(encoding="utf-8")
    with pytest.raises(InputError, match="cannot tell the format"):
        write_checklist(report, tmp_path / "list.docx")
    with pytest.raises(InputError, match="paper"):
        write_checklist(report, tmp_path / "x.pdf", paper="a3")
    with pytest.raises(InputError, match="cannot write"):
        write_checklist(report, tmp_path / "missing" / "x.pdf")
    assert format_for("X.PDF", None) == "pdf" and format_for("x", "markdown") == "markdown"
