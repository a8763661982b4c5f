"""Small acquisition helpers shared by the settings checks: read a file or a command's output
through the Context and turn every failure into a plain reason (never an exception a check must
remember to catch). Parsing stays in the per-OS modules.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from digisafe.core.context import CommandResult, CommandUnavailable, Context
from digisafe.core.safefile import NotARegularFile, open_regular

MAX_SETTINGS_FILE = 8 * 1024 * 1024  # settings files are small; refuse to slurp something huge


class Unreadable(Exception):
    """A file or command could not be read; the message says why in plain words."""


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or ``Unreadable`` saying whether it is missing, forbidden or too big."""
    try:
        size = path.stat().st_size
        if size > MAX_SETTINGS_FILE:
            raise Unreadable(f"{path} is unexpectedly large ({size} bytes); not read")
        with open_regular(path) as handle:
            return handle.read(MAX_SETTINGS_FILE)
    except FileNotFoundError:
        raise Unreadable(f"{path} does not exist") from None
    except PermissionError:
        raise Unreadable(f"{path} cannot be read without administrator rights") from None
    except IsADirectoryError:
        raise Unreadable(f"{path} is a folder, not a file") from None
    except NotARegularFile as exc:
        raise Unreadable(f"{path} is {exc.strerror}") from None
    except OSError as exc:
        raise Unreadable(f"{path} could not be read ({exc.strerror or exc.__class__.__name__})") from None


def read_text(path: Path) -> str:
    return read_bytes(path).decode("utf-8", "replace")


def read_plist(path: Path) -> Any:
    """A plist file (XML or binary), or ``Unreadable`` if it is missing, forbidden or damaged."""
    import plistlib  # lazily: listing checks must stay light

    data = read_bytes(path)
    try:
        return plistlib.loads(data)
    except Exception as exc:  # noqa: BLE001 - plistlib raises many types on damaged input
        raise Unreadable(f"{path} is not a readable property list ({exc.__class__.__name__})") from None


def run(ctx: Context, argv: Sequence[str], timeout: float = 5.0) -> CommandResult:
    """Run a read-only command; ``Unreadable`` when it is not installed or could not run."""
    try:
        return ctx.commands.run(list(argv), timeout=timeout)
    except CommandUnavailable as exc:
        raise Unreadable(str(exc) or f"{argv[0]} is not available") from None


def gsetting(ctx: Context, schema: str, key: str) -> str:
    """The raw text ``gsettings get`` prints; ``Unreadable`` if the schema/key is not installed."""
    result = run(ctx, ["gsettings", "get", schema, key])
    if "memory' gsettings backend" in (result.stderr or "").lower():
        # NOTE: without a settings store GSettings falls back to memory and prints only defaults.
        raise Unreadable("gsettings has no settings store here (it would only show default values)")
    if result.returncode != 0:
        why = (result.stderr or result.stdout or "").strip().splitlines()
        raise Unreadable(f"gsettings could not read {schema} {key}: {why[0] if why else 'no such setting'}")
    return result.stdout


def sudo_caveat(ctx: Context) -> str | None:
    """Under sudo, per-user desktop settings (gsettings, systemctl --user) are root's, not the person's."""
    user = ctx.files.env("SUDO_USER")
    if not user or user == "root":
        return None
    return (f"digisafe runs under sudo, so desktop settings were read for root, not for {user}; run it "
            "again without sudo to see this user's own desktop settings")
