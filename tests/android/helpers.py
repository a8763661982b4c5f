"""A minimal audit context for collector tests: a device and the per-audit cache."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from digisafe.android.adb import AdbClient, ServerAddress
from digisafe.android.device import open_device


@dataclass
class PhoneCtx:
    device: Any
    _cache: dict = field(default_factory=dict)

    def cached(self, key, factory):
        if key not in self._cache:
            self._cache[key] = factory()
        return self._cache[key]


def connect_phone(server, serial=None, timeout=5.0, pull_policy="suspicious"):
    device = open_device(AdbClient(ServerAddress("127.0.0.1", server.port), timeout=timeout), serial, env={})
    device.pull_policy = pull_policy
    return device
