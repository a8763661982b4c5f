"""Errors the CLI turns into one clear line and a documented exit code (never a traceback)."""

from __future__ import annotations


class DigisafeError(Exception):
    """Base class. ``exit_code`` is what the CLI exits with."""

    exit_code = 3


class InputError(DigisafeError):
    """Bad input from the user: a wrong option, a malformed file, an unwritable path (exit 2)."""

    exit_code = 2
