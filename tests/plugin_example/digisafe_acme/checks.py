"""DS-X-ACME-010: a passwords note on the Desktop.

What it looks at: a file called passwords.txt on the Desktop.

Why it matters: anyone who can open the laptop, or who once could, can read every password in it.

What to do: move the passwords into a password manager after talking to a caseworker.
"""

from __future__ import annotations

from digisafe.core.check import Check
from digisafe.core.model import Severity


class AcmePasswordNoteCheck(Check):
    id = "DS-X-ACME-010"
    title = "Passwords note on the Desktop"
    category = "accounts"
    why = "A passwords file lets anyone with access to the laptop into every account."

    def run(self, ctx):
        note = ctx.files.path("~/Desktop/passwords.txt")
        if note.is_file():
            yield self.finding(
                Severity.MEDIUM,
                "A file of passwords is on the Desktop",
                subject=str(note),
                evidence={"path": str(note), "size": note.stat().st_size},
            )
