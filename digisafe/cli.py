"""Thin click glue. Each command lives in digisafe/commands/<name>.py and is imported only when it
is run, so `digisafe --version` and `digisafe checks` start fast. ``main`` is the one place that
turns results and errors into exit codes (see digisafe/core/exitcodes.py and the README)."""

from __future__ import annotations

import os
import sys

from digisafe.core import exitcodes

# name -> (module, attribute, one-line help). Help is here so `digisafe --help` imports nothing.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "audit": ("digisafe.commands.audit", "audit", "Check this laptop (read-only) and report what was found."),
    "report": ("digisafe.commands.report", "report", "Re-render a saved JSON report (e.g. to print it)."),
    "checks": ("digisafe.commands.checks", "checks", "List every check: ID, title, category, platforms."),
    "explain": ("digisafe.commands.checks", "explain", "Show what a check looks at and what to do."),
    "photos": ("digisafe.commands.photos", "photos", "Find and remove location in photos and videos."),
    "processes": ("digisafe.commands.processes", "processes", "Check running programs for monitoring software."),
    "indicators": ("digisafe.commands.indicators", "indicators", "Show or update the monitoring-software database."),
    "guide": ("digisafe.commands.guide", "guide", "Privacy and safety guidance, by topic."),
    "checklist": ("digisafe.commands.checklist", "checklist", "A printable safety checklist, tailored to a report."),
    "log": ("digisafe.commands.log", "log", "A private, encrypted incident and evidence log for the police."),
    "phone": ("digisafe.commands.phone", "phone", "Check an Android phone on USB (read-only) and report."),
}


# NOTE: every file we write is written whole or not at all; an interrupted `photos strip` also keeps
# the files it had finished (each replaced whole, atomically). Say what is true for the command run.
INTERRUPTED_NOTE = "Nothing is left half-written."
INTERRUPTED_NOTES: dict[tuple[str, ...], str] = {
    ("photos", "strip"): "Nothing is left half-written; a photo strip keeps only the files it had finished.",
}


def interrupted_note(argv: list[str]) -> str:
    words = tuple(a for a in argv if not a.startswith("-"))[:2]
    return INTERRUPTED_NOTES.get(words, INTERRUPTED_NOTE)


# What bare `digisafe` shows: what it does, the three things most people run, who to call, and
# that running it can itself be seen. Every command here is run by tests/core/test_start_screen.py.
START_SCREEN = """\
digisafe looks at this laptop for stalkerware, remote-access tools, shared
location and photos that show where they were taken. It only looks: it never
removes, blocks or sends anything.

Before you start: someone watching this laptop may see that digisafe was
downloaded and run (a keylogger, screen capture or the shell history can show
it). If that could put you at risk, use a device they have never had access
to, or talk to a stalking advocate first.

What most people run:
  digisafe guide safety-first       read this before changing anything
  digisafe audit                    check this laptop and see what was found
  digisafe photos scan ~/Pictures   find photos that show where they were taken

More: digisafe --help. Help: National Stalking Helpline 0808 802 0300,
a stalking advocate (ISAC), police 101. In an emergency call 999.
"""



def __getattr__(name: str) -> object:
    """``cli`` (the click group), ``LazyGroup``: defined in commands/root.py, which imports click."""
    if name in ("cli", "LazyGroup"):
        from digisafe.commands import root

        return getattr(root, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _say_error(message: str) -> None:
    """One line on stderr; a file name in it that holds a terminal escape is shown as ``\\x1b``."""
    from digisafe.commands.echo import echo
    from digisafe.core.visible import visible

    echo(f"digisafe: error: {visible(message)}", err=True)


def main(argv: list[str] | None = None) -> None:
    """The `digisafe` program: run the command in ``argv`` (default: the command line), then exit."""
    try:
        _main(argv)
    finally:
        if argv is None:  # (the program itself, not a caller in the same process such as a test)
            # NOTE: everything is written and closed by now; the interpreter's exit still runs the
            # atexit handlers and flushes stdout and stderr. Frozen, the objects of every imported
            # module are skipped by its final garbage collections: 10-13 ms of a 48-photo scan or
            # strip (of ~100-170 ms), more with more modules loaded.
            import gc

            gc.freeze()


def _main(argv: list[str] | None) -> None:
    from digisafe.core.errors import DigisafeError

    args = list(sys.argv[1:] if argv is None else argv)
    try:
        result = _run(argv, args)
    except KeyboardInterrupt:
        from digisafe.commands.echo import echo

        echo(f"\ndigisafe: interrupted. {interrupted_note(args)}", err=True)
        sys.exit(exitcodes.INTERRUPTED)
    except DigisafeError as exc:
        _say_error(str(exc))
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        # NOTE: `digisafe audit | head` closes the pipe early; that is not an error of ours.
        _quiet_stdout()
        sys.exit(exitcodes.OK)
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback for users
        if os.environ.get("DIGISAFE_DEBUG"):
            raise
        _say_error(f"internal error: {type(exc).__name__}: {exc} (set DIGISAFE_DEBUG=1 for details)")
        sys.exit(exitcodes.INTERNAL)
    sys.exit(result if isinstance(result, int) else exitcodes.OK)


def _run(argv: list[str] | None, args: list[str]) -> object:
    """A plain `photos scan` or `photos strip` command line runs without importing click
    (commands/quick.py: 30 ms of a 50-100 ms run); everything else goes through click, which is
    given ``argv`` itself (None: click reads the command line, and on Windows expands wildcards)."""
    if args[:1] == ["photos"]:
        from digisafe.commands import quick

        parsed = quick.parse(args)
        if parsed is not None:
            return _run_quick(*parsed)
    from digisafe.commands import root

    return root.run(argv)


def _run_quick(command: str, params: dict[str, object]) -> object:
    """``quick.run`` ended as click's ``Command.main`` ends a command (tests/core/test_quick.py runs
    both): Ctrl-C, or the end of input, is a blank line on stderr (closing the terminal's ``^C``) and
    then KeyboardInterrupt (click's Abort: root.run); a closed pipe (EPIPE), e.g. `| head` once head
    has gone, is exit 1 whatever was found (a scan never looks clean), with no error shown."""
    from digisafe.commands import quick

    try:
        return quick.run(command, params)
    except (EOFError, KeyboardInterrupt):
        from digisafe.commands.echo import echo

        echo("", err=True)
        raise KeyboardInterrupt from None
    except OSError as exc:
        import errno

        if exc.errno != errno.EPIPE:
            raise
        _quiet_stdout()
        sys.exit(1)


def _quiet_stdout() -> None:
    """stdout is a pipe whose reader has gone: what is still buffered goes nowhere at exit, silently."""
    if sys.stdout is not None:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
