"""Renderers: pure ``Report -> str`` functions, one module per format, imported on demand.

Third-party renderers register under the ``digisafe.renderers`` entry-point group; the built-ins
are listed here so they work from a source checkout too.
"""

from __future__ import annotations

import importlib
from typing import Callable, cast

from digisafe.core.model import Report

BUILTIN = {
    "table": "digisafe.render.table",
    "json": "digisafe.render.json",
    "markdown": "digisafe.render.markdown",
    "html": "digisafe.render.html",
}
REPORT_FORMATS = tuple(BUILTIN)


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
            return cast("Callable[..., str]", ep.load())
    raise KeyError(fmt)


def render(report: Report, fmt: str, *, color: bool = False) -> str:
    renderer = get_renderer(fmt)
    if fmt != "json":  # a person reads it: no terminal escapes or bidi overrides from the evidence
        from digisafe.core.redact import without_controls

        report = without_controls(report)
    if fmt == "table":
        return renderer(report, color=color)
    return renderer(report)
