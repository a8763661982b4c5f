"""`digisafe phone list` and `digisafe phone audit`: an Android phone on USB, read-only.

Exit codes as `digisafe audit`: 0 nothing at or above --fail-on; 1 findings at or above it; 2 usage
or input error (no adb, no phone, phone not allowed); 3 digisafe failed; 4 a check failed (the
phone went away, for example), so the audit is incomplete; 130 interrupted.
"""

from __future__ import annotations

from pathlib import Path

import click

from digisafe.commands.common import fail_on_option, log_option, output_option, session_ui, split_ids, status
from digisafe.render import report_formats

AFTER_THE_AUDIT = (
    "After the audit: on the phone, Settings > System > Developer options > 'Revoke USB debugging "
    "authorisations', then turn Developer options off (the switch at the top). The other person may "
    "notice such changes: decide with a stalking advocate (ISAC) or the National Stalking Helpline "
    "(0808 802 0300) first."
)


@click.group()
def phone() -> None:
    """Audit an Android phone plugged in by USB (read-only, through adb)."""


@phone.command("list")
def list_phones() -> int:
    """List the phones attached, with model, Android version and state."""
    from digisafe.android.device import NO_PHONE, AndroidDevice, state_advice
    from digisafe.android.errors import AdbError
    from digisafe.android.parse_simple import getprop
    from digisafe.android.server import connect
    from digisafe.android.subject import describe

    server = connect()
    try:
        entries = server.client.devices()
        if not entries:
            click.echo(NO_PHONE[0].upper() + NO_PHONE[1:])
            return 0
        for entry in entries:
            if entry.ready:
                device = AndroidDevice(server.client, entry)
                try:
                    label = describe(device, getprop(device.run(["getprop"]).text))
                except AdbError as exc:
                    label = f"{entry.model or entry.serial} (could not read its details: {exc})"
                click.echo(f"{entry.serial}: {label}: ready")
            else:
                click.echo(f"{entry.serial}: {entry.model or 'phone'}: {state_advice(entry)}")
    finally:
        server.stop()
    return 0


@phone.command("audit")
@click.option("--serial", metavar="SERIAL", help="The phone to audit (default: ANDROID_SERIAL, else the only one).")
@click.option(
    "--pull", "pull_policy", type=click.Choice(["suspicious", "all", "none"]), default="suspicious", show_default=True,
    help="Which apps to copy to check their signing certificate (suspicious: not from an app store, or holding "
    "powerful access).",
)  # fmt: skip
@click.option("--wait", type=click.FloatRange(0, 600), default=60.0, show_default=True,
              help="Seconds to wait for the person to tap Allow on the phone.")  # fmt: skip
@click.option("--timeout", type=click.FloatRange(0.1, 3600), default=60.0, show_default=True,
              help="Seconds a phone may stay silent before it counts as gone.")  # fmt: skip
@click.option("--only", multiple=True, metavar="ID", help="Run only these checks (repeat, or comma-separate).")
@click.option("--skip", multiple=True, metavar="ID", help="Do not run these checks.")
@click.option("--category", multiple=True, metavar="NAME", help="Run only checks in this category.")
@click.option("--format", "fmt", type=click.Choice(report_formats()), default=None, help="Report format (table).")
@output_option
@fail_on_option
@click.option("--profile", type=click.Path(dir_okay=False, path_type=Path), help="TOML profile (see docs).")
@click.option("--known", multiple=True, metavar="NAME", help="An app the person knows about and agreed to.")
@click.option("--include-identity", is_flag=True, help="Put the computer and user name into the report.")
@click.option("--checklist", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write a printable checklist tailored to the findings (.pdf/.html/.md/.txt).")  # fmt: skip
@click.option("--quiet", "-q", is_flag=True, help="No progress and no report on screen; the exit code says it.")
@log_option
def audit_phone(serial, pull_policy, wait, timeout, only, skip, category, fmt, output, fail_on, profile, known,  # noqa: ANN001, PLR0913
                include_identity, checklist, quiet, log_dir=None) -> int:  # fmt: skip
    """Check an Android phone, read-only, and report what was found.

    Nothing on the phone is changed: digisafe only reads (package lists, settings, dumpsys) and
    copies app files to check who signed them.
    """
    from digisafe.android.subject import AndroidSubject
    from digisafe.core.session import SessionOptions, run_session

    opts = SessionOptions(
        only=split_ids(only), skip=split_ids(skip), categories=frozenset(category), fmt=fmt, output=output,
        fail_on=fail_on, profile=profile, known=frozenset(known), include_identity=include_identity,
        checklist=checklist, quiet=quiet, log=log_dir,
    )  # fmt: skip
    subject = AndroidSubject(serial, pull_policy, wait, status=lambda m: status(m, quiet), timeout=timeout)
    code = run_session(subject, opts, ui=session_ui(output, progress=not quiet))
    status(AFTER_THE_AUDIT, quiet)
    return code
