"""The phone audit: a full `digisafe phone audit` of a fake phone with 400 packages, on a fake adb
server on 127.0.0.1 speaking the real protocol; then the cost of pulling APKs, per MB.

    python bench/phone.py [--packages 400] [--dump-mb 20] [--apk-mb 20] [--apks 5]

The package dump is padded to --dump-mb with a dexopt section (a full phone's `dumpsys package` is
tens of MB; the padding is read and skipped like the real sections digisafe does not need).
Audit: all DS-AND checks with --pull none (APK pulls are measured on their own), timed end to end
through the real entry point in this process (aim: under 10 s). Peer, same run: fetching the same
command outputs without parsing or judging, with Google's adb client (`adb shell CMD` per command)
when it is installed, else with our own transport; the ratio is audit time / peer time.
Pulls: --apks APKs of --apk-mb MB each, pulled and hashed and their signers read by digisafe,
against `adb pull` of the same files (or our bare transport without hashing when adb is absent).
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digisafe.android import collect_apks  # noqa: E402
from digisafe.android.snapshot import AppInfo  # noqa: E402
from tests.android.apkmaker import make_apk, make_key  # noqa: E402
from tests.android.fakeadb import FakeAdbServer  # noqa: E402
from tests.android.helpers import connect_phone  # noqa: E402
from tests.android.phones import App, Phone  # noqa: E402

PERMS = ("android.permission.ACCESS_FINE_LOCATION", "android.permission.CAMERA", "android.permission.READ_CONTACTS")


def big_phone(count: int) -> Phone:
    apps = []
    for n in range(count - 4):  # Phone adds 4 system apps
        system = n % 3 == 0
        apps.append(App(f"com.vendor{n % 37}.app{n}", f"{n}.0", installer=None if system else "com.android.vending",
                        system=system, launcher=n % 5 != 0, granted=PERMS[: n % 4],
                        accessibility=".A11y" if n % 50 == 7 else None, listener=".Listen" if n % 60 == 9 else None))
    return Phone(apps=apps, apks=False)


def run_audit(port: int, data: Path) -> tuple[float, int]:
    from digisafe.cli import main

    os.environ.update(ANDROID_ADB_SERVER_PORT=str(port), ANDROID_ADB_SERVER_HOST="127.0.0.1", XDG_DATA_HOME=str(data))
    sink = io.StringIO()
    started = time.perf_counter()
    try:
        with redirect_stdout(sink), redirect_stderr(sink):
            main(["phone", "audit", "--pull", "none", "--format", "json", "--fail-on", "never"])
    except SystemExit as exc:
        code = int(exc.code or 0)
    return time.perf_counter() - started, code


def peer_fetch(port: int, serial: str, commands: list[str]) -> tuple[float, str]:
    adb = shutil.which("adb")
    started = time.perf_counter()
    if adb:
        for command in commands:
            subprocess.run([adb, "-P", str(port), "-s", serial, "shell", command], capture_output=True, timeout=120)
        return time.perf_counter() - started, "Google's adb client (adb shell, one per command)"
    raise SystemExit("adb is not installed: the peer needs it (apt install adb, or platform-tools)")


def pulls(server: FakeAdbServer, phone_apps: list[AppInfo], mb: float) -> None:
    device = connect_phone(server, timeout=60)
    started = time.perf_counter()
    result = collect_apks.read_signatures(device, phone_apps, "all")
    ours = time.perf_counter() - started
    total_mb = result.pulled_bytes / 1e6
    print(f"pulls (digisafe: pull + SHA-256 + signers): {len(phone_apps)} APKs, {total_mb:.1f} MB in {ours:.2f} s "
          f"= {ours / total_mb * 1000:.1f} ms/MB")
    adb = shutil.which("adb")
    if adb:
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            for n, app in enumerate(phone_apps):
                subprocess.run([adb, "-P", str(server.port), "-s", device.serial, "pull", app.apk_path,
                                str(Path(tmp) / f"{n}.apk")], capture_output=True, timeout=300, check=True)
            peer = time.perf_counter() - started
        print(f"pulls (peer: adb pull): {peer:.2f} s = {peer / total_mb * 1000:.1f} ms/MB; ratio {ours / peer:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packages", type=int, default=400)
    parser.add_argument("--dump-mb", type=float, default=20.0)
    parser.add_argument("--apk-mb", type=float, default=20.0)
    parser.add_argument("--apks", type=int, default=5)
    args = parser.parse_args()
    phone = big_phone(args.packages)
    fake = phone.fake()
    dump = fake.commands["dumpsys package"]
    line = b"    [com.vendor.app] path: /data/app/~~x==/com.vendor.app-y==/base.apk arm64: [status=speed-profile]\n"
    padding = b"Dexopt state:\n" + line * max(0, int(args.dump_mb * 1e6 - len(dump)) // len(line))
    fake.commands["dumpsys package"] = dump + padding
    size = sum(len(v) for v in fake.commands.values() if isinstance(v, bytes))
    key = make_key("bench signer")
    apps = []
    for n in range(args.apks):
        path = f"/data/app/~~bench{n}==/com.bench.app{n}-x==/base.apk"
        fake.files[path] = make_apk(f"com.bench.app{n}", key, filler=int(args.apk_mb * 1e6))
        apps.append(AppInfo(f"com.bench.app{n}", apk_path=path))
    with FakeAdbServer([fake]) as server, tempfile.TemporaryDirectory() as data:
        elapsed, code = run_audit(server.port, Path(data))
        sent = list(server.shell_log())
        print(f"audit: {args.packages} packages, {len(sent)} commands, {size / 1e6:.1f} MB of phone output: "
              f"{elapsed:.2f} s (exit {code}; aim < 10 s)")
        peer, name = peer_fetch(server.port, fake.serial, sent)
        print(f"peer ({name}) fetching the same outputs: {peer:.2f} s; ratio audit/peer {elapsed / peer:.2f}")
        pulls(server, apps, args.apk_mb)
        server.assert_read_only()


if __name__ == "__main__":
    main()
