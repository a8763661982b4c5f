"""Fixed words for the checklist and guide pages, so every format says them the same way.

The guidance itself is data (digisafe/content/guidance/); these are only page headings and
notes around it.
"""

from __future__ import annotations

CHECKLIST_TITLE = "Your digital safety checklist"
GUIDE_TITLE = "digisafe: privacy and safety guidance"
CHECKLIST_INTRO = (
    "Tick a box when a step is done, or when you and your ISAC have decided to leave it for now. "
    "Go at your own pace. Do only what is safe for you. The code beside each step finds it in "
    "the full guide, for example: digisafe guide accounts.two-step"
)
BEFORE_YOU_START = "Before you start"
FOUND_HEADING = "Start here: what digisafe found on this laptop"
FOUND_INTRO = "These steps match what digisafe found. Talk them through with your ISAC first."
FOUND_MARK = "FOUND"
NOTES_HEADING = "Notes"
NOT_CHECKED_HEADING = "These could not be checked"
NOT_CHECKED_INTRO = (
    "digisafe could not look at these. Check them by hand with your ISAC. "
    "Finding nothing does not prove that a device is safe."
)
NOT_APPLICABLE = "Checks for other kinds of computer that did not run here: {n}."
WHAT_TO_DO = "What to do"
DETAILS_HEADING = "What digisafe found, in detail"
PAPER_WARNING = (
    "Take care: this page shows details of what digisafe found. Paper can be found. Keep it "
    "somewhere the other person cannot see it. You can print the checklist without it."
)
SUPPORT_HEADING = "Help and support"
LOG_HEADING = "Incident log"
LOG_INTRO = "Write each event down as soon as you can. Keep this log somewhere safe."
LOG_FIELDS = (
    "Date and time",
    "What happened",
    "Where",
    "Evidence kept",
    "Witnesses",
    "Reported to whom (and reference number)",
)
LOG_ENTRIES_PER_PAGE = 2
NOT_QUOTED = (
    "Written for digisafe in its own words from the sources named with each step. "
    "It does not quote any police eBook."
)
GUIDE_INDEX_HINT = "Show a topic with: digisafe guide TOPIC   (or 'digisafe guide all' for everything)"
