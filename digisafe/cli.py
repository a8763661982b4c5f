"""Thin click glue. Each command lives in digisafe/commands/<name>.py and is imported only when it
is run, so `digisafe --version` and `digisafe checks` start fast. ``main`` is the one place that
turns results and errors into exit codes (see digisafe/core/exitcodes.py and the README)."""

from __future__ import annotations

import importlib
import os
import sys

import click

from digisafe._version import __version__
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
INTERRUPTED_NOTES = {"photos": "Nothing is left half-written; a photo strip keeps only the files it had finished."}


def interrupted_note(argv: list[str]) -> str:
    command = next((a for a in argv if not a.startswith("-")), "")
    return INTERRUPTED_NOTES.get(command, INTERRUPTED_NOTE)


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        import importlib.util  # (not on the way to running a command: start-up cost)

        return [n for n, (mod, _a, _h) in COMMANDS.items() if importlib.util.find_spec(mod) is not None]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attr, _help = COMMANDS[name]
        try:
            loaded = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name == module:  # (a command left out of this install; any other missing module is an error)
                return None
            raise
        return getattr(loaded, attr)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(n, COMMANDS[n][2]) for n in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


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


@click.group(cls=LazyGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="digisafe", message="%(prog)s %(version)s")
@click.pass_context
def cli(ctx: click.Context) -> int:
    """digisafe: check a laptop for stalkerware, remote access, shared location and photo
    location. It only reads; it never removes, blocks or sends anything.

    Someone watching this laptop may see that digisafe was installed and run. If you are in
    danger call 999. National Stalking Helpline: 0808 802 0300.
    """
    if ctx.invoked_subcommand is None:
        click.echo(START_SCREEN, nl=False)
    return exitcodes.OK


def _with_suggestion(exc: click.UsageError, argv: list[str]) -> click.UsageError:
    """Click's 'No such command' with our 'Did you mean ...?' (for the top level and every group).

    NOTE: a new UsageError rather than an edited one: click 8.5 marks ``message`` Final, and click
    8.2+'s own hint (``possibilities``) names only the sub-command; ours names the whole command."""
    from digisafe.commands.suggest import did_you_mean

    ctx = exc.ctx
    if ctx is None or not isinstance(ctx.command, click.Group) or not exc.message.startswith("No such command"):
        return exc
    typed = exc.message.split("'")[1] if exc.message.count("'") >= 2 else ""
    found = did_you_mean(typed, ctx.command.list_commands(ctx), "'{}'")
    if found and typed in argv:
        rest = argv[argv.index(typed) + 1:]
        head = ctx.command_path
        choice = found[len(" Did you mean '"):-2]
        found = f" Did you mean '{' '.join([head, choice, *rest])}'?"
    return click.UsageError(exc.message + found, ctx)


def _say_error(message: str) -> None:
    click.echo(f"digisafe: error: {message}", err=True)


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

    try:
        result = cli.main(args=argv, prog_name="digisafe", standalone_mode=False)
    except (KeyboardInterrupt, click.exceptions.Abort):
        click.echo(f"\ndigisafe: interrupted. {interrupted_note(sys.argv[1:] if argv is None else argv)}", err=True)
        sys.exit(exitcodes.INTERRUPTED)
    except click.exceptions.Exit as exc:  # --help, --version
        sys.exit(exc.exit_code)
    except click.ClickException as exc:  # usage errors: one line plus click's hint
        if isinstance(exc, click.UsageError):
            exc = _with_suggestion(exc, list(sys.argv[1:] if argv is None else argv))
        exc.show()
        sys.exit(exitcodes.USAGE if exc.exit_code == 2 else exc.exit_code)
    except DigisafeError as exc:
        _say_error(str(exc))
        sys.exit(exc.exit_code)
    except BrokenPipeError:
        # NOTE: `digisafe audit | head` closes the pipe early; that is not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(exitcodes.OK)
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback for users
        if os.environ.get("DIGISAFE_DEBUG"):
            raise
        _say_error(f"internal error: {type(exc).__name__}: {exc} (set DIGISAFE_DEBUG=1 for details)")
        sys.exit(exitcodes.INTERNAL)
    sys.exit(result if isinstance(result, int) else exitcodes.OK)
