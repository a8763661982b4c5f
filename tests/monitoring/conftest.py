from __future__ import annotations

import shutil
import subprocess
import time

import pytest

from digisafe.indicators import clear_cache


@pytest.fixture(autouse=True)
def _fresh_indicator_cache():
    """Each test sees the database it set up (the loader caches per folder and process)."""
    clear_cache()
    yield
    clear_cache()


@pytest.fixture
def spawn(tmp_path):
    """Start a copy of /bin/sleep under the given name (killed after the test); ``.args[0]`` is its file."""
    children: list[subprocess.Popen] = []

    def start(name: str) -> subprocess.Popen:
        program = tmp_path / name
        shutil.copy(shutil.which("sleep"), program)
        child = subprocess.Popen([str(program), "30"])
        children.append(child)
        time.sleep(0.05)  # let exec() finish so the process carries its new name
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
