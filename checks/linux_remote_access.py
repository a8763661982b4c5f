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

_SYSTEM_UNITS = ("ssh.service", "ssh.socket", "sshd.service", "sshd.socket",
                 "gnome-remote-desktop.service", "xrdp.service")
_KEY_FILES = ("~/.ssh/authorized_keys", "~/.ssh/authorized_keys2")


class LinuxRemoteAccessCheck(Check):
    id = "DS-REM-010"
    title = "Screen sharing, remote desktop and SSH access on this Linux laptop"
    category = "remote-access"
    platforms = frozenset({Platform.LINUX})
    requires = ("administrator rights to read other accounts' SSH keys",)
    why = "Screen sharing or a saved SSH key lets someone watch, control or log in to this laptop."

    def run(self, ctx: Context) -> Iterable[Yielded]:
        from concurrent.futures import ThreadPoolExecutor

        from digisafe.settings import advice
        from digisafe.settings.linux import parse_is_active
        from digisafe.settings.read import Unreadable, gsetting, run, sudo_caveat

        # The process list and four small commands are independent: run them side by side so the
        # check costs one process listing, not the sum of everything (the audit must stay fast).
        schema = "org.gnome.desktop.remote-desktop"
        with ThreadPoolExecutor(max_workers=5) as pool:
            procs = pool.submit(ctx.processes.processes)
            system = pool.submit(run, ctx, ["systemctl", "is-active", *_SYSTEM_UNITS])
            user = pool.submit(run, ctx, ["systemctl", "--user", "is-active", "gnome-remote-desktop"])
            rdp = pool.submit(gsetting, ctx, f"{schema}.rdp", "enable")
            vnc = pool.submit(gsetting, ctx, f"{schema}.vnc", "enable")
        running = {p.name: p for p in procs.result() if p.name}
        caveat = sudo_caveat(ctx)
        if caveat:
            yield self.limitation(caveat)
        units: dict[str, str] = {}
        try:
            result = system.result()
            units = parse_is_active(_SYSTEM_UNITS, result.stdout)
            if len(units) != len(_SYSTEM_UNITS):  # e.g. "System has not been booted with systemd"
                why = (result.stderr or "").strip().splitlines()
                raise Unreadable(f"systemctl said {why[0] if why else 'nothing'!r}")
        except Unreadable as exc:
            units = {}
            yield self.limitation(f"system services not read ({exc}); running programs were checked instead")
        yield from self._gnome_remote_desktop(ctx, units, {"rdp": rdp, "vnc": vnc, "user": user})
        yield from self._screen_servers(ctx, running)
        ssh_on = any(units.get(u) == "active" for u in _SYSTEM_UNITS[:4]) or "sshd" in running
        if ssh_on:
            active = sorted(u for u in _SYSTEM_UNITS[:4] if units.get(u) == "active")
            yield self.finding(
                Severity.MEDIUM,
                "The SSH remote login server is on",
                subject=", ".join(active) or "sshd process",
                detail="Anyone who has a password or a saved key for an account on this laptop can log "
                "in to it over the network while the SSH server is running.",
                confidence=Confidence.HIGH,
                evidence={"units": {u: units.get(u) for u in _SYSTEM_UNITS[:4] if u in units},
                          "sshd_pid": running["sshd"].pid if "sshd" in running else None},
                advice=advice("If you did not set up SSH, note this."),
                guidance="laptop",
            )
        yield from self._authorized_keys(ctx, ssh_on)

    def _gsetting(self, ctx: Context, schema: str, key: str) -> object:
        from digisafe.settings.linux import parse_gsettings_value
        from digisafe.settings.read import Unreadable, gsetting

        try:
            return parse_gsettings_value(gsetting(ctx, schema, key))
        except Unreadable:
            return None

    def _gnome_remote_desktop(self, ctx: Context, units: dict[str, str], pending: dict) -> Iterable[Yielded]:
        """GNOME Remote Desktop from the already-started gsettings/systemctl reads in ``pending``."""
        from digisafe.settings import advice
        from digisafe.settings.linux import parse_gsettings_value
        from digisafe.settings.read import Unreadable

        schema = "org.gnome.desktop.remote-desktop"
        try:
            rdp = parse_gsettings_value(pending["rdp"].result())
        except Unreadable as exc:
            if "not installed" in str(exc):
                yield self.limitation(f"GNOME Remote Desktop settings not read: {exc}")
            rdp = None
        try:
            vnc = parse_gsettings_value(pending["vnc"].result())
        except Unreadable:
            vnc = None
        try:
            user_state = pending["user"].result().stdout.strip()
        except Unreadable:
            user_state = ""
        system_on = units.get("gnome-remote-desktop.service") == "active"
        on = [name for name, value in (("RDP", rdp), ("VNC", vnc)) if value is True]
        if not on and not system_on:
            return
        view_only = {p: self._gsetting(ctx, f"{schema}.{p.lower()}", "view-only") for p in on}
        control = [p for p in on if view_only.get(p) is not True]
        what = "watch and control" if control or system_on else "watch"
        yield self.finding(
            Severity.HIGH,
            "GNOME Remote Desktop is switched on: someone else can " + what + " this screen",
            subject=f"{schema} ({', '.join(on) or 'system Remote Login'})",
            detail=f"Remote desktop sharing is on ({', '.join(on + (['Remote Login'] if system_on else []))}). "
            f"Anyone with its user name and password can {what} this laptop from another computer. "
            f"The sharing service is {user_state or 'in an unknown state'} for this user.",
            confidence=Confidence.HIGH,
            evidence={"rdp.enable": rdp, "vnc.enable": vnc, "view-only": view_only,
                      "user_service": user_state or None, "system_service": units.get("gnome-remote-desktop.service")},
            advice=advice("If you did not switch this on, note it. It is in Settings > System > Remote "
                          "Desktop (older versions: Settings > Sharing)."),
            guidance="laptop",
        )

    def _screen_servers(self, ctx: Context, running: dict) -> Iterable[Yielded]:
        from digisafe.settings import advice
        from digisafe.settings.linux import SCREEN_SERVERS

        for name, label in sorted(SCREEN_SERVERS.items()):
            proc = running.get(name)
            if proc is None:
                continue
            settings: dict = {}
            if name == "vino-server":  # its settings say whether it asks before letting someone in
                settings = {key: self._gsetting(ctx, "org.gnome.Vino", key)
                            for key in ("prompt-enabled", "view-only", "require-encryption")}
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

    def _own_key_files(self, ctx: Context, notes: list[str]) -> list:
        """This account's key files: the defaults plus any AuthorizedKeysFile in sshd_config."""
        from digisafe.settings.ssh import parse_sshd_key_sources

        paths = list(_KEY_FILES)
        sources = parse_sshd_key_sources(self._sshd_config(ctx, "/etc/ssh/sshd_config", notes))
        user = ctx.files.env("USER") or ""
        for entry in sources.files:
            entry = entry.replace("%%", "%").replace("%u", user)
            if entry.startswith("%h/"):
                entry = "~/" + entry[3:]
            elif not entry.startswith(("/", "~")):
                entry = "~/" + entry
            if "%" in entry:
                notes.append(f"sshd also reads keys from {entry!r}, which was not read")
            elif entry not in paths:
                paths.append(entry)
        if sources.command:
            notes.append(f"sshd also asks a program for keys (AuthorizedKeysCommand {sources.command}); "
                         "those keys were not seen")
        return [ctx.files.path(path) for path in paths]

    def _sshd_config(self, ctx: Context, path: str, notes: list[str], depth: int = 0) -> str:
        """sshd_config with its Include lines replaced by the included files, as sshd reads it."""
        from digisafe.settings.read import Unreadable, read_text
        from digisafe.settings.ssh import sshd_includes

        # NOTE: Debian and Ubuntu start sshd_config with "Include /etc/ssh/sshd_config.d/*.conf", and
        # sshd keeps the first value it meets: a drop-in there overrides the main file.
        try:
            text = read_text(ctx.files.path(path))
        except Unreadable as exc:
            if depth:
                notes.append(f"an sshd configuration file was not read ({exc})")
            return ""
        if depth >= 3:
            return text
        lines = []
        for line, patterns in sshd_includes(text):
            for pattern in patterns:
                full = pattern if pattern.startswith("/") else "/etc/ssh/" + pattern
                folder, _, name = full.rpartition("/")
                try:
                    matches = sorted(p.name for p in ctx.files.path(folder or "/").glob(name))
                except (OSError, ValueError):
                    matches = []
                lines.extend(self._sshd_config(ctx, f"{folder}/{m}", notes, depth + 1) for m in matches)
            if not patterns:
                lines.append(line)
        return "\n".join(lines)

    def _key_files(self, ctx: Context, own: list) -> list:
        files = list(own)
        if ctx.is_admin:
            others = [ctx.files.path("/root/.ssh")]
            try:
                others += sorted(p / ".ssh" for p in ctx.files.path("/home").iterdir())
            except OSError:
                pass
            for folder in others:
                if folder.parent != ctx.files.home:
                    files += [folder / "authorized_keys", folder / "authorized_keys2"]
        return files

    def _authorized_keys(self, ctx: Context, ssh_on: bool) -> Iterable[Yielded]:
        from digisafe.settings.read import Unreadable, read_text
        from digisafe.settings.ssh import parse_authorized_keys

        if not ctx.is_admin:
            yield self.limitation("only this account's SSH keys were read; other accounts' keys need "
                                  "administrator rights")
        notes: list[str] = []
        own = self._own_key_files(ctx, notes)
        for note in notes:
            yield self.limitation(note)
        for path in dict.fromkeys(self._key_files(ctx, own)):
            try:
                text = read_text(path)
            except Unreadable as exc:
                if path.exists():
                    yield self.limitation(f"SSH keys not read: {exc}")
                continue
            for key in parse_authorized_keys(text):
                yield self._key_finding(path, key, ssh_on)

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
