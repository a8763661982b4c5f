"""DS-REM-010: ways to see or control this Linux laptop from elsewhere (screen sharing, SSH keys).

What it looks at:
- GNOME Remote Desktop: ``gsettings get org.gnome.desktop.remote-desktop.rdp enable`` and the
  same for ``.vnc`` (Settings > System > Remote Desktop, or Settings > Sharing), the user service
  ``systemctl --user is-active gnome-remote-desktop`` and the system-wide "Remote Login" service.
- Other screen-sharing servers running now: vino-server (older GNOME), x11vnc, krfb and
  krdpserver (KDE), xrdp, wayvnc, TigerVNC.
- The SSH server (``systemctl is-active ssh sshd``, including socket activation, or an sshd
  process), and every key in ~/.ssh/authorized_keys (and authorized_keys2): type, comment,
  SHA256 fingerprint (the same as ``ssh-keygen -lf``) and options such as from= and command=.

Why it matters: screen sharing lets someone watch or control the screen. A key in
authorized_keys is a standing way in: whoever holds the matching private key can log in as you,
without a password, whenever the SSH server runs, and it keeps working after a password change.

False positives: remote desktop or SSH you set up yourself; keys you added for your own other
computers (the comment often names the computer they came from); work IT access.

Limits: only this account's authorized_keys is read unless digisafe runs as administrator.
If systemctl or gsettings is missing, the report says so.

What to do: compare each key's comment and fingerprint with the keys on your own devices
(``ssh-keygen -lf ~/.ssh/id_ed25519.pub`` shows one). Removing a key or switching sharing off can
be noticed: record it and talk to a stalking advocate (ISAC) first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from digisafe.core.check import Check, Yielded
from digisafe.core.model import Confidence, Severity
from digisafe.core.platforms import Platform

if TYPE_CHECKING:
    from digisafe.core.context import Context
    from digisafe.settings.linux_remote import LinuxRemoteSnapshot

_SCHEMA = "org.gnome.desktop.remote-desktop"


class LinuxRemoteAccessCheck(Check):
    id = "DS-REM-010"
    title = "Screen sharing, remote desktop and SSH access on this Linux laptop"
    category = "remote-access"
    platforms = frozenset({Platform.LINUX})
    requires = ("administrator rights to read other accounts' SSH keys",)
    why = "Screen sharing or a saved SSH key lets someone watch, control or log in to this laptop."

    def run(self, ctx: Context) -> Iterable[Yielded]:
        from digisafe.settings.linux_remote import collect_linux_remote

        yield from self.judge(collect_linux_remote(ctx))

    def judge(self, snap: LinuxRemoteSnapshot) -> Iterable[Yielded]:
        """Findings from one reading of this laptop's remote-access settings; no Context needed."""
        from digisafe.settings import advice
        from digisafe.settings.linux_remote import SSH_UNITS

        if snap.sudo_caveat:
            yield self.limitation(snap.sudo_caveat)
        if snap.units_problem:
            yield self.limitation(f"system services not read ({snap.units_problem}); running programs were "
                                  "checked instead")  # fmt: skip
        yield from self._gnome_remote_desktop(snap)
        yield from self._screen_servers(snap)
        units, running = snap.units, snap.running
        ssh_on = any(units.get(u) == "active" for u in SSH_UNITS) or "sshd" in running
        if ssh_on:
            active = sorted(u for u in SSH_UNITS if units.get(u) == "active")
            yield self.finding(
                Severity.MEDIUM,
                "The SSH remote login server is on",
                subject=", ".join(active) or "sshd process",
                detail="Anyone who has a password or a saved key for an account on this laptop can log "
                "in to it over the network while the SSH server is running.",
                confidence=Confidence.HIGH,
                evidence={"units": {u: units.get(u) for u in SSH_UNITS if u in units},
                          "sshd_pid": running["sshd"].pid if "sshd" in running else None},
                advice=advice("If you did not set up SSH, note this."),
                guidance="laptop",
            )
        yield from self._authorized_keys(snap, ssh_on)

    def _gnome_remote_desktop(self, snap: LinuxRemoteSnapshot) -> Iterable[Yielded]:
        from digisafe.settings import advice

        if snap.settings_problem:
            yield self.limitation(f"GNOME Remote Desktop settings not read: {snap.settings_problem}")
        rdp, vnc, user_state = snap.rdp, snap.vnc, snap.user_service
        system_on = snap.units.get("gnome-remote-desktop.service") == "active"
        on = [name for name, value in (("RDP", rdp), ("VNC", vnc)) if value is True]
        if not on and not system_on:
            return
        view_only = {p: snap.view_only.get(p) for p in on}
        control = [p for p in on if view_only.get(p) is not True]
        what = "watch and control" if control or system_on else "watch"
        yield self.finding(
            Severity.HIGH,
            "GNOME Remote Desktop is switched on: someone else can " + what + " this screen",
            subject=f"{_SCHEMA} ({', '.join(on) or 'system Remote Login'})",
            detail=f"Remote desktop sharing is on ({', '.join(on + (['Remote Login'] if system_on else []))}). "
            f"Anyone with its user name and password can {what} this laptop from another computer. "
            f"The sharing service is {user_state or 'in an unknown state'} for this user.",
            confidence=Confidence.HIGH,
            evidence={"rdp.enable": rdp, "vnc.enable": vnc, "view-only": view_only,
                      "user_service": user_state or None,
                      "system_service": snap.units.get("gnome-remote-desktop.service")},
            advice=advice("If you did not switch this on, note it. It is in Settings > System > Remote "
                          "Desktop (older versions: Settings > Sharing)."),
            guidance="laptop",
        )

    def _screen_servers(self, snap: LinuxRemoteSnapshot) -> Iterable[Yielded]:
        from digisafe.settings import advice
        from digisafe.settings.linux import SCREEN_SERVERS

        for name, label in sorted(SCREEN_SERVERS.items()):
            proc = snap.running.get(name)
            if proc is None:
                continue
            settings = dict(snap.vino) if name == "vino-server" else {}
            unasked = settings.get("prompt-enabled") is False
            yield self.finding(
                Severity.HIGH,
                f"{label} is running: someone may be able to see or control this screen",
                subject=f"{name} (process {proc.pid})",
                detail=f"The program {name} shares this laptop's screen with other computers. If you did "
                "not start it, someone else may be watching or controlling it."
                + (" It is set to let people in without asking you first." if unasked else ""),
                confidence=Confidence.HIGH if proc.exe else Confidence.MEDIUM,
                evidence={"process": name, "pid": proc.pid, "exe": proc.exe, "cmdline": list(proc.cmdline),
                          "user": proc.username, **({"org.gnome.Vino": settings} if settings else {})},
                advice=advice("Do not close it yet; take a photo of this report."),
                guidance="laptop",
            )

    def _authorized_keys(self, snap: LinuxRemoteSnapshot, ssh_on: bool) -> Iterable[Yielded]:
        if not snap.is_admin:
            yield self.limitation("only this account's SSH keys were read; other accounts' keys need "
                                  "administrator rights")
        for note in snap.key_notes:
            yield self.limitation(note)
        for key_file in snap.key_files:
            if key_file.problem:
                yield self.limitation(f"SSH keys not read: {key_file.problem}")
            for key in key_file.keys:
                yield self._key_finding(key_file.path, key, ssh_on)

    def _key_finding(self, path, key, ssh_on: bool):  # noqa: ANN001, ANN202
        from digisafe.settings import advice
        from digisafe.settings.ssh import option_value

        source = option_value(key.options, "from")
        command = option_value(key.options, "command")
        limits = []
        if source:
            limits.append(f"it only works from {source}")
        if command:
            limits.append(f"it can only run the command {command!r}")
        label = f"'{key.comment}'" if key.comment else "with no name"
        return self.finding(
            Severity.MEDIUM if ssh_on else Severity.LOW,
            f"A saved SSH key {label} can log in to this account without a password",
            subject=f"{path}:{key.line} {key.fingerprint or key.key_type}",
            detail="Whoever holds the matching private key can log in as this user "
            + ("now, because the SSH server is on." if ssh_on else "whenever the SSH server is switched on.")
            + (" Limits: " + "; ".join(limits) + "." if limits else "")
            + (f" Note: {key.problem}." if key.problem else "")
            + " The key keeps working after a password change.",
            confidence=Confidence.HIGH if not key.problem else Confidence.MEDIUM,
            evidence={"file": str(path), "line": key.line, "type": key.key_type, "fingerprint": key.fingerprint,
                      "comment": key.comment, "options": list(key.options), "from": source, "command": command},
            advice=advice("Check whether this key belongs to one of your own devices (compare the "
                          "fingerprint)."),
            guidance="laptop",
        )
