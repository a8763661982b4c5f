"""Linux keyboard devices and the `input` group, parsed from /proc and /etc text (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass

EV_KEY = 1 << 1
EV_REP = 1 << 20  # NOTE: auto-repeat: real keyboards have it; power buttons and lid switches do not

# Programs that read keyboards directly for ordinary reasons: display servers and compositors
# (through systemd-logind), key remappers, accessibility and power-button daemons.
EXPECTED_READERS = frozenset(
    """Xorg X Xwayland gnome-shell mutter kwin_wayland kwin_wayland_wrapper kwin_x11 sway weston Hyprland
    wayfire river labwc niri cage gamescope cosmic-comp systemd-logind acpid thd triggerhappy keyd kmonad
    input-remapper input-remapper-service input-remapper-reader-service evremap udevmon ydotoold brltty
    gpm iio-sensor-proxy""".split()
)


@dataclass(frozen=True)
class InputDevice:
    name: str
    handlers: tuple[str, ...]
    ev_bits: int

    @property
    def is_keyboard(self) -> bool:
        return "kbd" in self.handlers and bool(self.ev_bits & EV_KEY) and bool(self.ev_bits & EV_REP)

    @property
    def events(self) -> tuple[str, ...]:
        return tuple(h for h in self.handlers if re.fullmatch(r"event\d+", h))


def parse_input_devices(text: str) -> list[InputDevice]:
    """/proc/bus/input/devices: blocks of 'X: ...' lines separated by blank lines."""
    devices = []
    for block in re.split(r"\n\s*\n", text.strip()):
        name, handlers, bits = "", (), 0
        for line in block.splitlines():
            if line.startswith("N: Name="):
                name = line[len("N: Name=") :].strip().strip('"')
            elif line.startswith("H: Handlers="):
                handlers = tuple(line[len("H: Handlers=") :].split())
            elif line.startswith("B: EV="):
                try:
                    bits = int(line[len("B: EV=") :].strip(), 16)
                except ValueError:
                    bits = 0
        if handlers:
            devices.append(InputDevice(name, handlers, bits))
    return devices


def keyboard_events(devices: list[InputDevice]) -> dict[str, str]:
    """'event3' -> 'AT Translated Set 2 keyboard' for every keyboard."""
    return {event: d.name for d in devices if d.is_keyboard for event in d.events}


def group_members(text: str, group: str) -> list[str]:
    """Members of a group in /etc/group text (the fourth field), [] if the group is not there."""
    for line in text.splitlines():
        fields = line.strip().split(":")
        if len(fields) >= 4 and fields[0] == group:
            return [m for m in fields[3].split(",") if m]
    return []
