"""The audit session as a scripting caseworker meets it (issue 12): the format follows the output
suffix, zero checks is an error, a typo gets a suggestion, the screen keeps the findings after
the report went to a file; `processes --quiet` and `--known` tools that are not things to look at."""

from __future__ import annotations

import json

import pytest

from digisafe.cli import main
from tests.core.test_cli import fake_machine  # noqa: F401 - the fixture

LISTING = "Image Name,PID,Session Name,Session#,Mem Usage\n\"TeamViewer.exe\",\"4242\",\"Console\",\"1\",\"30,000 K\"\n"


def run(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    out, err = capsys.readouterr()
    return exc.value.code, out, err


@pytest.mark.parametrize(("name", "starts"), [("a.json", "{"), ("a.html", "<!DOCTYPE html>"), ("a.md", "# digisafe")])
def test_audit_output_suffix_sets_the_format(fake_machine, capsys, tmp_path, name, starts) -> None:  # noqa: F811
    code, out, err = run(capsys, "audit", "--only", "DS-TEST-010", "-o", str(tmp_path / name))
    assert code == 1 and out == ""
    assert (tmp_path / name).read_text().startswith(starts)
    assert f"wrote the report to {tmp_path / name}" in err
    assert "In short, digisafe found:" in err and "remote access is on" in err  # findings stay on screen
    assert "Save a report" not in err


def test_audit_refuses_a_suffix_that_contradicts_format(fake_machine, capsys, tmp_path) -> None:  # noqa: F811
    code, _, err = run(capsys, "audit", "--format", "json", "-o", str(tmp_path / "a.html"))
    assert code == 2 and "does not match" in err and not (tmp_path / "a.html").exists()


def test_an_audit_that_checked_nothing_says_so_and_exits_2(fake_machine, capsys, tmp_path) -> None:  # noqa: F811
    code, out, err = run(capsys, "audit", "--only", "DS-TEST-010", "--skip", "DS-TEST-010", "-o",
                         str(tmp_path / "a.json"))
    assert code == 2 and "nothing was checked" in err and "nothing of concern" not in out
    assert not (tmp_path / "a.json").exists()


def test_only_for_another_system_checks_nothing(capsys, tmp_path, monkeypatch) -> None:
    from tests.fakes import make_context

    monkeypatch.setattr("digisafe.system.build_context", lambda *a, **k: make_context(tmp_path, platform="linux"))
    monkeypatch.setattr("digisafe.system.LaptopSubject.platform_info",
                        lambda self: {"system": "linux", "release": "", "machine": "", "python": ""}, raising=False)
    code, out, err = run(capsys, "audit", "--only", "DS-MAC-010")
    assert code == 2 and "nothing was checked" in err and "macOS" in err, err


def test_audit_suggests_the_nearest_check_id(fake_machine, capsys) -> None:  # noqa: F811
    code, _, err = run(capsys, "audit", "--only", "DS-TEST-01")
    assert code == 2 and "Did you mean DS-TEST-010?" in err


def test_processes_quiet_and_known(tmp_path, capsys) -> None:
    listing = tmp_path / "tasklist.csv"
    listing.write_text(LISTING)
    code, out, _ = run(capsys, "processes", "--from", str(listing), "--quiet")
    assert code == 1 and out == ""  # TeamViewer: medium, at the default --fail-on
    code, out, _ = run(capsys, "processes", "--from", str(listing), "--known", "TeamViewer")
    assert code == 0 and "thing to look at" not in out and "things to look at" not in out
    assert "1 tool marked as known and agreed to" in " ".join(out.split())
    code, out, err = run(capsys, "processes", "--from", str(listing), "-o", str(tmp_path / "p.json"))
    assert json.loads((tmp_path / "p.json").read_text())["schema_version"]


def test_strip_in_place_says_originals_are_replaced_and_what_the_manifest_holds(tmp_path, capsys) -> None:
    from tests.photos import photo_build as build

    photo = tmp_path / "a.jpg"
    build.make_jpeg(photo)
    code, _, err = run(capsys, "photos", "strip", str(photo), "--in-place")
    flat = " ".join(err.split())
    assert code == 0 and "replaces the original files" in flat and "--manifest" in flat
    build.make_jpeg(photo)
    manifest = tmp_path / "m.json"
    code, _, err = run(capsys, "photos", "strip", str(photo), "--in-place", "--manifest", str(manifest))
    flat = " ".join(err.split())
    assert code == 0 and "replaces the original files" not in flat
    assert f"wrote the manifest to {manifest}" in flat and "coordinates and place names that were removed" in flat


def test_photo_scan_output_suffix_sets_the_format(tmp_path, capsys) -> None:
    from tests.photos import photo_build as build

    build.make_jpeg(tmp_path / "a.jpg")
    code, out, _ = run(capsys, "photos", "scan", str(tmp_path / "a.jpg"), "-o", str(tmp_path / "s.json"))
    assert code == 1 and json.loads((tmp_path / "s.json").read_text())["summary"]["with_location"] == 1
    code, _, err = run(capsys, "photos", "scan", str(tmp_path / "a.jpg"), "--format", "html", "-o",
                       str(tmp_path / "s.md"))
    assert code == 2 and "does not match" in err
