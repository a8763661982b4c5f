"""'Did you mean ...?' for a mistyped command, topic or check ID."""

from __future__ import annotations

import difflib
from typing import Iterable

# Words people type for a command that has another name.
ALIASES = {"photo": "photos", "picture": "photos", "pictures": "photos", "check": "checks", "help": "guide",
           "scan": "audit", "process": "processes", "indicator": "indicators", "reports": "report"}


def nearest(word: str, choices: Iterable[str], n: int = 1) -> list[str]:
    """The closest of ``choices`` to ``word`` (case-insensitive), best first; [] if none is close."""
    by_key = {c.lower(): c for c in choices}
    key = word.strip().lower()
    if key in ALIASES and ALIASES[key] in by_key:
        return [by_key[ALIASES[key]]]
    # A prefix ("DS-NET-01" for DS-NET-010) is the likeliest slip for an ID.
    prefixed = sorted(c for k, c in by_key.items() if key and k.startswith(key))
    close = [by_key[k] for k in difflib.get_close_matches(key, list(by_key), n=n + 2, cutoff=0.6)]
    out: list[str] = []
    for c in prefixed + close:
        if c not in out:
            out.append(c)
    return out[:n]


def did_you_mean(word: str, choices: Iterable[str], template: str = "{}") -> str:
    """' Did you mean X?' (with a leading space), or '' when nothing is close."""
    found = nearest(word, choices)
    return f" Did you mean {template.format(found[0])}?" if found else ""
