"""A read-only client for the standard adb server (the one platform-tools and Android Studio run).

Hand-written rather than adbutils (reasons in setup.py's docstring): the host protocol is small,
and owning it lets every socket carry a timeout, every output a size cap, and every command pass the
read-only allow-list (digisafe.android.allowlist) below the level any caller can reach.
Only the host services below and, on a phone, ``shell``/``shell,v2`` and ``sync:`` STAT/RECV are
ever requested.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass, field
from typing import Iterator, Mapping

from digisafe.android import wire
from digisafe.android.errors import AdbError, AdbServerUnavailable, DeviceGone, DeviceNotReady

DEFAULT_PORT = 5037
CONNECT_TIMEOUT = 3.0
COMMAND_TIMEOUT = 60.0  # a full `dumpsys package` on a slow phone can take tens of seconds


@dataclass(frozen=True)
class ServerAddress:
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ServerAddress:
        """ANDROID_ADB_SERVER_HOST / ANDROID_ADB_SERVER_PORT, as adb itself reads them."""
        env = os.environ if env is None else env
        host = (env.get("ANDROID_ADB_SERVER_HOST") or "127.0.0.1").strip()
        text = (env.get("ANDROID_ADB_SERVER_PORT") or str(DEFAULT_PORT)).strip()
        if not text.isdigit() or not 0 < int(text) < 65536:
            raise AdbError(f"ANDROID_ADB_SERVER_PORT={text!r} is not a port number (1-65535)")
        return cls(host, int(text))

    def __str__(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True)
class DeviceEntry:
    """One line of ``adb devices -l``."""

    serial: str
    state: str  # device, unauthorized, offline, authorizing, no permissions..., recovery, ...
    details: Mapping[str, str] = field(default_factory=dict)  # product, model, device, transport_id

    @property
    def model(self) -> str:
        return self.details.get("model", "").replace("_", " ")

    @property
    def ready(self) -> bool:
        return self.state == "device"


def parse_devices(text: str) -> list[DeviceEntry]:
    """``SERIAL  state key:value ...`` lines; a state may have spaces ("no permissions (...)")."""
    entries = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        details = dict(p.split(":", 1) for p in parts[2:] if ":" in p and not p.startswith(("(", "[")))
        words = [p for p in parts[1:] if ":" not in p or p.startswith(("(", "["))]
        entries.append(DeviceEntry(parts[0], " ".join(words) or parts[1], details))
    return entries


def _fail_message(serial: str, message: str) -> AdbError:
    text = message.lower()
    if "unauthorized" in text:
        return DeviceNotReady(
            f"the phone {serial} has not allowed this computer: unlock it and tap Allow on the "
            "'Allow USB debugging?' prompt, then try again"
        )
    if "offline" in text:
        return DeviceNotReady(f"the phone {serial} is offline: unplug it, plug it back in and unlock it")
    if "not found" in text or "no devices" in text:
        return DeviceNotReady(f"no phone {serial} is attached any more (`digisafe phone list` shows the phones)")
    return AdbError(f"the adb server refused: {message.splitlines()[0] if message else 'no reason given'}")


class AdbClient:
    """Talks to one adb server. Every socket has a timeout; nothing here changes a phone."""

    def __init__(self, address: ServerAddress | None = None, timeout: float = COMMAND_TIMEOUT) -> None:
        self.address = address or ServerAddress.from_env()
        self.timeout = timeout

    def _connect(self) -> socket.socket:
        try:
            sock = socket.create_connection((self.address.host, self.address.port), timeout=CONNECT_TIMEOUT)
        except OSError as exc:
            raise AdbServerUnavailable(
                f"no adb server answers at {self.address} ({exc.strerror or exc})"
            ) from None
        sock.settimeout(self.timeout)
        return sock

    def _request(self, sock: socket.socket, service: str, serial: str = "") -> None:
        wire.send_all(sock, wire.encode_request(service))
        ok, message = wire.read_status(sock)
        if not ok:
            raise _fail_message(serial or "", message)

    def host_query(self, service: str) -> str:
        """A host service answering one hex-length message (host:version, host:devices-l, ...)."""
        with self._connect() as sock:
            self._request(sock, service)
            return wire.read_hex_message(sock).decode("utf-8", "replace")

    def version(self) -> int:
        text = self.host_query("host:version")
        try:
            return int(text, 16)
        except ValueError:
            raise AdbError(f"the adb server at {self.address} gave no version: is it adb?") from None

    def devices(self) -> list[DeviceEntry]:
        return parse_devices(self.host_query("host:devices-l"))

    def features(self, serial: str) -> frozenset[str]:
        text = self.host_query(f"host-serial:{serial}:features")
        return frozenset(f.strip() for f in text.split(",") if f.strip())

    def open_service(self, serial: str, service: str) -> socket.socket:
        """A socket to ``service`` on the phone (the caller closes it)."""
        sock = self._connect()
        try:
            self._request(sock, f"host:transport:{serial}", serial)
            self._request(sock, service, serial)
        except BaseException:
            sock.close()
            raise
        return sock


class ShellStream:
    """The output of one shell command, read as it arrives and capped at ``max_bytes``.

    Iterate for stdout chunks; afterwards ``exit_code`` (None with the old protocol), ``stderr`` and
    ``truncated`` are set. Closing early (or hitting the cap) drops the connection, which is how adb
    stops a command.
    """

    def __init__(self, sock: socket.socket, v2: bool, max_bytes: int) -> None:
        self._sock = sock
        self.v2 = v2
        self.max_bytes = max_bytes
        self.received = 0
        self.exit_code: int | None = None
        self.stderr = b""
        self.truncated = False

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from (self._v2() if self.v2 else self._raw())
        finally:
            self.close()

    def _take(self, data: bytes) -> bytes:
        room = self.max_bytes - self.received
        if len(data) > room:
            self.truncated = True
            data = data[: max(room, 0)]
        self.received += len(data)
        return data

    def _raw(self) -> Iterator[bytes]:
        while not self.truncated:
            chunk = wire.recv_some(self._sock)
            if not chunk:
                return
            yield self._take(chunk)

    def _v2(self) -> Iterator[bytes]:
        while not self.truncated:
            header = wire.read_shell_header(self._sock)
            if header is None:
                raise DeviceGone("the phone closed the command before it finished (unplugged or locked?)")
            packet_id, length = header
            if packet_id == wire.SHELL_EXIT:
                self.exit_code = wire.read_exact(self._sock, length)[0] if length else 0
                return
            yield from self._v2_payload(packet_id, length)

    def _v2_payload(self, packet_id: int, length: int) -> Iterator[bytes]:
        remaining = length
        while remaining and not self.truncated:
            data = wire.read_exact(self._sock, min(remaining, 1 << 20))
            remaining -= len(data)
            if packet_id == wire.SHELL_STDOUT:
                yield self._take(data)
            elif packet_id == wire.SHELL_STDERR and len(self.stderr) < 65536:
                self.stderr += data[: 65536 - len(self.stderr)]

    def read(self) -> bytes:
        return b"".join(self)

    def close(self) -> None:
        try:
            self._sock.close()
        except OSError:
            pass


def iter_lines(chunks: Iterator[bytes], max_line: int = 1 << 20) -> Iterator[bytes]:
    """Lines (without the newline) from a stream of chunks; a line longer than ``max_line`` is cut."""
    pending = b""
    skipping = False  # inside the rest of a runaway line that was already cut
    for chunk in chunks:
        pending += chunk
        lines = pending.split(b"\n")
        pending = lines.pop()
        for line in lines:
            if skipping:
                skipping = False
                continue
            yield line[:max_line].rstrip(b"\r")
        if len(pending) > max_line:
            if not skipping:
                yield pending[:max_line]
            skipping, pending = True, b""
    if pending and not skipping:
        yield pending.rstrip(b"\r")
