"""Collect the running programs once per audit (shared by DS-PROC-010 and a report's attachments)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from digisafe.core.context import Context, ProcessInfo


def running_processes(ctx: Context) -> list[ProcessInfo]:
    """The running programs, read once per audit however many checks and attachments ask."""
    if ctx.processes is None:
        return []
    source = ctx.processes
    return ctx.cached("processes", lambda: list(source.processes()))
