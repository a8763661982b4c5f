"""DS-WIN-030: Remote Desktop and Remote Assistance on this Windows laptop.

What it looks at:
- Remote Desktop: HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server ``fDenyTSConnections``
  (0 = connections allowed), overridden by the policy value of the same name under
  HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services; the port and whether Network Level
  Authentication is required (...\\Terminal Server\\WinStations\\RDP-Tcp ``PortNumber``,
  ``UserAuthentication``).
- Remote Assistance: HKLM\\SYSTEM\\CurrentControlSet\\Control\\Remote Assistance ``fAllowToGetHelp``
  and ``fAllowFullControl`` (and the policy ``fAllowToGetHelp``).

Why it matters: with Remote Desktop on, anyone who knows the password of an account on this laptop
can use it from another computer. Remote Assistance lets someone you invite see, and if allowed
control, your screen; an old invitation or a helper you no longer trust is a risk.

False positives: Remote Desktop set up by you or your workplace; Remote Assistance is switched on by
default on many Windows installations (reported at a low level).

Limits: Remote Desktop hosting only works on Pro, Enterprise and Education editions, so on Home the
setting may be on but unusable. Third-party remote tools are looked at by other checks.

What to do: note what is on. The switches are in Settings > System > Remote Desktop and in Control
Panel > System > Remote settings; changing them may be noticed: talk to a stalking advocate (ISAC)
first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from digisafe.core.check import Check, CheckSkipped, Yielded
from digisafe.core.model import Confidence, Severity
from digisafe.core.platforms import Platform

if TYPE_CHECKING:
    from digisafe.core.context import Context
    from digisafe.settings.windows_collect import WindowsSnapshot

_TS = r"HKLM\SYSTEM\CurrentControlSet\Control\Terminal Server"
_RDP_TCP = _TS + r"\WinStations\RDP-Tcp"
_TS_POLICY = r"HKLM\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services"
_RA = r"HKLM\SYSTEM\CurrentControlSet\Control\Remote Assistance"
KEYS = ((_TS, 0), (_RDP_TCP, 0), (_TS_POLICY, 0), (_RA, 0))  # what the collector copies


def _first(*candidates: tuple[str, object]) -> tuple[str, int | None]:
    """The first (source, value) whose value is a number: policies come first because they win."""
    from digisafe.settings.windows import as_int

    for source, value in candidates:
        number = as_int(value)
        if number is not None:
            return source, number
    return "", None


class WindowsRemoteAccessCheck(Check):
    id = "DS-WIN-030"
    title = "Remote Desktop and Remote Assistance (Windows)"
    category = "remote-access"
    platforms = frozenset({Platform.WINDOWS})
    why = "Remote Desktop or Remote Assistance lets someone use this laptop from another computer."

    def run(self, ctx: Context) -> Iterable[Yielded]:
        from digisafe.settings.windows_collect import collect_windows

        yield from self.judge(collect_windows(ctx, KEYS))

    def judge(self, snap: WindowsSnapshot) -> Iterable[Yielded]:
        """Remote Desktop and Remote Assistance from a copy of their registry keys; no Context needed."""
        from digisafe.settings.windows import reg_values

        if snap.registry is None:
            raise CheckSkipped("the Windows registry is not available; check Settings > System > Remote Desktop")
        ts, policy = reg_values(snap.registry, _TS), reg_values(snap.registry, _TS_POLICY)
        source, deny = _first((_TS_POLICY, policy.get("fDenyTSConnections")), (_TS, ts.get("fDenyTSConnections")))
        if deny is None:
            yield self.limitation("the Remote Desktop setting could not be read; check Settings > System > "
                                  "Remote Desktop")
        elif deny == 0:
            yield self._remote_desktop(snap, source)
        yield from self._remote_assistance(snap, policy)

    def _remote_desktop(self, snap: WindowsSnapshot, source: str):  # noqa: ANN202
        from digisafe.settings import advice
        from digisafe.settings.windows import as_int, reg_values

        tcp = reg_values(snap.registry, _RDP_TCP)
        port = as_int(tcp.get("PortNumber")) or 3389
        nla = as_int(tcp.get("UserAuthentication"))
        weak = " Network Level Authentication is off, so the sign-in screen is shown to anyone who connects." \
            if nla == 0 else ""
        return self.finding(
            Severity.HIGH,
            "Remote Desktop is on: anyone with a password for this laptop can use it from elsewhere",
            subject=f"Remote Desktop (port {port})",
            detail=f"This laptop accepts Remote Desktop connections on port {port}"
            + (" (not the usual 3389)" if port != 3389 else "") + "." + weak
            + (" A policy (set by an administrator or management server) switched it on."
               if source == _TS_POLICY else ""),
            confidence=Confidence.HIGH,
            evidence={"key": source, "fDenyTSConnections": 0, "PortNumber": port, "UserAuthentication": nla},
            advice=advice("If you did not switch this on, note it (Settings > System > Remote Desktop)."),
            guidance="laptop",
        )

    def _remote_assistance(self, snap: WindowsSnapshot, policy) -> Iterable[Yielded]:  # noqa: ANN001
        from digisafe.settings import advice
        from digisafe.settings.windows import as_int, reg_values

        ra = reg_values(snap.registry, _RA)
        source, allowed = _first((_TS_POLICY, policy.get("fAllowToGetHelp")), (_RA, ra.get("fAllowToGetHelp")))
        if allowed is None:
            yield self.limitation("the Remote Assistance setting could not be read; check Control Panel > "
                                  "System > Remote settings")
            return
        if allowed != 1:
            return
        control = as_int(policy.get("fAllowFullControl", ra.get("fAllowFullControl"))) == 1
        yield self.finding(
            Severity.MEDIUM if control else Severity.LOW,
            "Remote Assistance is allowed" + (" and helpers may take control" if control else ""),
            subject="Remote Assistance",
            detail="Someone you send an invitation to (or use Quick Assist / Easy Connect with) can see "
            + ("and control " if control else "") + "this screen. It needs an invitation, but an old one or a "
            "helper you no longer trust is a risk.",
            confidence=Confidence.HIGH,
            evidence={"key": source, "fAllowToGetHelp": allowed, "fAllowFullControl": control},
            advice=advice("If you never use it, note that it is on (Control Panel > System > Remote settings)."),
            guidance="laptop",
        )
