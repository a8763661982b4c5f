"""The adb client against a fake adb server speaking the real wire protocol (and, when Debian's adb
is installed, the real adb client against the same fake server, to prove the fake is faithful)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess

import pytest

from digisafe.android import allowlist
from digisafe.android.adb import AdbClient, ServerAddress, iter_lines, parse_devices
from digisafe.android.device import choose_device, open_device
from digisafe.android.errors import (
    AdbError,
    AdbServerUnavailable,
    AdbTimeout,
    CommandRefused,
    DeviceGone,
    DeviceNotReady,
)
from digisafe.android.server import PLATFORM_TOOLS_HELP, connect, find_adb
from tests.android.fakeadb import FakeAdbServer, FakePhone


def phone(serial="R58M40ABCDE", **kw) -> FakePhone:
    details = {"product": "r0qxeea", "model": "SM_S901B", "device": "r0q", "transport_id": "7"}
    return FakePhone(serial, details=details, **kw)


def client(server: FakeAdbServer, timeout=5.0) -> AdbClient:
    return AdbClient(ServerAddress("127.0.0.1", server.port), timeout=timeout)


def test_address_from_environment():
    assert ServerAddress.from_env({}) == ServerAddress("127.0.0.1", 5037)
    env = {"ANDROID_ADB_SERVER_PORT": "15037", "ANDROID_ADB_SERVER_HOST": "10.0.2.2"}
    assert ServerAddress.from_env(env) == ServerAddress("10.0.2.2", 15037)
    with pytest.raises(AdbError, match="not a port"):
        ServerAddress.from_env({"ANDROID_ADB_SERVER_PORT": "http"})


def test_version_devices_and_features(fake_adb):
    server = fake_adb(phone(), phone("emulator-5554", state="unauthorized"))
    c = client(server)
    assert c.version() == 0x29
    entries = c.devices()
    assert [(e.serial, e.state) for e in entries] == [("R58M40ABCDE", "device"), ("emulator-5554", "unauthorized")]
    assert entries[0].model == "SM S901B" and entries[0].details["transport_id"] == "7"
    assert "shell_v2" in c.features("R58M40ABCDE")


def test_parse_devices_with_odd_states():
    text = (
        "0123\tno permissions (missing udev rules? user is in the plugdev group); see [http://x]\n"
        "ABC device usb:1-1 model:Pixel_8\n\n"
    )
    entries = parse_devices(text)
    assert entries[0].state.startswith("no permissions") and entries[1].model == "Pixel 8"


@pytest.mark.parametrize("features", ["shell_v2,cmd", "cmd"])
def test_shell_v2_and_legacy_shell(fake_adb, features):
    p = phone(commands={"getprop ro.build.version.release": b"14\n"}, features=features)
    server = fake_adb(p)
    device = open_device(client(server))
    result = device.run(["getprop", "ro.build.version.release"])
    assert result.text == "14\n"
    assert result.exit_code == (0 if "shell_v2" in features else None)
    prefix = "shell,v2,raw:" if "shell_v2" in features else "shell:"
    assert ("R58M40ABCDE", prefix + "getprop ro.build.version.release") in server.log


def test_exit_code_and_stderr_of_a_missing_file(fake_adb):
    p = phone(exit_codes={"ls -d /system/xbin/su": 1}, commands={"ls -d /system/xbin/su": b""},
              stderr={"ls -d /system/xbin/su": b"ls: /system/xbin/su: No such file or directory\n"})  # fmt: skip
    device = open_device(client(fake_adb(p)))
    result = device.run(["ls", "-d", "/system/xbin/su"])
    assert result.exit_code == 1 and b"No such file" in result.stderr


def test_output_is_capped_and_streamed(fake_adb):
    big = b"x" * 300_000
    device = open_device(client(fake_adb(phone(commands={"dumpsys package": big}))))
    result = device.run(["dumpsys", "package"], max_bytes=100_000)
    assert result.truncated and len(result.stdout) == 100_000


def test_pull_streams_an_apk(fake_adb):
    data = bytes(range(256)) * 2000
    path = "/data/app/~~Q1w==/com.example-Zx==/base.apk"
    device = open_device(client(fake_adb(phone(files={path: data}))))
    assert device.stat(path).size == len(data)
    digest = hashlib.sha256()
    assert device.pull(path, digest.update) == len(data)
    assert digest.hexdigest() == hashlib.sha256(data).hexdigest()
    with pytest.raises(AdbError, match="would not give"):
        device.pull("/data/app/gone/base.apk", digest.update)
    assert device.pull(path, lambda _b: None) == len(data)  # a fresh sync session after the failure


def test_choose_device_messages(fake_adb):
    server = fake_adb(phone(), phone("SECOND"))
    with pytest.raises(DeviceNotReady, match="2 phones are attached"):
        choose_device(client(server), env={})
    assert choose_device(client(server), env={"ANDROID_SERIAL": "SECOND"}).serial == "SECOND"
    with pytest.raises(DeviceNotReady, match="no phone with serial NOPE"):
        choose_device(client(server), "NOPE", env={})


def test_unauthorised_and_absent_phones_get_plain_words(fake_adb):
    with pytest.raises(DeviceNotReady, match="tap Allow"):
        choose_device(client(fake_adb(phone(state="unauthorized"))), env={})
    with pytest.raises(DeviceNotReady, match="Build number 7 times"):
        choose_device(client(fake_adb()), env={})


def test_a_phone_that_vanishes_mid_command_is_a_clear_error(fake_adb):
    p = phone(commands={"dumpsys package": b"Packages:\n" * 100_000}, vanish_after=1)
    server = fake_adb(p)
    device = open_device(client(server))
    with pytest.raises(DeviceGone, match="went away|closed"):
        device.run(["dumpsys", "package"])
    with pytest.raises(DeviceGone, match="not asked"):  # at once, without waiting on a dead phone
        device.run(["id"])
    assert "id" not in server.shell_log()


def test_a_phone_that_stops_answering_times_out(fake_adb):
    device = open_device(client(fake_adb(phone(commands={"id": b""}, stall=frozenset({"id"}))), timeout=0.5))
    with pytest.raises(AdbTimeout, match="stopped answering"):
        device.run(["id"])


def test_no_server_and_no_adb_says_how_to_get_platform_tools(tmp_path):
    with socket_free_port() as port:
        env = {"ANDROID_ADB_SERVER_PORT": str(port), "PATH": str(tmp_path), "HOME": str(tmp_path)}
        with pytest.raises(AdbServerUnavailable) as info:
            connect(env)
    assert str(info.value) == PLATFORM_TOOLS_HELP
    for words in ("Windows", "macOS", "Linux", "brew install", "apt install adb"):
        assert words in PLATFORM_TOOLS_HELP
    assert find_adb({"PATH": str(tmp_path), "HOME": str(tmp_path)}) is None


def socket_free_port():
    import contextlib
    import socket

    @contextlib.contextmanager
    def free():
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        yield port

    return free()


@pytest.mark.parametrize(
    "argv",
    [
        ["pm", "clear", "com.android.settings"], ["pm", "uninstall", "com.x.y"],
        ["settings", "put", "global", "adb_enabled", "0"],
        ["dumpsys", "deviceidle", "whitelist", "+com.x.y"], ["dumpsys", "battery", "set", "level", "1"],
        ["getprop", "x;reboot"], ["ls", "-d", "/system/bin/su", "&&", "reboot"], ["am", "force-stop", "com.x.y"],
        ["cat", "/data/data/com.x/secret"], ["dumpsys", "package", "com.x.y", "extra"], ["sh", "-c", "id"], [],
    ],
)  # fmt: skip
def test_allow_list_refuses_anything_that_could_change_the_phone(argv):
    with pytest.raises(CommandRefused):
        allowlist.shell_command(argv)


def test_allow_list_accepts_the_read_only_commands():
    for argv in (
        ["pm", "list", "packages", "-f", "-i", "-U"], ["dumpsys", "package"], ["dumpsys", "package", "com.a.b"],
        ["dumpsys", "deviceidle", "whitelist"], ["settings", "list", "secure"], ["getprop"], ["id"],
        ["appops", "query-op", "REQUEST_INSTALL_PACKAGES", "allow"], ["ls", "-d", "/system/xbin/su"],
    ):  # fmt: skip
        assert allowlist.shell_command(argv) == " ".join(argv)
    assert not allowlist.pull_allowed("/data/data/com.x/databases/msgs.db")
    assert not allowlist.pull_allowed("/data/app/../data/x.apk")
    assert allowlist.pull_allowed("/data/app/~~A==/com.x-B==/base.apk")


def test_iter_lines_handles_split_chunks_and_runaway_lines():
    chunks = [b"a\r\nb", b"c\n", b"x" * 50, b"\nlast"]
    assert list(iter_lines(iter(chunks), max_line=10)) == [b"a", b"bc", b"x" * 10, b"last"]


@pytest.mark.skipif(shutil.which("adb") is None, reason="Google's adb is absent (optional oracle: apt install adb)")
def test_the_real_adb_client_talks_to_our_fake_server(fake_adb, tmp_path):
    data = b"APK" * 50_000
    p = phone(commands={"getprop ro.product.model": b"SM-S901B\n"}, files={"/data/app/x/base.apk": data})
    server = fake_adb(p)

    def adb(*args):
        return subprocess.run(["adb", "-P", str(server.port), *args], capture_output=True, timeout=30)

    listing = adb("devices", "-l")
    assert listing.returncode == 0 and b"R58M40ABCDE" in listing.stdout and b"model:SM_S901B" in listing.stdout
    assert adb("-s", "R58M40ABCDE", "shell", "getprop", "ro.product.model").stdout == b"SM-S901B\n"
    assert adb("-s", "R58M40ABCDE", "pull", "/data/app/x/base.apk", str(tmp_path / "a.apk")).returncode == 0
    assert (tmp_path / "a.apk").read_bytes() == data


@pytest.mark.skipif(shutil.which("adb") is None, reason="Google's adb is absent (apt install adb)")
def test_starting_and_stopping_our_own_adb_server_leaves_nothing_behind(tmp_path):
    import os
    import socket
    import time

    with socket_free_port() as port:
        env = dict(os.environ, ANDROID_ADB_SERVER_PORT=str(port))
        server = connect(env)
    try:
        assert server.started_by_us and server.version > 0 and server.client.devices() == []
        key_dir = server.key_dir
        assert key_dir is not None and oct(key_dir.stat().st_mode & 0o777) == "0o700"
        assert list(key_dir.glob("adb*.log"))  # adb's own log went into the private folder, not /tmp
    finally:
        server.stop()
    time.sleep(0.3)
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    assert not key_dir.exists()
    with pytest.raises(AdbServerUnavailable):
        connect(env, start=False)  # and it is really gone


def test_the_fake_phone_catches_a_state_changing_command():
    """The read-only guard itself works: a raw request that bypasses the allow-list is caught."""
    with FakeAdbServer([phone()]) as server:
        sock = client(server).open_service("R58M40ABCDE", "shell,v2,raw:pm clear com.android.settings")
        sock.close()
        sock = client(server).open_service("R58M40ABCDE", "shell:settings put global adb_enabled 0")
        sock.close()
        with pytest.raises(AssertionError, match="pm clear com.android.settings"):
            server.assert_read_only()
