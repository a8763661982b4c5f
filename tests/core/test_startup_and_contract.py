"""Start-up stays light, and every registered check survives a default fake machine."""

from __future__ import annotations

import subprocess
import sys

import pytest

from digisafe.core.model import Status
from digisafe.core.registry import load_registry
from digisafe.core.runner import run_check

HEAVY = ["psutil", "exifread", "requests", "tabulate", "yaml", "fpdf", "digisafe.render.table", "sqlite3"]


def test_importing_the_cli_imports_nothing_heavy() -> None:
    code = (
        "import sys, digisafe.cli; heavy = " + repr(HEAVY) + "; print(','.join(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""


# Heavy helpers of the check modules: a check imports them inside the method that uses them, so
# listing the checks (which imports every check module for its metadata) stays fast.
HEAVY_CHECK_HELPERS = [
    "concurrent.futures",
    "digisafe.browsers.discovery",
    "digisafe.settings.macos",
    "digisafe.settings.ssh",
]


def test_listing_checks_imports_no_heavy_library() -> None:
    """`digisafe checks` loads every check module: they must import heavy libraries lazily.
    (Small standard-library modules such as sqlite3 or plistlib cost ~1 ms and are allowed.)"""
    code = (
        "import sys\nfrom digisafe.core.registry import load_registry\nload_registry()\nheavy = "
        + repr(["psutil", "exifread", "requests", "tabulate", "yaml", "fpdf", "PIL", "pillow_heif"]
               + HEAVY_CHECK_HELPERS)
        + "\nprint(','.join(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""


@pytest.mark.parametrize("platform", ["linux", "darwin", "windows"])
def test_every_registered_check_runs_on_a_default_fake_machine(make_ctx, platform) -> None:
    """The contract: built-in and plugin checks alike end as PASS, FINDINGS or SKIPPED, never ERROR,
    on an empty fake laptop of each platform."""
    registry = load_registry()
    assert not registry.broken, registry.broken
    ctx = make_ctx(platform=platform)
    for entry in registry.checks:
        result = run_check(entry, ctx)
        assert result.status is not Status.ERROR, (entry.id, result.reason)
        if result.status is Status.SKIPPED:
            assert result.reason


def test_every_check_has_documentation_and_unique_id() -> None:
    registry = load_registry()
    ids = [c.id for c in registry.checks]
    assert len(ids) == len(set(ids))
    for entry in registry.checks:
        doc = entry.cls.documentation()
        assert doc.startswith(f"{entry.id}: "), f"{entry.id}: its docstring should open with its ID and title"
        assert len(doc) > 150, f"{entry.id} needs user documentation in its module docstring"
        for part in ("Why it matters", "What to do"):
            assert part in doc, f"{entry.id}: the documentation should say {part.lower()}"


# What `digisafe checks` must not load (bench/startup.py, aim <= 1.5x `import click`): the report
# records and SubjectInfo are dataclasses loaded on first use (about 1 ms each). (pathlib, shutil and
# ipaddress matter too, but an editable install's import hook loads them itself, so only
# bench/startup.py on a normal install can see those.)
NOT_FOR_LISTING = ["digisafe.core.findings", "digisafe.core.subject_info", "digisafe.render.table"]


def test_the_checks_command_loads_only_what_it_needs() -> None:
    code = (
        "import atexit, sys\n"
        f"atexit.register(lambda: print(','.join(m for m in {NOT_FOR_LISTING!r} if m in sys.modules), "
        "file=sys.stderr))\n"
        "from digisafe.cli import main\nmain(['checks'])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip().splitlines()[-1:] in ([], [""]), done.stderr
