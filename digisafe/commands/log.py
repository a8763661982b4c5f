"""`digisafe log`: a private, tamper-evident incident and evidence log (docs/records.md).

Exit codes: 0 done; 2 usage or input error, wrong passphrase, or a damaged / changed log (the
line says which entry; the rest of the log is still shown or kept).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable

import click

from digisafe.commands.common import status
from digisafe.commands.log_input import (
    field_options,
    load_json_fields,
    passphrase_fd_option,
    prompt_missing,
    read_passphrase,
)
from digisafe.core import exitcodes
from digisafe.core.errors import InputError

UNRECOVERABLE = ("Write the passphrase down somewhere safe. If it is forgotten, the log cannot be opened "
                 "by anyone, including us: there is no reset.")


def folder_option(f: Callable) -> Callable:
    return click.option("--folder", "folder", type=click.Path(file_okay=False, path_type=Path), default=None,
                        help="The log's folder (default: DIGISAFE_LOG_FOLDER, or a folder in your user data).")(f)


def _folder(folder: Path | None) -> Path:
    from digisafe.records.location import default_folder

    return folder if folder is not None else default_folder()


def _open(folder: Path | None) -> Any:
    from digisafe.records.store import LogStore

    return LogStore.open(_folder(folder))


def _unlock(store: Any, fd: int | None) -> Any:
    from digisafe.records.reader import UnlockedLog

    return UnlockedLog.unlock(store, read_passphrase(fd))


@click.group("log")
def log() -> None:
    """A private incident and evidence log that police can use.

    Entries and files are encrypted. Adding needs no passphrase; reading needs it. Nothing is
    ever edited or deleted: a correction is a new entry (amend). If you are in danger call 999.
    """


@log.command("init")
@folder_option
@passphrase_fd_option
def init(folder: Path | None, passphrase_fd: int | None) -> int:
    """Create a new log protected by a passphrase."""
    from digisafe.records.location import synced_by
    from digisafe.records.store import LogStore

    target = _folder(folder)
    service = synced_by(target)
    if service:
        status(f"WARNING: {target} looks like a {service} folder. A synced log is copied to that account; "
               "if the other person can reach the account or a device signed in to it, they get the "
               "(encrypted) log. Choose another folder with --folder unless you are sure.")
    status(UNRECOVERABLE)
    passphrase = read_passphrase(passphrase_fd, confirm=True)
    LogStore.create(target, passphrase).close()
    click.echo(f"Created a log in {target}")
    return exitcodes.OK


def _when(values: dict[str, Any], when: str | None, tz: str | None) -> dict[str, str]:
    from digisafe.records.entry import parse_when, utc_now

    return parse_when(values.pop("when", None) or when or "now", values.pop("tz", None) or tz, utc_now())


@log.command("add")
@folder_option
@click.option("--when", default=None, metavar="'YYYY-MM-DD HH:MM'|now",
              help="When it happened (default: ask, or now). A date alone means the time is not known.")
@click.option("--tz", default=None, metavar="ZONE",
              help="Time zone of --when: Europe/London, +01:00 (default: this laptop's).")
@field_options
@click.option("--json", "json_source", metavar="FILE|-",
              help="Read the fields from a JSON object (keeps them out of shell history).")
@click.option("--interactive/--no-interactive", default=None,
              help="Ask for missing fields (default: when at a terminal).")
def add(folder: Path | None, when: str | None, tz: str | None, json_source: str | None,
        interactive: bool | None, **fields: str | None) -> int:
    """Record an incident. Asks question by question unless given flags or --json.

    Flags typed at a shell prompt are saved in its history: at a terminal, prefer the questions."""
    from digisafe.records.entry import build_entry, utc_now

    store = _open(folder)
    values = {**{k: v for k, v in fields.items() if v is not None}, **load_json_fields(json_source)}
    if interactive if interactive is not None else sys.stdin.isatty():
        values = prompt_missing(values, ask_when=when is None and "when" not in values)
    moment = _when(values, when, tz)
    payload = build_entry(values, moment, utc_now())
    seq = store.add_entry(payload)
    click.echo(f"Added entry #{seq} (recorded {payload['recorded_at']}).")
    return exitcodes.OK


@log.command("amend")
@click.argument("entry", type=int)
@folder_option
@click.option("--reason", default=None, help="Why the entry is amended.")
@click.option("--when", default=None, help="A corrected 'when it happened'.")
@click.option("--tz", default=None, help="Time zone of --when.")
@field_options
@click.option("--json", "json_source", metavar="FILE|-", help="Read the corrected fields from a JSON object.")
@click.option("--interactive/--no-interactive", default=None, help="Ask for the corrections (default: at a terminal).")
def amend(entry: int, folder: Path | None, reason: str | None, when: str | None, tz: str | None,
          json_source: str | None, interactive: bool | None, **fields: str | None) -> int:
    """Add a correction to ENTRY as a new entry pointing at it. The original stays as written."""
    from digisafe.records.entry import build_entry, utc_now
    from digisafe.records.store import ENTRY

    store = _open(folder)
    row = store.row(entry)
    if row is None or row.kind != ENTRY:
        raise InputError(f"there is no entry #{entry} to amend")
    values = {**{k: v for k, v in fields.items() if v is not None}, **load_json_fields(json_source)}
    reason = reason or values.pop("reason", "")
    if interactive if interactive is not None else sys.stdin.isatty():
        reason = reason or click.prompt("Why are you amending it?", default="", show_default=False, err=True)
        values = prompt_missing(values, ask_when=False)
    moment = _when(values, when, tz) if (when or values.get("when")) else {}
    payload = build_entry(values, moment, utc_now(), amends=entry, amend_reason=reason)
    seq = store.add_entry(payload)
    click.echo(f"Added entry #{seq}, amending #{entry}. #{entry} is kept exactly as it was written.")
    return exitcodes.OK


@log.command("attach")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@folder_option
@click.option("--entry", type=int, default=None, help="The entry these files belong to.")
@click.option("--note", default="", help="A short note on what the files are.")
def attach(files: tuple[Path, ...], folder: Path | None, entry: int | None, note: str) -> int:
    """Add files (screenshots, saved messages, reports) to the log, encrypted, with their SHA-256.

    The originals are not changed or removed: keep or delete them as you judge safe."""
    from digisafe.commands.log_show import attach_files

    attach_files(_folder(folder), files, entry, note)
    return exitcodes.OK


@log.command("list")
@folder_option
@passphrase_fd_option
def list_(folder: Path | None, passphrase_fd: int | None) -> int:
    """List every entry and attachment, oldest first."""
    from digisafe.commands.log_show import list_records

    return list_records(_unlock(_open(folder), passphrase_fd))


@log.command("show")
@click.argument("numbers", nargs=-1, type=int)
@folder_option
@passphrase_fd_option
def show(numbers: tuple[int, ...], folder: Path | None, passphrase_fd: int | None) -> int:
    """Show entries in full (all of them if no NUMBERS are given)."""
    from digisafe.commands.log_show import show_records

    return show_records(_unlock(_open(folder), passphrase_fd), numbers)


@log.command("verify")
@folder_option
@click.option("--full", is_flag=True, help="Also decrypt every entry and file (needs the passphrase).")
@passphrase_fd_option
def verify(folder: Path | None, full: bool, passphrase_fd: int | None) -> int:
    """Recompute the hash chain over every entry and file; name the first broken one."""
    from digisafe.commands.log_show import verify_log

    store = _open(folder)
    return verify_log(store, _unlock(store, passphrase_fd) if full else None)


@log.command("export")
@folder_option
@click.option("--format", "fmt", type=click.Choice(("pdf", "html", "csv")), default=None,
              help="pdf, html or csv (default: from the --output name, else pdf).")
@click.option("--paper", type=click.Choice(("a4", "letter")), default="a4", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The file to write (private to you).")
@click.option("--attachments", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Also decrypt the attached files into this new folder, with a manifest.")
@passphrase_fd_option
def export(folder: Path | None, fmt: str | None, paper: str, output: Path, attachments: Path | None,
           passphrase_fd: int | None) -> int:
    """A printable timeline (PDF, HTML) or a CSV for police, a solicitor or a caseworker."""
    from digisafe.commands.log_show import export_format, export_log

    fmt = export_format(fmt, output)  # before the passphrase: a .html file holding a PDF is no export
    if attachments is not None and output.resolve() == attachments.resolve():
        raise InputError(f"--attachments {attachments} is the --output file's name: give the folder another name")
    store = _open(folder)
    _outside_the_log(store.path, output, attachments)
    status("NOTE: an export is NOT encrypted, and a log given to the police may be disclosed to the "
           "other side in court. Export only what you are ready to share; keep the file safe.")
    return export_log(_unlock(store, passphrase_fd), fmt, paper, output, attachments)


def _outside_the_log(store_file: Path, *targets: Path | None) -> None:
    """An export is plaintext: never inside the log folder, which is copied and handed over as the
    encrypted log (`--attachments store/files` put decrypted files beside store.sqlite)."""
    log_dir = Path(store_file).resolve().parent
    for target in targets:
        if target is None:
            continue
        where = target.resolve()
        if where == log_dir or log_dir in where.parents:
            raise InputError(f"{target} is inside the log folder {log_dir}: an export is not encrypted, "
                             "so write it somewhere else")


@log.command("timestamp")
@folder_option
@click.option("--tsa", required=True, metavar="URL", help="The RFC 3161 timestamp authority's address.")
def timestamp(folder: Path | None, tsa: str) -> int:
    """Get a trusted timestamp of the log's head hash from an authority you name (uses the network).

    The signed answer is kept in the log as a file. It proves the log, as it is now, existed no
    later than the authority's time."""
    from digisafe.records.api import add_attachment_from_bytes
    from digisafe.records.chain import verify_chain
    from digisafe.records.timestamp import request_timestamp

    target = _folder(folder)
    with _open(folder) as store:
        chain = verify_chain(store)
    if not chain.ok or not chain.count:
        raise InputError(f"not timestamped: {chain.first_broken() if chain.count else 'the log is empty'}")
    status(f"Sending the head hash (only the hash, nothing else) to {tsa} ...")
    granted = request_timestamp(tsa, chain.head)
    seq = add_attachment_from_bytes(target, granted.token, f"timestamp-{granted.gen_time}.tsr",
                                    note=f"RFC 3161 timestamp of head {chain.head.hex()} (#{chain.count}) by {tsa}",
                                    source="digisafe log timestamp")
    click.echo(f"Timestamped: the log up to #{chain.count} (head {chain.head.hex()}) existed at {granted.gen_time} "
               f"according to {tsa}. The token is kept as #{seq}.")
    return exitcodes.OK
