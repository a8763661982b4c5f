"""The click side of the command line: the root group, its lazily loaded commands, and click's
errors turned into our exit codes. digisafe/cli.py imports this module unless the command line is
one that digisafe/commands/quick.py parses without click."""

from __future__ import annotations

import importlib
import sys

import click

from digisafe._version import __version__
from digisafe.cli import COMMANDS, START_SCREEN
from digisafe.core import exitcodes


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


def run(args: list[str] | None) -> object:
    """Run ``args`` (None: the command line) through click: the command's result, or click's exit
    code for --help, --version and usage errors (shown first, as one line plus click's hint).
    Ctrl-C at a click prompt is KeyboardInterrupt, as anywhere else."""
    try:
        return cli.main(args=args, prog_name="digisafe", standalone_mode=False)
    except click.exceptions.Abort:
        raise KeyboardInterrupt from None
    except click.exceptions.Exit as exc:  # --help, --version
        return exc.exit_code
    except click.ClickException as exc:  # usage errors: one line plus click's hint
        if isinstance(exc, click.UsageError):
            exc = _with_suggestion(exc, list(sys.argv[1:] if args is None else args))
        exc.show()
        return exitcodes.USAGE if exc.exit_code == 2 else exc.exit_code
