"""DS-X-ACME-020: a reverse shell in a process listing captured on another computer.

What it looks at: the command lines in a listing read with `digisafe processes --from FILE`: a
netcat (nc, ncat, netcat) started with -e or -c hands a command shell to whoever is at the
other end.

Why it matters: someone with that shell can run anything on the computer the listing came from.

What to do: record the line (this report) and talk to a stalking advocate (ISAC) before stopping it.
"""

from __future__ import annotations

from digisafe.core.check import Check
from digisafe.core.model import Confidence, Severity
from digisafe.core.subject import SubjectKind

_NETCATS = ("nc", "nc.exe", "ncat", "ncat.exe", "netcat", "netcat.exe")


class AcmeListedReverseShellCheck(Check):
    id = "DS-X-ACME-020"
    title = "A reverse shell in the captured process listing"
    category = "remote-access"
    subjects = frozenset({SubjectKind.LISTING})  # never shown in a laptop audit, not even as skipped
    why = "A netcat handing out a shell lets someone else run anything on that computer."

    def run(self, ctx):
        yield from self.judge(list(ctx.processes.processes()))  # a listing's Context has processes only

    def judge(self, rows):
        for row in rows:
            words = [w.strip('"') for w in " ".join(row.cmdline).split()]
            program = words[0].replace("\\", "/").rsplit("/", 1)[-1].lower() if words else row.name.lower()
            if program in _NETCATS and ("-e" in words or "-c" in words):
                yield self.finding(Severity.HIGH, f"{row.name} is handing out a command shell",
                                   subject=f"{row.name} (pid {row.pid})", confidence=Confidence.HIGH,
                                   evidence={"pid": row.pid, "cmdline": " ".join(row.cmdline)})
