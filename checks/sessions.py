"""DS-SESS-010: who is logged in to this laptop right now, locally and from elsewhere.

What it looks at: the login sessions the operating system records (the same list as `who` on
Linux and macOS, and Terminal Services sessions on Windows).

Why it matters: a session from another computer (over SSH, Remote Desktop or similar) means someone
is, or recently was, using this laptop from somewhere else. A second local user logged in at the
same time can also mean someone else has their own way in.

False positives: your own SSH or Remote Desktop connection from another device you own; a
second account you use yourself; IT support at work.

What to do: if you do not recognise a session, write down the user name, the address it came from
and the time shown here, and talk to a stalking advocate (ISAC) before you change anything.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Iterable, Sequence

from digisafe.core.check import SAFETY_CAUTION, Check, Yielded
from digisafe.core.model import Confidence, Severity

if TYPE_CHECKING:
    from digisafe.core.context import Context, LoginSession

_LOCAL_HOSTS = {"", "localhost", "127.0.0.1", "::1", "0.0.0.0"}


def is_remote(session: LoginSession) -> bool:
    host = (session.host or "").strip().lower()
    # NOTE: X11 sessions report the display (":0", ":0.0") as host; those are local.
    return bool(host) and host not in _LOCAL_HOSTS and not host.startswith(":")


def _when(ts: float | None) -> str | None:
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


class LoginSessionsCheck(Check):
    id = "DS-SESS-010"
    title = "Login sessions, local and remote"
    category = "remote-access"
    why = "A login from another computer means someone may be using this laptop from elsewhere."

    def run(self, ctx: Context) -> Iterable[Yielded]:
        yield from self.judge(list(ctx.sessions.sessions()))

    def judge(self, sessions: Sequence[LoginSession]) -> Iterable[Yielded]:
        """Findings for the login sessions (the snapshot is the provider's list); no Context needed."""
        users = {s.user for s in sessions}
        for s in sessions:
            evidence = {
                "user": s.user,
                "terminal": s.terminal,
                "host": s.host,
                "started": _when(s.started),
                "pid": s.pid,
            }
            if is_remote(s):
                yield self.finding(
                    Severity.HIGH,
                    f"Someone is logged in to this laptop from another computer ({s.host})",
                    subject=f"{s.user} from {s.host}",
                    detail=f"User {s.user!r} has a session on {s.terminal or 'a terminal'} that came "
                    f"from {s.host}. If this is not you, someone may be using this laptop remotely.",
                    confidence=Confidence.HIGH,
                    evidence=evidence,
                    advice="If you did not start this session, note the address and time. " + SAFETY_CAUTION,
                    guidance="laptop.remote-sessions",
                )
        if len(users) > 1:
            yield self.finding(
                Severity.LOW,
                f"{len(users)} different user accounts are logged in at the same time",
                subject=", ".join(sorted(users)),
                detail="More than one account is signed in. Check that you know every one of them.",
                confidence=Confidence.MEDIUM,
                evidence={"users": sorted(users)},
                advice="If you do not recognise an account, note its name. " + SAFETY_CAUTION,
                guidance="laptop.other-accounts",
            )
