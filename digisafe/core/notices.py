"""The standing words every report carries, in every format (JSON included)."""

from __future__ import annotations

NOTHING_PROVES_SAFE = "Finding nothing does not prove that this laptop is safe. Some monitoring software hides well."
MORE_MAY_BE_HIDDEN = ("There may be more than digisafe found: some monitoring software hides well. What was not "
                      "found does not prove that this laptop is safe.")
HELP_LINE = (
    "Help: a stalking advocate (ISAC), the National Stalking Helpline 0808 802 0300, "
    "police 101. In an emergency call 999."
)
# What a report is about, in the standing words (a phone audit said "this laptop").
SUBJECT_NOUNS = {"laptop": "this laptop", "listing": "the computer this listing came from", "android": "this phone",
                 "ios": "this phone", "bluetooth": "the devices around you"}


def about(text: str, subject_kind: object) -> str:
    """``text`` (written for a laptop) about the report's subject (a SubjectKind or its value)."""
    return text.replace("this laptop", SUBJECT_NOUNS.get(str(subject_kind), "this laptop"))


READ_ONLY = "digisafe only looked. It did not change, remove or block anything."


def _checks(n: int) -> str:
    return f"{n} check" + ("" if n == 1 else "s")


def not_run(skipped: int, failed: int, skipped_at: str, failed_at: str) -> str:
    """'2 checks could not run and 1 check failed: see <where each is listed>.', or "" when all ran.

    The places are where this very output lists them (a heading above, the saved report, a status in
    JSON): the words must never point at something that is not there."""
    parts, places = [], []
    if skipped:
        parts.append(f"{_checks(skipped)} could not run")
        places.append(skipped_at)
    if failed:
        parts.append(f"{_checks(failed)} failed")
        places.append(failed_at)
    if not parts:
        return ""
    return " and ".join(parts) + ": see " + " and ".join(dict.fromkeys(places)) + "."


def standing_words(found: bool, skipped: int, failed: int, skipped_at: str, failed_at: str) -> str:
    """The closing caution: nothing found (or more than found) proves nothing, and what was not checked."""
    gaps = not_run(skipped, failed, skipped_at, failed_at)
    return (MORE_MAY_BE_HIDDEN if found else NOTHING_PROVES_SAFE) + (" " + gaps if gaps else "")


def json_standing_words(found: bool, skipped: int, failed: int) -> str:
    """standing_words for the JSON report, which lists every check under "results"."""
    return standing_words(found, skipped, failed, 'the results with status "skipped"',
                          'the results with status "error"')
