"""Renderers: pure ``Report -> str`` functions, one module per format, imported on demand.

Third-party renderers register under the ``digisafe.renderers`` entry-point group; the built-ins
are listed here so they work from a source checkout too.
"""

from __future__ import annotations

import importlib
from typing import Any, Callable

from digisafe.model import Report

BUILTIN = {
    "table": "digisafe.render.table",
    "json": "digisafe.render.json",
    "markdown": "digisafe.render.markdown",
    "html": "digisafe.render.html",
}
REPORT_FORMATS = tuple(BUILTIN)


def get_renderer(fmt: str) -> Callable[..., str]:
    if fmt in BUILTIN:
        return importlib.import_module(BUILTIN[fmt]).render
    from importlib.metadata import entry_points

    try:
        eps: Any = entry_points(group="digisafe.renderers")
    except TypeError:  # Python 3.9: entry_points() returns a dict of groups
        eps = entry_points().get("digisafe.renderers", [])  # type: ignore[arg-type]
    for ep in eps:
        if ep.name == fmt:
            return ep.load()
    raise KeyError(fmt)


def render(report: Report, fmt: str, *, color: bool = False) -> str:
    renderer = get_renderer(fmt)
    if fmt == "table":
        return renderer(report, color=color)
    return renderer(report)
