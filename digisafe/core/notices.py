"""The standing words every report carries, in every format (JSON included)."""

NOTHING_PROVES_SAFE = (
    "Finding nothing does not prove that this laptop is safe. Some monitoring software hides well, "
    "and some checks could not run (see above)."
)
HELP_LINE = (
    "Help: a stalking advocate (ISAC), the National Stalking Helpline 0808 802 0300, "
    "police 101. In an emergency call 999."
)
READ_ONLY = "digisafe only looked. It did not change, remove or block anything."
