"""DS-INPUT-010: programs that can read every key you type (Linux).

What it looks at: which running programs hold a keyboard device open (/dev/input/event*, found
through /proc/<pid>/fd; keyboards are told apart in /proc/bus/input/devices), who is in the
`input` group (/etc/group: its members' programs can read every keyboard), and whether this desktop
session uses X11 (XDG_SESSION_TYPE, DISPLAY): under X11 any program you run can read all keystrokes
and the screen without special rights. Programs are compared with the monitoring-software database
(logkeys and other keyloggers).

Why it matters: a keylogger records passwords, messages and searches. On Linux it needs either the
keyboard device itself or an X11 session.

False positives: the display server or compositor (Xorg, gnome-shell, kwin_wayland, sway...),
systemd-logind and key-remapping tools (keyd, input-remapper, kmonad) read keyboards for ordinary
reasons and are not reported. Being in the `input` group is sometimes set up for games or remappers.
X11 is the normal default on many systems: it is an exposure, not evidence of spying.

Limits: without root, the open files of other users' programs (including root's) cannot be seen,
and a keylogger usually runs as root; the report says so. Run with sudo for a full check.

What to do: note the program name, its file and the user. Do not stop it yet; talk to a stalking
advocate (ISAC). Switching to a Wayland session (on the login screen) reduces what other programs
can read, but may be noticed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from digisafe.core.check import SAFETY_CAUTION, Check, Yielded
from digisafe.core.model import Confidence, Severity
from digisafe.core.platforms import Platform

if TYPE_CHECKING:
    from digisafe.core.context import Context
    from digisafe.monitoring.collect import Indicators
    from digisafe.monitoring.keyboards import KeyboardSnapshot

CHECK_ID = "DS-INPUT-010"


class InputCaptureCheck(Check):
    id = CHECK_ID
    title = "Programs that can read every key you type"
    category = "monitoring"
    platforms = frozenset({Platform.LINUX})
    requires = ("root (sudo) to see other users' programs",)
    why = "A keylogger records passwords and messages as you type them."

    def run(self, ctx: Context) -> Iterable[Yielded]:
        from digisafe.monitoring.collect import indicators
        from digisafe.monitoring.keyboards import collect_keyboards

        snapshot = collect_keyboards(ctx)
        yield from self.judge(snapshot, indicators(ctx) if snapshot.readers else None)

    def judge(self, snapshot: KeyboardSnapshot, found: Indicators | None) -> Iterable[Yielded]:
        """Findings from the keyboard readers, the input group and the session type; no Context.
        ``found`` (the indicator database) is needed only when there are readers to name."""
        if snapshot.keyboards is None:
            yield self.limitation("could not read /proc/bus/input/devices: every input device counted as a keyboard")
        if not snapshot.inspected and not snapshot.denied:
            yield self.limitation("could not list the running programs' open files (/proc): keyboard readers unknown")
        if snapshot.denied:
            yield self.limitation(
                f"the open files of {snapshot.denied} programs (other users', including root's) could not be "
                "inspected: run with sudo to see whether any of them reads the keyboard"
            )
        if snapshot.readers and found is not None:
            yield from self._holders(snapshot, found)
        yield from self._input_group(snapshot)
        yield from self._x11(snapshot)

    def _holders(self, snapshot: KeyboardSnapshot, found: Indicators) -> Iterable[Yielded]:
        from digisafe.monitoring.inputdevices import EXPECTED_READERS
        from digisafe.monitoring.judgement import judge_first

        keyboards = snapshot.keyboards or {}
        for reader in snapshot.readers:
            proc, pid = reader.process, reader.pid
            name = proc.name if proc else reader.comm
            exe = proc.exe if proc else None
            evidence = {
                "pid": pid,
                "name": name,
                "exe": exe,
                "user": proc.username if proc else None,
                "devices": [f"/dev/input/{d} ({keyboards.get(d, 'input device')})" for d in reader.events],
            }
            matches = found.matcher.process(name, exe)
            if matches:
                verdict, (title, detail, advice), facts = judge_first(
                    matches, found.known_tools, "is reading the keyboard"
                )
                evidence.update(facts)
                yield self.finding(verdict.severity, title, subject=f"{name} (pid {pid})", detail=detail,
                                   confidence=verdict.confidence, evidence=evidence, advice=advice,
                                   guidance="laptop.keylogging")  # fmt: skip
            elif name not in EXPECTED_READERS:
                yield self.finding(
                    Severity.MEDIUM,
                    f"{name or 'A program'} is reading the keyboard directly",
                    subject=f"{name} (pid {pid})",
                    detail=f"{name or 'This program'} has the keyboard device open, so it can see every key you type. "
                    "Key-remapping, gaming and accessibility tools do this too; keyloggers do the same.",
                    confidence=Confidence.LOW,
                    evidence=evidence,
                    advice="If you do not recognise the program, record its name and file (in this report). "
                    + SAFETY_CAUTION,
                    guidance="laptop.keylogging",
                )

    def _input_group(self, snapshot: KeyboardSnapshot) -> Iterable[Yielded]:
        if snapshot.input_members is None:
            yield self.limitation("could not read /etc/group to see who is in the input group")
            return
        members = list(snapshot.input_members)
        if not members:
            return
        me = snapshot.user
        yield self.finding(
            Severity.MEDIUM if me in members else Severity.LOW,
            "Some accounts may read every keyboard (members of the input group)",
            subject="group input: " + ", ".join(members),
            detail="Programs run by " + ", ".join(members) + " can read every key typed on this laptop "
            "without any further permission. This is sometimes set up for games or key remappers.",
            confidence=Confidence.HIGH,
            evidence={"group": "input", "members": members, "current_user": me or None, "file": "/etc/group"},
            advice="Ask yourself whether you or someone you trust added these accounts. " + SAFETY_CAUTION,
            guidance="laptop.keylogging",
        )

    def _x11(self, snapshot: KeyboardSnapshot) -> Iterable[Yielded]:
        session = (snapshot.session.get("XDG_SESSION_TYPE") or "").lower()
        display, wayland = snapshot.session.get("DISPLAY"), snapshot.session.get("WAYLAND_DISPLAY")
        if session != "x11" and not (not session and display and not wayland):
            return
        # NOTE: information, not an alarm: X11 is still the default on many ordinary desktops.
        yield self.finding(
            Severity.INFO,
            "This desktop uses X11, where any program can read your keystrokes and screen",
            subject=f"XDG_SESSION_TYPE={session or 'unset'}, DISPLAY={display or ''}",
            detail="Under X11, every program you run can see every key you type and take pictures of the "
            "screen without asking. This is normal for X11 and not a sign of spying by itself, but it makes "
            "keyloggers easy. Wayland sessions do not allow this.",
            confidence=Confidence.HIGH if session == "x11" else Confidence.MEDIUM,
            evidence={"XDG_SESSION_TYPE": session or None, "DISPLAY": display, "WAYLAND_DISPLAY": wayland},
            advice="If your system offers a Wayland session on the login screen, it protects keystrokes better; "
            "talk to your ISAC before changing anything. " + SAFETY_CAUTION,
            guidance="laptop.keylogging",
        )
