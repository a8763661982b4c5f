"""Every exit code, every bad-input path, and --output, through the real CLI entry point."""

from __future__ import annotations

import json
import os
import stat

import pytest

from digisafe.cli import main
from digisafe.core.check import Check
from digisafe.core.model import Severity
from digisafe.core.options import OptionSpec
from digisafe.core.registry import RegisteredCheck, Registry
from tests.fakes import make_context


class High(Check):
    id = "DS-TEST-010"
    title = "a high finding"
    category = "remote-access"

    def run(self, ctx):
        yield self.finding(Severity.HIGH, "remote access is on", subject="tcp 0.0.0.0:3389", evidence={"port": 3389})


class Low(Check):
    id = "DS-TEST-020"
    title = "a low finding"
    category = "accounts"
    options = {"explode": OptionSpec("flag", "fail on purpose")}

    def run(self, ctx):
        yield self.finding(Severity.LOW, "another account exists")
        if ctx.option(self.id, "explode"):
            raise RuntimeError("asked to fail")


class Clean(Check):
    id = "DS-TEST-030"
    title = "finds nothing"
    category = "system"

    def run(self, ctx):
        return []


class Crashing(Check):
    id = "DS-TEST-040"
    title = "crashes"
    category = "system"

    def run(self, ctx):
        raise OSError("disk on fire")


@pytest.fixture
def fake_machine(monkeypatch, tmp_path):
    """The audit command runs against fakes and these test checks."""
    registry = Registry(tuple(RegisteredCheck(c, "built-in") for c in (High, Low, Clean, Crashing)), ())
    seen = {}

    def build(options=None, known_tools=frozenset(), data_dir=None):
        ctx = make_context(tmp_path, options=options or {}, known_tools=known_tools)
        seen["ctx"] = ctx
        return ctx

    monkeypatch.setattr("digisafe.core.registry.load_registry", lambda: registry)
    monkeypatch.setattr("digisafe.system.build_context", build)
    monkeypatch.setenv("NO_COLOR", "1")
    return seen


def run(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    out, err = capsys.readouterr()
    return exc.value.code, out, err


def test_version(capsys) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.startswith("digisafe 0.")


def test_clean_run_exits_0_and_says_nothing_found_is_not_safe(fake_machine, capsys) -> None:
    code, out, err = run(capsys, "audit", "--only", "DS-TEST-030")
    assert code == 0
    assert "does not prove that this laptop is safe" in out
    assert "0808 802 0300" in out and "999" in out
    assert "Traceback" not in err


def test_findings_at_or_above_fail_on_exit_1(fake_machine, capsys) -> None:
    assert run(capsys, "audit", "--only", "DS-TEST-010,DS-TEST-030")[0] == 1
    assert run(capsys, "audit", "--only", "DS-TEST-020")[0] == 0  # low < default medium
    assert run(capsys, "audit", "--only", "DS-TEST-020", "--fail-on", "low")[0] == 1
    assert run(capsys, "audit", "--only", "DS-TEST-010", "--fail-on", "never")[0] == 0
    assert run(capsys, "audit", "--only", "DS-TEST-010", "--fail-on", "critical")[0] == 0


def test_a_failed_check_makes_the_audit_incomplete_exit_4(fake_machine, capsys) -> None:
    code, out, _ = run(capsys, "audit", "--skip", "DS-TEST-010")
    assert code == 4
    assert "FAILED: disk on fire" in out
    # findings above the threshold still win over "incomplete"
    assert run(capsys, "audit")[0] == 1


@pytest.mark.parametrize(
    "args,message",
    [
        (("audit", "--only", "DS-NOPE-999"), "unknown check ID DS-NOPE-999"),
        (("audit", "--category", "nonsense"), "unknown category nonsense"),
        (("audit", "--fail-on", "severe"), "--fail-on"),
        (("audit", "--format", "xml"), "Invalid value"),
        (("audit", "--bogus"), "No such option"),
        (("explain", "DS-NOPE-999"), "unknown check ID"),
        (("nosuchcommand",), "No such command"),
    ],
)
def test_usage_errors_exit_2_with_one_clear_line(fake_machine, capsys, args, message) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2
    assert message in err
    assert "Traceback" not in err and out == ""


def test_internal_error_exits_3_without_traceback(fake_machine, capsys, monkeypatch) -> None:
    def broken_render(*_a, **_k):
        raise RuntimeError("renderer bug")

    monkeypatch.setattr("digisafe.render.render", broken_render)
    code, _, err = run(capsys, "audit", "--only", "DS-TEST-030")
    assert code == 3
    assert "internal error: RuntimeError: renderer bug" in err and "Traceback" not in err


def test_interrupt_exits_130(fake_machine, capsys, monkeypatch) -> None:
    def interrupted(*_a, **_k):
        raise KeyboardInterrupt

    monkeypatch.setattr("digisafe.core.runner.run_check", interrupted)
    code, _, err = run(capsys, "audit")
    assert code == 130 and "interrupted" in err


def test_json_output_file_is_private_atomic_and_has_no_identity(fake_machine, capsys, tmp_path) -> None:
    target = tmp_path / "out" / "report.json"
    target.parent.mkdir()
    code, out, err = run(capsys, "audit", "--format", "json", "--output", str(target), "--skip", "DS-TEST-040")
    assert code == 1 and out == ""
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    data = json.loads(target.read_text())
    assert data["schema_version"] == "2.0" and "identity" not in data
    assert [r["check_id"] for r in data["results"]] == ["DS-TEST-010", "DS-TEST-020", "DS-TEST-030"]
    assert sorted(os.listdir(target.parent)) == ["report.json"]  # no temp files left
    code, _, _ = run(
        capsys, "audit", "--format", "json", "--output", str(target), "--include-identity", "--only", "DS-TEST-030"
    )
    assert code == 0 and set(json.loads(target.read_text())["identity"]) == {"hostname", "user"}


def test_unwritable_output_exits_2_and_leaves_nothing(fake_machine, capsys, tmp_path) -> None:
    missing = tmp_path / "no-such-folder" / "r.json"
    code, _, err = run(capsys, "audit", "--output", str(missing))
    assert code == 2 and "does not exist" in err and not missing.parent.exists()
    readonly = tmp_path / "ro"
    readonly.mkdir()
    readonly.chmod(0o500)
    if os.geteuid() != 0:  # root can write anywhere
        code, _, err = run(capsys, "audit", "--output", str(readonly / "r.json"))
        assert code == 2 and "permission denied" in err
    assert list(readonly.iterdir()) == []


def test_profile_selects_options_and_threshold(fake_machine, capsys, tmp_path) -> None:
    profile = tmp_path / "session.toml"
    profile.write_text(
        'fail_on = "low"\nonly = ["DS-TEST-020"]\nformat = "json"\nknown = ["TeamViewer"]\n'
        '[checks."DS-TEST-020"]\nexplode = true\n'
    )
    code, out, _ = run(capsys, "audit", "--profile", str(profile))
    assert code == 1  # the low finding counts at fail_on=low
    data = json.loads(out)
    assert data["results"][0]["status"] == "error" and "asked to fail" in data["results"][0]["reason"]
    assert fake_machine["ctx"].known_tools == frozenset({"teamviewer"})


@pytest.mark.parametrize(
    "text,message",
    [
        ('fail_on = "low"\nonly = [\n', "not valid TOML"),
        ('fail_on = "low"\nskip = [1, \n\nonly = ]\nx=1\n', "line 4"),
        ('fail_on = "low"\ncolour = true\n', "line 2: unknown setting 'colour'"),
        ('skip = "DS-TEST-010"\n', "line 1: 'skip' must be a list"),
        ('[checks."DS-NOPE-010"]\nx = 1\n', "options for unknown check DS-NOPE-010"),
    ],
)
def test_malformed_profiles_exit_2_naming_the_line(fake_machine, capsys, tmp_path, text, message) -> None:
    profile = tmp_path / "bad.toml"
    profile.write_text(text)
    code, _, err = run(capsys, "audit", "--profile", str(profile))
    assert code == 2 and message in err and "Traceback" not in err
    if "not valid TOML" in message:
        assert "line 3" in err


def test_report_re_renders_a_saved_json_report(fake_machine, capsys, tmp_path) -> None:
    saved = tmp_path / "r.json"
    run(capsys, "audit", "--format", "json", "--output", str(saved))
    code, out, _ = run(capsys, "report", str(saved), "--format", "markdown")
    assert code == 0 and "# digisafe report" in out and "remote access is on" in out
    html = tmp_path / "r.html"
    assert run(capsys, "report", str(saved), "--format", "html", "--output", str(html))[0] == 0
    assert html.read_text().startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("content", [b"", b"{not json", b"\xff\xfe\x00", b'{"schema_version": "1.0"}', b"[1, 2]"])
def test_corrupt_report_files_exit_2(capsys, tmp_path, content) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    code, out, err = run(capsys, "report", str(bad), "--format", "html", "--output", str(tmp_path / "o.html"))
    assert code == 2 and err.startswith("digisafe: error:") and "Traceback" not in err
    assert not (tmp_path / "o.html").exists()


def test_checks_and_explain(fake_machine, capsys) -> None:
    code, out, _ = run(capsys, "checks")
    assert code == 0 and "DS-TEST-010" in out and "built-in" in out
    code, out, _ = run(capsys, "checks", "--format", "json")
    assert {row["id"] for row in json.loads(out)} >= {"DS-TEST-010", "DS-TEST-040"}
    code, out, _ = run(capsys, "explain", "ds-test-010")
    assert code == 0 and "DS-TEST-010: a high finding" in out


def test_audit_checklist_is_written_with_the_report(fake_machine, capsys, tmp_path) -> None:
    checklist = tmp_path / "checklist.md"
    code, out, err = run(capsys, "audit", "--only", "DS-TEST-010", "--checklist", str(checklist))
    assert code == 1 and "wrote the checklist to" in err
    text = checklist.read_text()
    assert "0808 802 0300" in text and "remote access is on" in text
    assert oct(checklist.stat().st_mode & 0o777) == "0o600"


def test_audit_checklist_with_unknown_suffix_fails_before_running(fake_machine, capsys, tmp_path) -> None:
    code, out, err = run(capsys, "audit", "--checklist", str(tmp_path / "list.docx"))
    assert code == 2 and "cannot tell the format" in err and out == ""
    assert "ctx" not in fake_machine  # nothing ran
    # --format is the report's: following "or give --format" would change the report, not the checklist
    assert "--format" not in err and "--checklist" in err


class Personal(Check):
    id = "DS-TEST-050"
    title = "mentions the person"
    category = "other"

    def run(self, ctx):
        yield self.finding(Severity.LOW, "zed's file on box-7", subject=str(ctx.files.home / "Desktop" / "x"),
                           evidence={"owner": "zed"})


def test_reports_hold_no_identity_unless_asked(fake_machine, capsys, monkeypatch) -> None:
    registry = Registry((RegisteredCheck(Personal, "built-in"),), ())
    monkeypatch.setattr("digisafe.core.registry.load_registry", lambda: registry)
    monkeypatch.setattr("digisafe.system.identity", lambda: {"hostname": "box-7", "user": "zed"})
    _, out, _ = run(capsys, "audit", "--format", "json")
    assert "zed" not in out and "box-7" not in out and "identity" not in json.loads(out)
    finding = json.loads(out)["results"][0]["findings"][0]
    assert finding["title"] == "<user>'s file on <computer>" and finding["subject"] == "~/Desktop/x"
    _, out, _ = run(capsys, "audit", "--format", "json", "--include-identity")
    data = json.loads(out)
    assert data["identity"] == {"hostname": "box-7", "user": "zed"}
    assert data["results"][0]["findings"][0]["evidence"]["owner"] == "zed"


def test_progress_only_on_a_terminal_and_never_with_quiet(fake_machine, capsys, monkeypatch) -> None:
    _, _, err = run(capsys, "audit", "--only", "DS-TEST-030")
    assert "[1/1]" not in err  # captured stderr is not a terminal
    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    _, _, err = run(capsys, "audit", "--only", "DS-TEST-030")
    assert "[1/1] finds nothing" in err
    _, out, err = run(capsys, "audit", "--only", "DS-TEST-030", "--quiet")
    assert "[1/1]" not in err and out == ""


def test_colour_only_on_a_terminal_without_no_color(fake_machine, capsys, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    _, out, _ = run(capsys, "audit", "--only", "DS-TEST-010")
    assert "\x1b[" not in out  # NO_COLOR is set by the fixture
    monkeypatch.delenv("NO_COLOR")
    _, out, _ = run(capsys, "audit", "--only", "DS-TEST-010")
    assert "\x1b[" in out
    monkeypatch.setattr("sys.stdout.isatty", lambda: False)
    _, out, _ = run(capsys, "audit", "--only", "DS-TEST-010")
    assert "\x1b[" not in out
