"""What the three browser checks share: the profile list (or an honest skip), the caution and the
evidence every browser finding carries."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from digisafe.browsers.discovery import BrowserProfile, Discovery, discover
from digisafe.core.check import SAFETY_CAUTION, CheckSkipped
from digisafe.core.context import Context

BROWSERS_LOOKED_FOR = "Chrome, Chromium, Edge, Brave, Vivaldi, Opera or Firefox"

# A variant of SAFETY_CAUTION for browser settings: changes sync, so they can show up elsewhere.
BROWSER_CAUTION = (
    "Changing this in the browser may be noticed by the other person: a synced browser shows the "
    "change on their devices too. " + SAFETY_CAUTION
)


def profiles_or_skip(ctx: Context, what_by_hand: str) -> Discovery:
    """Every browser profile on this laptop, or CheckSkipped saying there was nothing to look at."""
    return skip_unless_profiles(discover(ctx), what_by_hand)


def skip_unless_profiles(found: Discovery, what_by_hand: str) -> Discovery:
    """``found`` if it holds a profile; else CheckSkipped saying there was nothing to look at."""
    if not found.profiles:
        problems = f" ({'; '.join(found.limitations)})" if found.limitations else ""
        raise CheckSkipped(
            f"no {BROWSERS_LOOKED_FOR} profile was found in the usual places{problems}. If you use "
            f"another browser, or a portable one, check by hand: {what_by_hand}")
    return found


def evidence(profile: BrowserProfile, file: Path, setting: str, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "browser": profile.browser,
        "profile": profile.name,
        "profile_path": str(profile.path),
        "file": str(file),
        "setting": setting,
    }
    if not profile.listed:
        data["profile_listed_by_browser"] = False
    data.update({k: v for k, v in extra.items() if v is not None})
    return data
