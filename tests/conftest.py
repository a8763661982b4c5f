from __future__ import annotations

import pytest

from tests.fakes import make_context


@pytest.fixture
def make_ctx(tmp_path):
    """Build a Context from fakes rooted at tmp_path: make_ctx(platform="darwin", processes=...)."""

    def build(**overrides):
        return make_context(tmp_path, **overrides)

    return build


@pytest.fixture(autouse=True)
def _guard_real_machine(request, monkeypatch):
    """Any unmarked test that reads the real machine's processes, sockets or sessions fails.
    (Real sockets and child processes that a test starts itself are fine.) The `system` marker is
    declared in pyproject.toml."""
    if request.node.get_closest_marker("system"):
        return
    import psutil

    def refuse(*_args, **_kwargs):
        raise AssertionError("this test touched the real machine; mark it @pytest.mark.system or use a fake")

    for name in ("process_iter", "net_connections", "users", "pids"):
        monkeypatch.setattr(psutil, name, refuse)
    monkeypatch.setattr("digisafe.system.build_context", refuse)
