"""The one list of commands digisafe may send to a phone. Every one only reads.

Nothing reaches the phone's shell except through ``shell_command(argv)``, which checks the whole
argument list against the patterns below and builds the command line itself; anything else raises
CommandRefused before a byte is sent. Arguments are restricted to characters that mean nothing to
the phone's shell, so no argument can smuggle a second command.

NOTE: some read-only-looking programs also write: ``dumpsys deviceidle whitelist +pkg`` adds an
exemption, ``dumpsys battery set`` fakes the battery, ``pm clear``/``settings put`` change state.
That is why arguments are matched exactly, per program, and never passed through.
"""

from __future__ import annotations

import re
from typing import Sequence

from digisafe.android.errors import CommandRefused

_PACKAGE = r"[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+"
_SETTING = r"[A-Za-z0-9_.]{1,100}"
_PROP = r"[A-Za-z0-9_.\-]{1,100}"
# Folders an installed APK may live in (from `pm path`); pulled only through sync RECV.
APK_PATH = re.compile(
    r"^/(?:data/app|system|product|vendor|system_ext|apex|odm|data/preload)/[A-Za-z0-9_.~=+\-/]{1,400}\.apk$"
)
# Where su is usually planted (root checks); listed, never run.
SU_PATHS = (
    "/system/bin/su", "/system/xbin/su", "/sbin/su", "/su/bin/su", "/system/sbin/su",
    "/vendor/bin/su", "/data/local/su", "/data/local/bin/su", "/data/local/xbin/su", "/data/adb/magisk",
    "/data/adb/ksu", "/data/adb/ap",
)  # fmt: skip
DUMPSYS_SECTIONS = {
    "package": (r"", _PACKAGE),  # the whole package dump, or one package
    "accessibility": (r"",),
    "notification": (r"",),
    "device_policy": (r"",),
    "adb": (r"",),
    "account": (r"",),
    "deviceidle": (r"whitelist",),  # NOTE: never with +pkg/-pkg, which change the list
    "location": (r"",),
    "user": (r"",),
}
ALLOWED = [
    re.compile(r"pm list packages(?: -[fiUus3de])*"),
    re.compile(rf"pm path {_PACKAGE}"),
    re.compile(rf"pm dump {_PACKAGE}"),
    re.compile(rf"settings (?:get (?:global|secure|system) {_SETTING}|list (?:global|secure|system))"),
    re.compile(rf"getprop(?: {_PROP})?"),
    re.compile(r"appops query-op REQUEST_INSTALL_PACKAGES allow"),
    re.compile(r"id"),
    re.compile(r"cat /proc/version"),
    re.compile("ls -d (?:" + "|".join(re.escape(p) for p in SU_PATHS) + ")"),
]
_SAFE_ARG = re.compile(r"^[A-Za-z0-9_.,:/=+~\-]+$")


def _dumpsys_ok(argv: Sequence[str]) -> bool:
    if len(argv) < 2 or argv[1] not in DUMPSYS_SECTIONS or len(argv) > 3:
        return False
    rest = argv[2] if len(argv) == 3 else ""
    return any(re.fullmatch(p, rest) for p in DUMPSYS_SECTIONS[argv[1]])


def shell_command(argv: Sequence[str]) -> str:
    """The command line for ``argv``, or CommandRefused if it is not a known read-only command."""
    if not argv or not all(isinstance(a, str) and _SAFE_ARG.match(a) for a in argv):
        raise CommandRefused(f"digisafe refused to send {list(argv)!r}: not a plain read-only command")
    line = " ".join(argv)
    if argv[0] == "dumpsys" and _dumpsys_ok(argv):
        return line
    if any(pattern.fullmatch(line) for pattern in ALLOWED):
        return line
    raise CommandRefused(f"digisafe refused to send {line!r}: it is not on the read-only list")


def pull_allowed(path: str) -> bool:
    """Only installed APKs may be pulled (sync RECV); sync SEND is never used."""
    return bool(APK_PATH.match(path)) and "/../" not in path and "/./" not in path
