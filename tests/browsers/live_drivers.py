"""Drive a real, headless Chromium or Firefox to write real profile files in a temporary folder.

Chromium is driven over --remote-debugging-pipe (file descriptors 3 and 4: no socket at all);
Firefox over Marionette on 127.0.0.1 with every network service pointed at a closed local port.
Used only by test_live_browsers.py, which skips when the browsers are not installed.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

CHROMIUM_NAMES = ("chromium", "chromium-browser")
FIREFOX_NAMES = ("firefox-esr", "firefox")
QUIET_CHROMIUM = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-default-apps", "--disable-domain-reliability", "--metrics-recording-only",
                  "--remote-debugging-pipe")


class BrowserFailed(RuntimeError):
    """The browser could not be started or driven here (the test skips, saying why)."""


def find(names: tuple[str, ...]) -> str | None:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


def _quiet_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), XDG_CACHE_HOME=str(home / ".cache"))
    return env


class Chromium:
    def __init__(self, binary: str, user_data: Path, home: Path, extra: tuple[str, ...] = ()) -> None:
        to_browser_r, self._write = os.pipe()
        self._read, from_browser_w = os.pipe()

        def wire() -> None:
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)

        self._log = (user_data.parent / "chromium.log").open("w")
        self.proc = subprocess.Popen([binary, *QUIET_CHROMIUM, f"--user-data-dir={user_data}", *extra, "about:blank"],
                                     pass_fds=(3, 4), preexec_fn=wire, stdout=subprocess.DEVNULL,
                                     stderr=self._log, env=_quiet_env(home))
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None,
             timeout: float = 20.0) -> Any:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        try:
            os.write(self._write, json.dumps(message).encode() + b"\0")
        except OSError as exc:
            raise BrowserFailed(f"Chromium went away ({exc})") from None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            while b"\0" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\0", 1)
                reply = json.loads(raw)
                if reply.get("id") == self._next_id:
                    if "error" in reply:
                        raise BrowserFailed(f"{method}: {reply['error']}")
                    return reply.get("result")
            ready, _, _ = select.select([self._read], [], [], 0.5)
            if ready:
                chunk = os.read(self._read, 1 << 20)
                if not chunk:
                    raise BrowserFailed("Chromium closed its DevTools pipe")
                self._buffer += chunk
        raise BrowserFailed(f"Chromium did not answer {method} in {timeout} s")

    def settings_page(self) -> str:
        """A chrome://settings tab's DevTools session (its chrome.send is what the Settings UI uses)."""
        target = self.send("Target.createTarget", {"url": "chrome://settings/content/location"})
        session = self.send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True})["sessionId"]
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.evaluate(session, "typeof chrome !== 'undefined' && typeof chrome.send") == "function":
                return session
            time.sleep(0.2)
        raise BrowserFailed("chrome://settings did not load")

    def evaluate(self, session: str, expression: str) -> Any:
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=session)
        return (result or {}).get("result", {}).get("value")

    def close(self) -> None:
        try:
            self.send("Browser.close", timeout=5)
        except BrowserFailed:
            pass
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        for fd in (self._read, self._write):
            try:
                os.close(fd)
            except OSError:
                pass
        self._log.close()


# Firefox: everything that might reach the network is pointed at a closed local port.
QUIET_FIREFOX_PREFS: dict[str, Any] = {
    "xpinstall.signatures.required": False, "extensions.autoDisableScopes": 0,
    "browser.shell.checkDefaultBrowser": False, "app.update.enabled": False, "app.update.auto": False,
    "datareporting.policy.dataSubmissionEnabled": False, "datareporting.healthreport.uploadEnabled": False,
    "toolkit.telemetry.enabled": False, "toolkit.telemetry.server": "", "browser.startup.homepage": "about:blank",
    "network.proxy.type": 1, "network.proxy.http": "127.0.0.1", "network.proxy.http_port": 9,
    "network.proxy.ssl": "127.0.0.1", "network.proxy.ssl_port": 9, "network.proxy.socks": "127.0.0.1",
    "network.proxy.socks_port": 9, "network.proxy.no_proxies_on": "", "network.proxy.allow_hijacking_localhost": False,
    "network.dns.disableIPv6": True, "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False, "extensions.update.enabled": False,
    "extensions.getAddons.cache.enabled": False, "extensions.blocklist.enabled": False,
    "browser.safebrowsing.update.enabled": False, "browser.safebrowsing.downloads.remote.enabled": False,
    "services.settings.server": "http://127.0.0.1:9/", "browser.region.network.url": "",
    "geo.provider.network.url": "", "browser.newtabpage.enabled": False, "network.prefetch-next": False,
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Firefox:
    def __init__(self, binary: str, profile: Path, home: Path) -> None:
        self.port = free_port()
        prefs = dict(QUIET_FIREFOX_PREFS, **{"marionette.port": self.port})
        with (profile / "user.js").open("w", encoding="utf-8") as handle:
            for name, value in prefs.items():
                handle.write(f"user_pref({json.dumps(name)}, {json.dumps(value)});\n")
        self._log = (profile.parent / "firefox.log").open("w")
        self.proc = subprocess.Popen([binary, "--headless", "--marionette", "-remote-allow-system-access",
                                      "--no-remote", "-profile", str(profile), "about:blank"],
                                     stdout=subprocess.DEVNULL, stderr=self._log, env=_quiet_env(home))
        self._buffer = b""
        self._next_id = 0
        try:
            self._sock = self._connect()
            self._receive()  # the server's hello
            self.command("WebDriver:NewSession", {"capabilities": {}})
            self.command("Marionette:SetContext", {"value": "chrome"})
        except (BrowserFailed, OSError):
            self.proc.kill()
            self.proc.wait(5)
            self._log.close()
            raise

    def _connect(self) -> socket.socket:
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BrowserFailed(f"Firefox exited with {self.proc.returncode}")
            try:
                return socket.create_connection(("127.0.0.1", self.port), timeout=20)
            except OSError:
                time.sleep(0.2)
        raise BrowserFailed("Firefox did not open Marionette")

    def _receive(self) -> Any:
        while b":" not in self._buffer:
            chunk = self._sock.recv(65536)
            if not chunk:
                raise BrowserFailed("Firefox closed Marionette")
            self._buffer += chunk
        size, rest = self._buffer.split(b":", 1)
        while len(rest) < int(size):
            chunk = self._sock.recv(65536)
            if not chunk:
                raise BrowserFailed("Firefox closed Marionette")
            rest += chunk
        self._buffer = rest[int(size):]
        return json.loads(rest[: int(size)])

    def command(self, name: str, params: dict[str, Any] | None = None) -> Any:
        self._next_id += 1
        data = json.dumps([0, self._next_id, name, params or {}]).encode()
        try:
            self._sock.sendall(str(len(data)).encode() + b":" + data)
            reply = self._receive()
        except OSError as exc:
            raise BrowserFailed(f"Marionette {name}: {exc}") from None
        if reply[2]:
            raise BrowserFailed(f"Marionette {name}: {reply[2].get('message', reply[2])}")
        return reply[3]

    def script(self, source: str) -> Any:
        return self.command("WebDriver:ExecuteScript", {"script": source, "args": []}).get("value")

    def close(self) -> None:
        try:
            self.command("Marionette:Quit", {"flags": ["eForceQuit"]})
        except BrowserFailed:
            pass
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        self._sock.close()
        self._log.close()
