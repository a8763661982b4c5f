"""A fake adb server on 127.0.0.1 that speaks the real host protocol.

Requests are four hex digits of length and the text; answers are OKAY / FAIL+hex message.
``host:transport:SERIAL`` switches the socket to a phone, which answers ``shell:`` (raw stream),
``shell,v2[,raw]:`` (shell-protocol packets with an exit packet) and ``sync:`` (STAT, RECV with
DATA/DONE/FAIL, QUIT). Every phone request is logged; ``assert_read_only()`` fails a test on any
request that could change a phone, and on any command the fake phone was not given an answer for.
"""

from __future__ import annotations

import re
import socket
import socketserver
import struct
import threading
from dataclasses import dataclass, field
from typing import Callable, Iterable, Union

Output = Union[bytes, Callable[[], Iterable[bytes]]]

# Commands and services that change a phone. The fake refuses them and the test fails.
STATE_CHANGING = re.compile(
    r"^(?:pm (?:install|uninstall|clear|disable|enable|hide|unhide|suspend|unsuspend|grant|revoke|set|reset|trim|"
    r"default-state|create-user|remove-user)|settings (?:put|delete|reset)|am |cmd |svc |setprop|reboot|rm |mv |cp |"
    r"chmod|chown|kill|input |monkey|appops set|dpm |locksettings|wm |content (?:insert|update|delete)|"
    r"dumpsys deviceidle (?:whitelist [+-]|force|step|enable|disable|unforce|tempwhitelist)|"
    r"dumpsys battery (?:set|reset|unplug))"
)
UNSAFE_SERVICES = (
    "reboot:", "root:", "unroot:", "remount:", "tcpip:", "usb:", "backup:", "restore:", "install", "uninstall",
    "disable-verity", "enable-verity",
)  # fmt: skip


@dataclass
class FakePhone:
    serial: str
    commands: dict[str, Output] = field(default_factory=dict)  # shell command line -> stdout
    files: dict[str, bytes] = field(default_factory=dict)  # path -> bytes (sync)
    state: str = "device"
    details: dict[str, str] = field(default_factory=dict)  # model, product, device
    # NOTE: only what this fake implements: real phones also offer stat_v2/sendrecv_v2 (STA2/RCV2).
    features: str = "shell_v2,cmd,apex,abb,abb_exec,fixed_push_mkdir,fixed_push_symlink_timestamp,track_app"
    exit_codes: dict[str, int] = field(default_factory=dict)
    stderr: dict[str, bytes] = field(default_factory=dict)
    vanish_after: int | None = None  # the phone is unplugged during this many-th command (1-based)
    stall: frozenset[str] = frozenset()  # commands that never answer (the client must time out)
    served: int = 0


class FakeAdbServer:
    def __init__(self, phones: Iterable[FakePhone] = ()) -> None:
        self.phones = {p.serial: p for p in phones}
        self.log: list[tuple[str, str]] = []  # (serial or "host", request)
        self.refused: list[str] = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        handler = _make_handler(self)
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler, bind_and_activate=False)
        self._server.daemon_threads = True
        self._server.allow_reuse_address = True
        self._server.server_bind()
        self._server.server_activate()
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> FakeAdbServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()

    def env(self) -> dict[str, str]:
        return {"ANDROID_ADB_SERVER_HOST": "127.0.0.1", "ANDROID_ADB_SERVER_PORT": str(self.port), "PATH": ""}

    def record(self, who: str, request: str) -> None:
        with self._lock:
            self.log.append((who, request))

    def shell_log(self, serial: str | None = None) -> list[str]:
        return [r.split(":", 1)[1] for who, r in self.log if who != "host" and (serial is None or who == serial)
                and r.startswith("shell")]  # fmt: skip

    def assert_read_only(self) -> None:
        problems = list(self.refused)
        for who, request in self.log:
            if who == "host":
                continue
            if request.startswith(UNSAFE_SERVICES):
                problems.append(f"{who}: service {request}")
            elif request.startswith("shell"):
                line = request.split(":", 1)[1]
                if STATE_CHANGING.match(line):
                    problems.append(f"{who}: state-changing command {line!r}")
            elif request.startswith("sync "):
                if not request.startswith(("sync STAT ", "sync RECV ", "sync QUIT")):
                    problems.append(f"{who}: sync request {request}")
        assert not problems, "requests that could change the phone: " + "; ".join(problems)


def _hex(data: bytes) -> bytes:
    return b"%04x" % len(data) + data


def _make_handler(server: FakeAdbServer):
    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            self.request.settimeout(30)
            try:
                _Session(server, self.request).run()
            except (OSError, ConnectionError, _Closed):
                pass

    return Handler


class _Closed(Exception):
    pass


class _Session:
    def __init__(self, server: FakeAdbServer, sock: socket.socket) -> None:
        self.server = server
        self.sock = sock
        self.phone: FakePhone | None = None

    def read(self, n: int) -> bytes:
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise _Closed
            data += chunk
        return data

    def okay(self, payload: bytes | None = None) -> None:
        self.sock.sendall(b"OKAY" + (_hex(payload) if payload is not None else b""))

    def fail(self, message: str) -> None:
        self.sock.sendall(b"FAIL" + _hex(message.encode()))

    def run(self) -> None:
        while True:
            request = self.read(int(self.read(4), 16)).decode()
            if self.phone is None:
                if not self.host(request):
                    return
            else:
                self.service(request)
                return

    def _devices(self, long: bool) -> bytes:
        lines = []
        for p in self.server.phones.values():
            extra = " ".join(f"{k}:{v}" for k, v in p.details.items()) if long else ""
            lines.append(f"{p.serial}\t{p.state} {extra}".rstrip() if not long else f"{p.serial:<22} {p.state} {extra}")
        return ("\n".join(lines) + "\n" if lines else "").encode()

    def host(self, request: str) -> bool:
        """Answer a host request; True when the socket stays open for a phone service."""
        self.server.record("host", request)
        phones = self.server.phones
        if request == "host:version":
            self.okay(b"0029")
        elif request in ("host:devices", "host:devices-l"):
            self.okay(self._devices(request.endswith("-l")))
        elif request.startswith("host-serial:") and request.endswith(":features"):
            serial = request[len("host-serial:") : -len(":features")]
            phone = phones.get(serial)
            self.okay(phone.features.encode()) if phone else self.fail(f"device '{serial}' not found")
        elif request == "host:kill":
            self.okay()
        elif request.startswith(("host:transport:", "host:tport:serial:", "host:transport-any")):
            return self._transport(request)
        else:
            self.fail(f"unknown host service {request}")
        return False

    def _transport(self, request: str) -> bool:
        phones = self.server.phones
        if request.startswith("host:transport-any"):
            ready = list(phones.values())
            if len(ready) != 1:
                self.fail("more than one device/emulator" if ready else "no devices/emulators found")
                return False
            phone = ready[0]
        else:
            phone = phones.get(request.rsplit(":", 1)[1])
        if phone is None:
            self.fail(f"device '{request.rsplit(':', 1)[1]}' not found")
            return False
        if phone.state == "unauthorized":
            self.fail("device unauthorized.\nThis adb server's $ADB_VENDOR_KEYS is not set\nTry 'adb kill-server' if that seems wrong.\nOtherwise check for a confirmation dialog on your device.")  # noqa: E501
            return False
        if phone.state != "device":
            self.fail(f"device {phone.state}")
            return False
        self.phone = phone
        self.sock.sendall(b"OKAY" + (struct.pack("<Q", 1) if request.startswith("host:tport") else b""))
        return True

    def service(self, request: str) -> None:
        phone = self.phone
        assert phone is not None
        self.server.record(phone.serial, request)
        if request.startswith(UNSAFE_SERVICES):
            self.server.refused.append(f"{phone.serial}: {request}")
            self.fail("closed")
        elif request.startswith("shell"):
            head, _, command = request.partition(":")
            self.shell(phone, command, v2="v2" in head.split(","))
        elif request == "sync:":
            self.okay()
            self.sync(phone)
        else:
            self.fail(f"unknown service {request}")

    def _vanish(self, phone: FakePhone) -> bool:
        phone.served += 1
        if phone.vanish_after is not None and phone.served >= phone.vanish_after:
            self.server.phones.pop(phone.serial, None)
            return True
        return False

    def _chunks(self, phone: FakePhone, command: str) -> Iterable[bytes]:
        output = phone.commands.get(command)
        if output is None:
            return [b""]
        return [output] if isinstance(output, bytes) else output()

    def shell(self, phone: FakePhone, command: str, v2: bool) -> None:
        if STATE_CHANGING.match(command):
            self.server.refused.append(f"{phone.serial}: {command}")
        self.okay()
        if command in phone.stall:
            self.server._stop.wait(60)
            return
        known = command in phone.commands
        code = phone.exit_codes.get(command, 0 if known else 127)
        err = phone.stderr.get(command, b"" if known else f"/system/bin/sh: {command.split()[0]}: inaccessible or not found\n".encode())  # noqa: E501
        vanish = self._vanish(phone)
        sent = 0
        for chunk in self._chunks(phone, command):
            for i in range(0, len(chunk), 65536):
                piece = chunk[i : i + 65536]
                self.sock.sendall(struct.pack("<BI", 1, len(piece)) + piece if v2 else piece)
                sent += len(piece)
                if vanish and sent >= 65536:
                    return  # unplugged mid-output: the connection just closes
        if vanish:
            return
        if v2:
            if err:
                self.sock.sendall(struct.pack("<BI", 2, len(err)) + err)
            self.sock.sendall(struct.pack("<BI", 3, 1) + bytes([code & 0xFF]))
        elif err:
            self.sock.sendall(err)

    def sync(self, phone: FakePhone) -> None:
        while True:
            ident = self.read(4)
            (length,) = struct.unpack("<I", self.read(4))
            if ident == b"QUIT":
                self.server.record(phone.serial, "sync QUIT")
                return
            path = self.read(length).decode()
            self.server.record(phone.serial, f"sync {ident.decode(errors='replace')} {path}")
            data = phone.files.get(path)
            if ident == b"STAT":
                mode, size = (0o100644, len(data)) if data is not None else (0, 0)
                self.sock.sendall(b"STAT" + struct.pack("<III", mode, size, 1700000000))
            elif ident == b"RECV":
                if data is None:
                    message = b"No such file or directory"
                    self.sock.sendall(b"FAIL" + struct.pack("<I", len(message)) + message)
                    continue
                if self._vanish(phone):
                    self.sock.sendall(b"DATA" + struct.pack("<I", 65536) + data[:100])
                    return
                for i in range(0, len(data), 65536):
                    piece = data[i : i + 65536]
                    self.sock.sendall(b"DATA" + struct.pack("<I", len(piece)) + piece)
                self.sock.sendall(b"DONE" + struct.pack("<I", 0))
            else:
                self.server.refused.append(f"{phone.serial}: sync {ident!r}")
                message = b"refused"
                self.sock.sendall(b"FAIL" + struct.pack("<I", len(message)) + message)
