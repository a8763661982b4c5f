"""Finding or starting the adb server, with a neutral key, and saying how to get adb when absent.

digisafe first uses an adb server that is already running (ANDROID_ADB_SERVER_HOST/PORT, else
127.0.0.1:5037), so it coexists with Android Studio or a caseworker's own adb. Only when none
answers on this computer does it start one from platform-tools, and then:

- with a fresh key in a private temporary folder (0700), labelled ``user@laptop`` rather than the
  caseworker's login and computer name (adb writes that label beside the key and the phone keeps
  it if "Always allow from this computer" is ticked);
- with adb's own log in that folder, so nothing is left in /tmp;
- and it stops that server (``host:kill``) and deletes the folder when the audit ends, so no
  background program is left behind. A server someone else started is never stopped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from digisafe.android import wire
from digisafe.android.adb import AdbClient, ServerAddress
from digisafe.android.errors import AdbError, AdbServerUnavailable

KEY_LABEL = ("user", "laptop")  # what the phone sees as the computer's name: LOGNAME@HOSTNAME
START_TIMEOUT = 30.0

PLATFORM_TOOLS_HELP = (
    "digisafe talks to phones through Google's adb (Android SDK Platform-Tools), which was not found. "
    "Windows: download 'SDK Platform-Tools for Windows' from developer.android.com/tools/releases/platform-tools, "
    "unzip it and add the folder to PATH (or run `winget install Google.PlatformTools`). "
    "macOS: `brew install --cask android-platform-tools`, or the macOS zip from the same page. "
    "Linux: `sudo apt install adb` (Debian/Ubuntu), `sudo dnf install android-tools` (Fedora), or the Linux zip. "
    "Then run the command again."
)


def find_adb(env: Mapping[str, str] | None = None) -> Path | None:
    """adb on PATH, in $ANDROID_HOME / $ANDROID_SDK_ROOT, or where Android Studio puts the SDK."""
    env = os.environ if env is None else env
    exe = "adb.exe" if os.name == "nt" else "adb"
    found = shutil.which(exe, path=env.get("PATH"))
    if found:
        return Path(found)
    home = Path(env.get("HOME") or env.get("USERPROFILE") or Path.home())
    candidates = [Path(env[k]) / "platform-tools" / exe for k in ("ANDROID_HOME", "ANDROID_SDK_ROOT") if env.get(k)]
    candidates += [
        Path(env.get("LOCALAPPDATA") or home / "AppData" / "Local") / "Android" / "Sdk" / "platform-tools" / exe,
        home / "Library" / "Android" / "sdk" / "platform-tools" / exe,
        home / "Android" / "Sdk" / "platform-tools" / exe,
    ]
    return next((c for c in candidates if c.is_file()), None)


@dataclass
class AdbServer:
    """The server digisafe talks to, and whether digisafe started it (then it stops it too)."""

    client: AdbClient
    started_by_us: bool = False
    version: int = 0
    key_dir: Path | None = None
    notes: list[str] = field(default_factory=list)

    def stop(self) -> None:
        if not self.started_by_us:
            return
        try:
            with self.client._connect() as sock:  # noqa: SLF001 - host:kill answers nothing useful
                wire.send_all(sock, wire.encode_request("host:kill"))
                wire.read_status(sock)
        except AdbError:
            pass
        if self.key_dir is not None:
            shutil.rmtree(self.key_dir, ignore_errors=True)
        self.started_by_us = False


def _is_local(host: str) -> bool:
    return host in ("127.0.0.1", "localhost", "::1")


def _start(adb: Path, address: ServerAddress) -> Path:
    key_dir = Path(tempfile.mkdtemp(prefix="ds-adb-"))
    os.chmod(key_dir, 0o700)
    env = dict(os.environ)
    env.update(
        ANDROID_USER_HOME=str(key_dir / ".android"),
        ANDROID_SDK_HOME=str(key_dir),
        TMPDIR=str(key_dir),
        LOGNAME=KEY_LABEL[0],
        USER=KEY_LABEL[0],
        HOSTNAME=KEY_LABEL[1],
    )
    try:
        subprocess.run(
            [str(adb), "-P", str(address.port), "start-server"],
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            timeout=START_TIMEOUT, check=True,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError) as exc:
        shutil.rmtree(key_dir, ignore_errors=True)
        raise AdbServerUnavailable(f"adb ({adb}) could not start its server: {exc}") from None
    return key_dir


def connect(env: Mapping[str, str] | None = None, timeout: float | None = None, start: bool = True) -> AdbServer:
    """The running adb server, else one started from platform-tools (local addresses only)."""
    address = ServerAddress.from_env(env)
    client = AdbClient(address) if timeout is None else AdbClient(address, timeout)
    try:
        return AdbServer(client, version=client.version())
    except AdbServerUnavailable:
        if not start or not _is_local(address.host):
            raise
    adb = find_adb(env)
    if adb is None:
        raise AdbServerUnavailable(PLATFORM_TOOLS_HELP)
    key_dir = _start(adb, address)
    server = AdbServer(client, started_by_us=True, key_dir=key_dir)
    try:
        server.version = client.version()
    except AdbError:
        server.stop()
        raise
    server.notes.append("digisafe started adb with a temporary, neutral key (user@laptop) and stops it at the end")
    return server
