"""Build and write the printable checklist; ``write_checklist`` is what `audit --checklist` calls."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Union

from digisafe.core.errors import InputError
from digisafe.core.model import Report
from digisafe.guidance.loader import load_guidance
from digisafe.guidance.tailor import ChecklistPlan, plan_checklist

FORMATS = ("text", "markdown", "html", "pdf")
PAPERS = ("a4", "letter")
SUFFIXES = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
            ".html": "html", ".htm": "html", ".pdf": "pdf"}
MAX_LOG_PAGES = 50


def format_for(path: Union[str, os.PathLike], fmt: str | None) -> str:
    """The format to write: ``fmt`` if given, else from the file suffix (InputError if unclear)."""
    if fmt:
        if fmt not in FORMATS:
            raise InputError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
        return fmt
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(f"cannot tell the format of {path} from its name: end it in .pdf, .html, .md or "
                         ".txt, or give --format")
    return SUFFIXES[suffix]


def render_plan(plan: ChecklistPlan, fmt: str, paper: str = "a4", width: int = 80) -> Union[str, bytes]:
    """The checklist in one format: str for text/markdown/html, bytes for pdf."""
    if paper not in PAPERS:
        raise InputError(f"unknown paper size {paper!r} (choose from {', '.join(PAPERS)})")
    if fmt == "text":
        from digisafe.guidance import text
        return text.render_checklist(plan, width)
    if fmt == "markdown":
        from digisafe.guidance import markdown
        return markdown.render_checklist(plan)
    if fmt == "html":
        from digisafe.guidance import html
        return html.render_checklist(plan, paper)
    if fmt == "pdf":
        from digisafe.guidance import pdf
        return pdf.render_checklist(plan, paper)
    raise InputError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")


def build_checklist(report: Report | None, fmt: str, *, paper: str = "a4", include_findings: bool = False,
                    log_pages: int = 0, width: int = 80, platforms: tuple[str, ...] = ()) -> Union[str, bytes]:
    if not 0 <= log_pages <= MAX_LOG_PAGES:
        raise InputError(f"--log-pages must be between 0 and {MAX_LOG_PAGES}")
    if report is not None:  # no terminal escapes or bidi overrides from the evidence on paper or screen
        from digisafe.core.redact import without_controls

        report = without_controls(report)
    plan = plan_checklist(load_guidance(), report, include_findings=include_findings, log_pages=log_pages,
                          platforms=platforms)
    return render_plan(plan, fmt, paper, width)


def write_checklist(report: Report, path: Union[str, os.PathLike], fmt: str | None = None, paper: str = "a4",
                    *, include_findings: bool = False, log_pages: int = 0) -> None:
    """Write the checklist tailored to ``report`` to ``path`` (private, atomic).

    The format comes from the suffix when ``fmt`` is None (.pdf, .html, .md, .txt). Findings'
    evidence is left out unless ``include_findings``: paper can be found.
    """
    from digisafe.core.safefile import write_private

    chosen = format_for(path, fmt)
    data = build_checklist(report, chosen, paper=paper, include_findings=include_findings, log_pages=log_pages)
    write_private(path, data)
