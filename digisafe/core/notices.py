"""The standing words every report carries, in every format (JSON included)."""

NOTHING_PROVES_SAFE = (
    "Finding nothing does not prove that this laptop is safe. Some monitoring software hides well, "
    "and some checks could not run (see above)."
)
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
