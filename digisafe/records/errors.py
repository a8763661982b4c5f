"""The log's errors: each is one clear line and exit 2 (an input problem, not a digisafe bug)."""

from __future__ import annotations

from digisafe.core.errors import InputError


class LogError(InputError):
    """The log cannot be used as asked: missing, damaged, wrong passphrase, unwritable."""


class WrongPassphraseError(LogError):
    """The passphrase does not open this log."""
