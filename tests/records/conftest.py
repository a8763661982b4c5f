"""Fixtures for the log tests: real logs with real encryption, made with the fast scrypt setting
(crypto.TEST_ONLY_KDF, passed explicitly; one test in test_crypto.py uses the real setting)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from digisafe.records import crypto
from digisafe.records.store import LogStore

PASSPHRASE = "a test passphrase, not a real one"


def entry(what: str, **fields: str) -> dict:
    from digisafe.records.entry import build_entry, parse_when, utc_now

    now = utc_now()
    return build_entry({"what_happened": what, **fields}, parse_when("2026-11-30 21:15", "Europe/London", now), now)


@pytest.fixture
def log_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "log"
    LogStore.create(folder, PASSPHRASE, kdf=crypto.TEST_ONLY_KDF).close()
    return folder


@pytest.fixture
def env(tmp_path: Path) -> dict:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    return {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(home / ".data"), "NO_COLOR": "1",
            "DIGISAFE_LOG_PASSPHRASE": PASSPHRASE}


@pytest.fixture
def run(env: dict):
    """Run the real CLI in a child process: run("log", "list", "--folder", ...)."""

    def runner(*args: str, input: str | None = None, extra_env: dict | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "digisafe", *args], input=input, capture_output=True,
                              text=True, env={**env, **(extra_env or {})}, timeout=120)

    return runner
