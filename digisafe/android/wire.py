"""The adb host ("smart socket") wire format, shared by the client and the test server.

A request is four hex digits giving the length, then the text (``000chost:version``). The server
answers ``OKAY`` or ``FAIL`` followed by a hex-length message. After ``host:transport:SERIAL``
the same socket talks to the phone: ``shell,v2,raw:CMD`` answers in shell-protocol packets (one
id byte, a little-endian 32-bit length, the data; id 3 carries the exit code), plain ``shell:CMD``
streams raw output until the phone closes, and ``sync:`` switches to sync packets (four-letter id,
little-endian 32-bit length or value).
"""

from __future__ import annotations

import socket
import struct

from digisafe.android.errors import AdbError, AdbTimeout, DeviceGone

MAX_MESSAGE = 1024 * 1024  # a host reply (device list, features) is never near this
SHELL_STDIN, SHELL_STDOUT, SHELL_STDERR, SHELL_EXIT, SHELL_CLOSE_STDIN, SHELL_WINDOW = range(6)
SYNC_DATA_MAX = 64 * 1024
TIMED_OUT = "the phone stopped answering (timed out); check the cable and that it is unlocked"


def encode_request(text: str) -> bytes:
    data = text.encode("utf-8")
    if len(data) > 0xFFFF:
        raise AdbError("an adb request is too long")
    return b"%04x" % len(data) + data


def read_exact(sock: socket.socket, count: int) -> bytes:
    """Exactly ``count`` bytes, or DeviceGone when the other side closes first."""
    chunks = []
    remaining = count
    while remaining:
        try:
            chunk = sock.recv(min(remaining, 1 << 20))
        except socket.timeout:
            raise AdbTimeout(TIMED_OUT) from None
        except OSError as exc:
            raise DeviceGone(f"the connection to the phone broke ({exc.strerror or exc})") from None
        if not chunk:
            raise DeviceGone("the phone went away during the audit (unplugged, locked or restarted?)")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def read_hex_message(sock: socket.socket) -> bytes:
    try:
        length = int(read_exact(sock, 4), 16)
    except ValueError:
        raise AdbError("the adb server sent something that is not adb (bad length)") from None
    if length > MAX_MESSAGE:
        raise AdbError("the adb server sent an oversized reply")
    return read_exact(sock, length)


def read_status(sock: socket.socket) -> tuple[bool, str]:
    """(True, "") for OKAY; (False, message) for FAIL."""
    status = read_exact(sock, 4)
    if status == b"OKAY":
        return True, ""
    if status == b"FAIL":
        return False, read_hex_message(sock).decode("utf-8", "replace").strip()
    raise AdbError(f"the adb server answered {status!r}, which is not adb")


def send_all(sock: socket.socket, data: bytes) -> None:
    try:
        sock.sendall(data)
    except socket.timeout:
        raise AdbTimeout("the adb server stopped answering (timed out)") from None
    except OSError as exc:
        raise DeviceGone(f"the connection to the adb server broke ({exc.strerror or exc})") from None


def shell_packet(packet_id: int, data: bytes) -> bytes:
    return struct.pack("<BI", packet_id, len(data)) + data


def read_shell_header(sock: socket.socket) -> tuple[int, int] | None:
    """(id, length) of the next shell-v2 packet, or None at a clean end of stream."""
    first = _recv_some(sock, 1)
    if not first:
        return None
    rest = read_exact(sock, 4)
    packet_id, length = struct.unpack("<BI", first + rest)
    return packet_id, length


def _recv_some(sock: socket.socket, count: int) -> bytes:
    try:
        return sock.recv(count)
    except socket.timeout:
        raise AdbTimeout(TIMED_OUT) from None
    except OSError as exc:
        raise DeviceGone(f"the connection to the phone broke ({exc.strerror or exc})") from None


def recv_some(sock: socket.socket, count: int = 65536) -> bytes:
    """Up to ``count`` bytes; b"" at the end of the stream."""
    return _recv_some(sock, count)


def sync_packet(ident: bytes, value: int | bytes) -> bytes:
    if isinstance(value, bytes):
        return ident + struct.pack("<I", len(value)) + value
    return ident + struct.pack("<I", value)


def read_sync_header(sock: socket.socket) -> tuple[bytes, int]:
    head = read_exact(sock, 8)
    return head[:4], struct.unpack("<I", head[4:])[0]
