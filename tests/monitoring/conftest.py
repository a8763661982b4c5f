from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest

from digisafe.indicators import clear_cache


@pytest.fixture(autouse=True)
def _fresh_indicator_cache():
    """Each test sees the database it set up (the loader caches per folder and process)."""
    clear_cache()
    yield
    clear_cache()


def _wait_for_name(pid: int, name: str, deadline_s: float = 10.0) -> None:
    """Wait until exec() has finished and the process carries its new name (a fixed sleep raced on a
    loaded machine). Without /proc, fall back to a short pause."""
    comm = Path(f"/proc/{pid}/comm")
    if not Path("/proc/self/comm").exists():
        time.sleep(0.05)
        return
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        try:
            if comm.read_text().strip() == name[:15]:  # NOTE: the kernel keeps 15 characters of a name
                return
        except OSError:
            pass
        time.sleep(0.005)
    raise AssertionError(f"process {pid} did not take the name {name!r} within {deadline_s} s")


@pytest.fixture
def spawn(tmp_path):
    """Start a copy of /bin/sleep under the given name (killed after the test); ``.args[0]`` is its file."""
    children: list[subprocess.Popen] = []

    def start(name: str) -> subprocess.Popen:
        program = tmp_path / name
        shutil.copy(shutil.which("sleep"), program)
        child = subprocess.Popen([str(program), "30"])
        children.append(child)
        _wait_for_name(child.pid, name)
        return child

    yield start
    for child in children:
        child.kill()
        child.wait()


@pytest.fixture
def custom_db(monkeypatch):
    """Replace the indicator database with products given as plain dicts (the real schema)."""

    def install(products: list[dict], built: str = "2026-11-01"):
        import digisafe.indicators as indicators
        from digisafe.indicators.database import build_database, load_builtin
        from digisafe.indicators.schema import product_from_dict

        _meta, _products, system_programs = load_builtin()
        db = build_database(
            {"version": "test", "built": built},
            [product_from_dict({"sources": [{"name": "test", "url": "https://example.org"}], **p}) for p in products],
            system_programs,
        )
        monkeypatch.setattr(indicators, "load_database", lambda data_dir=None: db)
        return db

    return install


def run_check(check_cls, ctx):
    from digisafe.core.model import Finding

    items = list(check_cls().run(ctx))
    findings = [i for i in items if isinstance(i, Finding)]
    limits = [i.message for i in items if not isinstance(i, Finding)]
    return findings, limits
