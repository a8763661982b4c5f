"""AndroidSubject: one phone on USB, audited read-only through the adb server.

It finds (or starts) the adb server, picks the phone (--serial, ANDROID_SERIAL, or the only one),
waits a little for the person to tap Allow, and gives the checks a Context whose ``device`` is the
read-only AndroidDevice. ``close()`` drops the connection and stops an adb server digisafe started.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any, Callable, Mapping

from digisafe.android.device import AndroidDevice, choose_device, open_device
from digisafe.android.errors import DeviceNotReady
from digisafe.android.server import AdbServer, connect
from digisafe.core.platforms import Platform
from digisafe.core.subject import Subject, SubjectInfo, SubjectKind

WAITING_STATES = ("unauthorized", "authorizing", "connecting")


def describe(device: AndroidDevice, props: Mapping[str, str]) -> str:
    maker = props.get("ro.product.manufacturer", "").strip().title()
    model = props.get("ro.product.model", "").strip() or device.entry.model or "Android phone"
    release = props.get("ro.build.version.release", "").strip()
    serial = device.serial
    tail = serial[-4:] if len(serial) > 4 else serial
    parts = [" ".join(p for p in (maker, model) if p), f"Android {release}" if release else "", f"serial ...{tail}"]
    return ", ".join(p for p in parts if p)


class AndroidSubject(Subject):
    def __init__(
        self,
        serial: str | None = None,
        pull_policy: str = "suspicious",
        wait: float = 0.0,
        env: Mapping[str, str] | None = None,
        status: Callable[[str], None] | None = None,
        timeout: float | None = None,
    ) -> None:
        self.serial = serial
        self.pull_policy = pull_policy
        self.wait = wait
        self.env = dict(os.environ if env is None else env)
        self.status = status or (lambda _m: None)
        self.timeout = timeout  # seconds one command may stay silent before the phone counts as gone
        self.server: AdbServer | None = None
        self.device: AndroidDevice | None = None
        self.props: dict[str, str] = {}
        self.info = SubjectInfo(SubjectKind.ANDROID, Platform.ANDROID, "an Android phone")

    def _wait_for_allow(self) -> None:
        assert self.server is not None
        deadline = time.monotonic() + self.wait
        told = False
        while True:
            try:
                choose_device(self.server.client, self.serial, self.env)
                return
            except DeviceNotReady:
                entries = self.server.client.devices()
                waiting = any(e.state in WAITING_STATES for e in entries)
                if not waiting or time.monotonic() >= deadline:
                    raise
                if not told:
                    self.status("Unlock the phone and tap Allow on 'Allow USB debugging?' (waiting...)")
                    told = True
                time.sleep(0.5)

    def connect(self) -> AndroidDevice:
        if self.device is None:
            self.server = connect(self.env, timeout=self.timeout)
            if self.wait > 0:
                self._wait_for_allow()
            device = open_device(self.server.client, self.serial, self.env)
            device.pull_policy = self.pull_policy  # type: ignore[attr-defined]
            from digisafe.android.parse_simple import getprop

            self.props = getprop(device.run_once(["getprop"]).text)
            self.device = device
            source = {
                "transport": "adb", "adb_server": str(self.server.client.address),
                "server_started_by_digisafe": self.server.started_by_us, "apk_pulls": self.pull_policy,
            }  # fmt: skip
            self.info = SubjectInfo(SubjectKind.ANDROID, Platform.ANDROID, describe(device, self.props),
                                    source=source)  # fmt: skip
        return self.device

    def context(self, options: Mapping[str, Mapping[str, Any]], known_tools: frozenset[str], data_dir: Path | None):  # noqa: ANN201
        from digisafe.core.context import Context

        device = self.connect()
        if data_dir is None:
            from digisafe.system import user_data_dir

            data_dir = user_data_dir()
        return Context(platform=Platform.ANDROID, subject=self.info, device=device, data_dir=data_dir,
                       options=options, known_tools=known_tools)  # fmt: skip

    def platform_info(self) -> dict[str, str]:
        return {
            "system": "android",
            "release": self.props.get("ro.build.version.release", ""),
            "machine": self.props.get("ro.product.model", ""),
            "python": "",
        }

    def close(self) -> None:
        if self.device is not None:
            self.device.close()
        if self.server is not None:
            self.server.stop()
