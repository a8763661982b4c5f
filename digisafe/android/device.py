"""AndroidDevice: the read-only handle on one phone that checks' collectors use (Context.device).

Every shell command passes ``allowlist.shell_command`` and every pull ``allowlist.pull_allowed``;
there is no method that takes a raw command line. ``sent`` records what was asked, in order.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Callable, Iterator, Mapping, Sequence

from digisafe.android.adb import AdbClient, DeviceEntry, ShellStream, iter_lines
from digisafe.android.allowlist import shell_command
from digisafe.android.errors import AdbError, DeviceGone, DeviceNotReady
from digisafe.android.sync import RemoteStat, SyncSession

DEFAULT_MAX_OUTPUT = 8 * 1024 * 1024  # a settings list or dumpsys section
LARGE_MAX_OUTPUT = 48 * 1024 * 1024  # the whole `dumpsys package` (tens of MB on a full phone)
MAX_APK_BYTES = 1024 * 1024 * 1024

NOT_READY = {
    "unauthorized": "is attached but has not allowed this computer: unlock it and tap Allow on the "
    "'Allow USB debugging?' prompt (leave 'Always allow from this computer' unticked)",
    "authorizing": "is still deciding whether to allow this computer: unlock it and tap Allow",
    "offline": "is offline: unplug it, plug it back in and unlock it",
    "recovery": "is in recovery mode: restart it normally first",
    "bootloader": "is in bootloader mode: restart it normally first",
    "sideload": "is in sideload mode: restart it normally first",
}


class _Watched(ShellStream):
    """A ShellStream that marks its device gone when the phone drops the connection."""

    def __init__(self, device: AndroidDevice, sock, max_bytes: int) -> None:  # noqa: ANN001
        super().__init__(sock, device.v2, max_bytes)
        self._device = device

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from super().__iter__()
        except DeviceGone as exc:
            self._device.gone = str(exc)
            raise


def state_advice(entry: DeviceEntry) -> str:
    if entry.ready:
        return "ready"
    if entry.state.startswith("no permissions"):
        return ("is attached but this computer's USB rules do not let adb use it (Linux: install the "
                "android-sdk-platform-tools-common or android-udev-rules package, then replug)")  # fmt: skip
    return NOT_READY.get(entry.state, f"is in state {entry.state!r}: unlock it and check the cable")


@dataclass
class ShellResult:
    stdout: bytes
    exit_code: int | None
    truncated: bool = False
    stderr: bytes = b""

    @property
    def text(self) -> str:
        return self.stdout.decode("utf-8", "replace")


class AndroidDevice:
    def __init__(self, client: AdbClient, entry: DeviceEntry, features: frozenset[str] = frozenset()) -> None:
        self.client = client
        self.entry = entry
        self.serial = entry.serial
        self.features = features
        self.v2 = "shell_v2" in features
        self.sent: list[str] = []
        self.gone: str = ""  # set once the phone went away: later commands fail at once, not after a wait
        self._sync: SyncSession | None = None
        self._once: dict[tuple[str, ...], ShellResult] = {}

    def stream(self, argv: Sequence[str], max_bytes: int = DEFAULT_MAX_OUTPUT) -> ShellStream:
        """The output of an allow-listed command, as it arrives (iterate it, or .read())."""
        line = shell_command(argv)
        self._check_present()
        self.sent.append(line)
        service = f"shell,v2,raw:{line}" if self.v2 else f"shell:{line}"
        try:
            sock = self.client.open_service(self.serial, service)
        except (DeviceGone, DeviceNotReady) as exc:
            self.gone = str(exc)
            raise
        return _Watched(self, sock, max_bytes)

    def _check_present(self) -> None:
        if self.gone:
            raise DeviceGone(f"not asked: {self.gone}")

    def run_once(self, argv: Sequence[str]) -> ShellResult:
        """``run`` for a command whose output does not change during an audit (getprop, settings):
        asked once per connection, however many collectors read it."""
        key = tuple(argv)
        if key not in self._once:
            self._once[key] = self.run(argv)
        return self._once[key]

    def run(self, argv: Sequence[str], max_bytes: int = DEFAULT_MAX_OUTPUT) -> ShellResult:
        stream = self.stream(argv, max_bytes)
        data = stream.read()
        return ShellResult(data, stream.exit_code, stream.truncated, stream.stderr)

    def lines(self, argv: Sequence[str], max_bytes: int = DEFAULT_MAX_OUTPUT) -> tuple[ShellStream, Iterator[bytes]]:
        stream = self.stream(argv, max_bytes)
        return stream, iter_lines(iter(stream))

    def _session(self) -> SyncSession:
        if self._sync is None:
            self._sync = SyncSession(self.client.open_service(self.serial, "sync:"))
        return self._sync

    def stat(self, path: str) -> RemoteStat:
        self.sent.append(f"sync STAT {path}")
        return self._call(lambda s: s.stat(path))

    def pull(self, path: str, sink: Callable[[bytes], None], max_bytes: int = MAX_APK_BYTES) -> int:
        self.sent.append(f"sync RECV {path}")
        return self._call(lambda s: s.recv(path, sink, max_bytes))

    def _call(self, action):  # noqa: ANN001, ANN202 - a small internal trampoline
        self._check_present()
        try:
            return action(self._session())
        except AdbError as exc:
            self._drop_sync()  # a failed transfer leaves the stream mid-packet: start afresh next time
            if isinstance(exc, (DeviceGone, DeviceNotReady)):
                self.gone = str(exc)
            raise

    def _drop_sync(self) -> None:
        if self._sync is not None:
            self._sync.close()
            self._sync = None

    def close(self) -> None:
        self._drop_sync()


def choose_device(client: AdbClient, serial: str | None = None, env: Mapping[str, str] | None = None) -> DeviceEntry:
    """The phone to audit: --serial, else ANDROID_SERIAL, else the only one attached."""
    env = os.environ if env is None else env
    wanted = serial or env.get("ANDROID_SERIAL") or None
    entries = client.devices()
    if wanted:
        match = [e for e in entries if e.serial == wanted]
        if not match:
            raise DeviceNotReady(f"no phone with serial {wanted} is attached (`digisafe phone list` shows them)")
        entry = match[0]
    elif not entries:
        raise DeviceNotReady(NO_PHONE)
    elif len(entries) > 1:
        serials = ", ".join(e.serial for e in entries)
        raise DeviceNotReady(f"{len(entries)} phones are attached ({serials}): choose one with --serial")
    else:
        entry = entries[0]
    if not entry.ready:
        raise DeviceNotReady(f"the phone {entry.serial} {state_advice(entry)}")
    return entry


NO_PHONE = (
    "no phone is attached. On the phone: Settings > About phone > tap Build number 7 times, then "
    "Settings > System > Developer options > turn on USB debugging; plug it in with a data cable, unlock "
    "it and tap Allow. Turning USB debugging on is itself visible on the phone: switch it off afterwards."
)


def open_device(client: AdbClient, serial: str | None = None, env: Mapping[str, str] | None = None) -> AndroidDevice:
    entry = choose_device(client, serial, env)
    try:
        features = client.features(entry.serial)
    except AdbError:
        features = frozenset()  # an old server: plain shell: still works
    return AndroidDevice(client, entry, features)
