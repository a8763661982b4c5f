"""adb's sync service, read side only: STAT (does a file exist, how big) and RECV (pull a file).

SEND, DATA-to-phone, DELETE and the rest are never sent. A pull streams into a callback in 64 KiB
pieces, so an APK of any size never sits in memory.
"""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass
from typing import Callable

from digisafe.android import wire
from digisafe.android.allowlist import pull_allowed
from digisafe.android.errors import AdbError, CommandRefused


@dataclass(frozen=True)
class RemoteStat:
    mode: int
    size: int
    mtime: int

    @property
    def exists(self) -> bool:
        return self.mode != 0


class SyncSession:
    """One ``sync:`` connection (open with AdbClient.open_service(serial, "sync:"))."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock

    def stat(self, path: str) -> RemoteStat:
        wire.send_all(self._sock, wire.sync_packet(b"STAT", path.encode("utf-8")))
        head = wire.read_exact(self._sock, 16)
        if head[:4] != b"STAT":
            raise AdbError(f"the phone answered STAT with {head[:4]!r}")
        mode, size, mtime = struct.unpack("<III", head[4:])
        return RemoteStat(mode, size, mtime)

    def recv(self, path: str, sink: Callable[[bytes], None], max_bytes: int) -> int:
        """Pull ``path`` into ``sink``; returns the byte count. AdbError if the phone refuses."""
        if not pull_allowed(path):
            raise CommandRefused(f"digisafe refused to pull {path!r}: only installed APKs are read")
        wire.send_all(self._sock, wire.sync_packet(b"RECV", path.encode("utf-8")))
        total = 0
        while True:
            ident, length = wire.read_sync_header(self._sock)
            if ident == b"DONE":
                return total
            if ident == b"FAIL":
                message = wire.read_exact(self._sock, min(length, 4096)).decode("utf-8", "replace")
                raise AdbError(f"the phone would not give {path}: {message}")
            if ident != b"DATA" or length > wire.SYNC_DATA_MAX:
                raise AdbError(f"the phone sent a bad sync packet {ident!r} while pulling {path}")
            data = wire.read_exact(self._sock, length)
            total += length
            if total > max_bytes:
                raise AdbError(f"{path} is larger than {max_bytes // (1024 * 1024)} MB; not pulled")
            sink(data)

    def close(self) -> None:
        try:
            self._sock.sendall(wire.sync_packet(b"QUIT", 0))
        except OSError:
            pass
        finally:
            self._sock.close()
