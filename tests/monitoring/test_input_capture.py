# ruff: noqa: E501
from __future__ import annotations

import os

from digisafe.checks.input_capture import InputCaptureCheck
from hypothesis import given, settings
from hypothesis import strategies as st

from digisafe.core.model import Severity
from digisafe.monitoring.inputdevices import group_members, keyboard_events, parse_input_devices
from tests.fakes import FakeProcesses
from tests.monitoring.conftest import run_check
from tests.monitoring.samples import p

# /proc/bus/input/devices as a ThinkPad with a USB keyboard prints it.
DEVICES = """I: Bus=0019 Vendor=0000 Product=0001 Version=0000
N: Name="Power Button"
P: Phys=LNXPWRBN/button/input0
S: Sysfs=/devices/LNXSYSTM:00/LNXPWRBN:00/input/input0
U: Uniq=
H: Handlers=kbd event0
B: PROP=0
B: EV=3
B: KEY=10000000000000 0

I: Bus=0011 Vendor=0001 Product=0001 Version=ab54
N: Name="AT Translated Set 2 keyboard"
P: Phys=isa0060/serio0/input0
S: Sysfs=/devices/platform/i8042/serio0/input/input3
U: Uniq=
H: Handlers=sysrq kbd leds event3
B: PROP=0
B: EV=120013
B: KEY=402000000 3803078f800d001 feffffdfffefffff fffffffffffffffe
B: MSC=10
B: LED=7

I: Bus=0003 Vendor=046d Product=c52b Version=0111
N: Name="Logitech USB Receiver Mouse"
P: Phys=usb-0000:00:14.0-1/input2:1
H: Handlers=mouse0 event5
B: PROP=0
B: EV=17

I: Bus=0003 Vendor=046d Product=c31c Version=0110
N: Name="Logitech USB Keyboard"
H: Handlers=sysrq kbd leds event7
B: EV=120013
"""


def test_parse_devices_finds_only_real_keyboards():
    devices = parse_input_devices(DEVICES)
    assert len(devices) == 4
    assert keyboard_events(devices) == {"event3": "AT Translated Set 2 keyboard", "event7": "Logitech USB Keyboard"}
    assert parse_input_devices("") == [] and parse_input_devices("N: Name=x\nB: EV=zz\nH: Handlers=kbd\n")[0].ev_bits == 0


def test_group_members():
    text = "root:x:0:\ninput:x:104:alice,bob\nvideo:x:44:sam\n"
    assert group_members(text, "input") == ["alice", "bob"]
    assert group_members("input:x:104:\n", "input") == [] and group_members("", "input") == []


def build_proc(ctx, pid: int, comm: str, links: dict[str, str]) -> None:
    base = ctx.files.path(f"/proc/{pid}")
    (base / "fd").mkdir(parents=True)
    (base / "comm").write_text(comm + "\n")
    for fd, target in links.items():
        os.symlink(target, base / "fd" / fd)


def linux_ctx(make_ctx, processes=(), environ=None, group="root:x:0:\ninput:x:104:\n"):
    ctx = make_ctx(platform="linux", processes=FakeProcesses(list(processes)),
                   environ=environ or {"USER": "sam", "XDG_SESSION_TYPE": "wayland"})  # fmt: skip
    devices = ctx.files.path("/proc/bus/input/devices")
    devices.parent.mkdir(parents=True)
    devices.write_text(DEVICES)
    ctx.files.path("/etc").mkdir(parents=True, exist_ok=True)
    ctx.files.path("/etc/group").write_text(group)
    return ctx


def test_ordinary_wayland_desktop_is_quiet(make_ctx):
    ctx = linux_ctx(make_ctx, [p(600, "gnome-shell", "/usr/bin/gnome-shell"), p(20, "systemd-logind", "/usr/lib/systemd/systemd-logind", "root")])
    build_proc(ctx, 600, "gnome-shell", {"0": "/dev/null", "31": "/dev/input/event3", "32": "/dev/input/event7"})
    build_proc(ctx, 20, "systemd-logind", {"5": "/dev/input/event3"})
    build_proc(ctx, 700, "firefox", {"1": "/dev/input/event5", "2": "socket:[1234]"})  # a mouse is not a keyboard
    assert run_check(InputCaptureCheck, ctx) == ([], [])


def test_known_keylogger_and_unknown_reader(make_ctx):
    rows = [p(900, "logkeys", "/usr/local/bin/logkeys", "root"), p(901, "helperd", "/home/sam/.cache/helperd", "sam")]
    ctx = linux_ctx(make_ctx, rows)
    build_proc(ctx, 900, "logkeys", {"3": "/dev/input/event3"})
    build_proc(ctx, 901, "helperd", {"4": "/dev/input/event7"})
    findings, _ = run_check(InputCaptureCheck, ctx)
    by_pid = {f.evidence["pid"]: f for f in findings}
    assert by_pid[900].evidence["product"] == "logkeys" and by_pid[900].severity >= Severity.MEDIUM
    assert "/dev/input/event3 (AT Translated Set 2 keyboard)" in by_pid[900].evidence["devices"]
    assert by_pid[901].severity is Severity.MEDIUM and "reading the keyboard" in by_pid[901].title


def test_input_group_membership_and_x11(make_ctx):
    ctx = linux_ctx(make_ctx, environ={"USER": "sam", "XDG_SESSION_TYPE": "x11", "DISPLAY": ":0"},
                    group="input:x:104:sam,guest\n")  # fmt: skip
    findings, _ = run_check(InputCaptureCheck, ctx)
    group = [f for f in findings if "input group" in f.title]
    x11 = [f for f in findings if "X11" in f.title]
    assert group[0].severity is Severity.MEDIUM and group[0].evidence["members"] == ["sam", "guest"]
    assert x11[0].severity is Severity.INFO and x11[0].evidence["XDG_SESSION_TYPE"] == "x11"


def test_unreadable_fd_folders_are_a_limitation(make_ctx, monkeypatch):
    ctx = linux_ctx(make_ctx)
    build_proc(ctx, 1, "systemd", {})
    build_proc(ctx, 77, "root-daemon", {"3": "/dev/input/event3"})
    real_listdir = os.listdir
    locked = str(ctx.files.path("/proc/77/fd"))

    def listdir(path):  # NOTE: tests run as root, who can read anything: refuse like the kernel does
        if str(path) == locked:
            raise PermissionError(13, "Permission denied", locked)
        return real_listdir(path)

    monkeypatch.setattr(os, "listdir", listdir)
    findings, limits = run_check(InputCaptureCheck, ctx)
    assert findings == [] and any("1 programs" in m and "sudo" in m for m in limits)


def test_no_proc_at_all_is_a_limitation(make_ctx):
    ctx = make_ctx(platform="linux", environ={"USER": "sam"})
    _, limits = run_check(InputCaptureCheck, ctx)
    assert any("/proc/bus/input/devices" in m for m in limits) and any("(/proc)" in m for m in limits)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=400))
def test_any_text_as_devices_or_group_never_crashes(text):
    keyboard_events(parse_input_devices(text))
    group_members(text, "input")
