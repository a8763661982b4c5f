"""Renderers: pure ``Report -> str`` functions, one module per format, imported on demand.

Third-party renderers register under the ``digisafe.renderers`` entry-point group; the built-ins
are listed here so they work from a source checkout too.
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing: 3 ms of a photo scan's start-up)
if TYPE_CHECKING:  # NOTE: `digisafe checks` imports this package (render.fit): keep the records out
    from typing import Callable

    from digisafe.core.model import Report

BUILTIN = {
    "table": "digisafe.render.table",
    "json": "digisafe.render.json",
    "markdown": "digisafe.render.markdown",
    "html": "digisafe.render.html",
}
REPORT_FORMATS = tuple(BUILTIN)
# --output's suffix says the format when --format is not given (as `guide` and `checklist` do).
SUFFIXES = {".json": "json", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html",
            ".txt": "table", ".text": "table"}
FORMAT_NAMES = {"table": "plain text", "json": "JSON", "markdown": "Markdown", "html": "HTML"}
# Names of documents no report format writes: plain text under such a name would not open.
NOT_WRITTEN = {".pdf": "PDF", ".doc": "Word", ".docx": "Word", ".odt": "OpenDocument", ".rtf": "RTF"}


def format_for_output(output: object, fmt: str | None, default: str = "table") -> str:
    """--format if given, else from --output's suffix, else ``default``.

    A suffix that contradicts --format (``--format json -o r.html``) is an InputError: the file
    would not open as what its name says."""
    from pathlib import Path

    from digisafe.core.errors import InputError

    implied = SUFFIXES.get(Path(str(output)).suffix.lower()) if output is not None else None
    if fmt and implied and fmt != implied:
        raise InputError(f"--format {fmt} does not match the name {output} (a {Path(str(output)).suffix} file "
                         f"is {FORMAT_NAMES.get(implied, implied)}): change one of them")
    suffix = Path(str(output)).suffix.lower() if output is not None else ""
    if not fmt and suffix in NOT_WRITTEN:
        raise InputError(f"{output}: reports are not written as {NOT_WRITTEN[suffix]}. Save .html and print it "
                         "(or to PDF) from a browser; a checklist can be a PDF (--checklist FILE.pdf)")
    return fmt or implied or default


def report_formats() -> tuple[str, ...]:
    """The built-in formats, then those that installed plugins add (for --format choices)."""
    from digisafe.core.registry import entry_points_of

    extra = sorted({ep.name for ep in entry_points_of("digisafe.renderers")} - set(BUILTIN))
    return REPORT_FORMATS + tuple(extra)


def get_renderer(fmt: str) -> Callable[..., str]:
    if fmt in BUILTIN:
        return importlib.import_module(BUILTIN[fmt]).render
    from digisafe.core.registry import entry_points_of

    for ep in entry_points_of("digisafe.renderers"):
        if ep.name == fmt:
            from typing import cast  # (a plugin's renderer only: typing is start-up time of every command)

            return cast("Callable[..., str]", ep.load())
    raise KeyError(fmt)


def render(report: Report, fmt: str, *, color: bool = False, width: int | None = None) -> str:
    """``width``: the terminal's columns for the table (default: the terminal's, or 80)."""
    renderer = get_renderer(fmt)
    if fmt != "json":  # a person reads it: no terminal escapes or bidi overrides from the evidence
        from digisafe.core.redact import without_controls

        report = without_controls(report)
    if fmt == "table":
        from digisafe.render.fit import terminal_width

        return renderer(report, color=color, width=width or terminal_width())
    return renderer(report)
