"""Test hooks into a strip: change the original right after its first walk (before the copy)."""

from __future__ import annotations

from typing import Callable

from digisafe.photos import strip


def change_after_first_walk(monkeypatch, change: Callable[[], object]) -> None:
    """``change()`` runs once, right after strip has walked the original and before it copies it."""
    real_walk = strip.walk_file
    calls = []

    def walk_then_change(f, size=None, quick=False, seen=None):
        found = real_walk(f, size, quick=quick, seen=seen)
        calls.append(1)
        if len(calls) == 1:
            change()
        return found

    monkeypatch.setattr(strip, "walk_file", walk_then_change)
