"""Errors of the phone transport. Each message is one plain line for a caseworker."""

from __future__ import annotations

from digisafe.core.errors import InputError


class AdbError(InputError):
    """Talking to the adb server or the phone failed; the message says what to do."""


class AdbServerUnavailable(AdbError):
    """No adb server answers and none could be started (no platform-tools)."""


class DeviceNotReady(AdbError):
    """The phone is attached but not usable: not authorised, offline, or not found."""


class DeviceGone(AdbError):
    """The connection to the phone broke during a command (unplugged, locked, rebooted)."""


class AdbTimeout(DeviceGone):
    """The phone or the adb server stopped answering within the time allowed."""


class CommandRefused(AdbError):
    """digisafe refused to send a command that is not on its read-only allow-list (a bug of ours)."""
