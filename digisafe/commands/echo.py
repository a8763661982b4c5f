"""``click.echo`` for text, without importing click when nothing else has.

`photos scan` and `photos strip` can run without click (digisafe/commands/quick.py): importing it
is 30 ms of a 50-100 ms run on a few dozen photos. Written here, a text is what click.echo would
have written: click's extra work only matters for a text holding an ANSI escape (click removes
those when the stream is not a terminal), for a stream whose encoding is ASCII (click re-opens it
as UTF-8), for a stream that is None, and on Windows (its console). In those cases, and whenever
click is already loaded, click.echo itself writes it.
"""

from __future__ import annotations

import sys


def echo(text: str, err: bool = False, nl: bool = True) -> None:
    """Write ``text``. A character the stream's encoding cannot hold (a file name in Chinese into a
    file on Windows, whose redirected output is cp1252; PYTHONIOENCODING=latin-1) is written as a
    ``\\u5199`` escape from then on, not an internal error that loses the whole report."""
    try:
        _echo(text, err, nl)
    except UnicodeEncodeError:
        stream = sys.stderr if err else sys.stdout
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            raise
        reconfigure(errors="backslashreplace")  # (a text stream encodes a write whole: nothing was written)
        _echo(text, err, nl)


def _echo(text: str, err: bool, nl: bool) -> None:
    stream = sys.stderr if err else sys.stdout
    if "click" in sys.modules or not _plain(stream, text):
        import click

        click.echo(text, err=err, nl=nl)
        return
    stream.write(text + "\n" if nl else text)
    stream.flush()


def _plain(stream: object, text: str) -> bool:
    if stream is None or "\x1b" in text:
        return False
    from digisafe import system

    if system.on_windows():
        return False
    encoding = getattr(stream, "encoding", None)
    if not encoding:
        return False
    import codecs

    try:
        return codecs.lookup(encoding).name != "ascii"
    except LookupError:
        return False
