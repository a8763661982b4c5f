"""``LaptopSubject``: this laptop, live. Import it from ``digisafe.system`` (which loads this module
on first use). It calls the providers through ``digisafe.system`` (``build_context``, ``identity``,
...), so replacing one there (as the tests do) replaces it here too."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from digisafe import system
from digisafe.core.subject import Identity, Subject, SubjectInfo, SubjectKind

if TYPE_CHECKING:
    from digisafe.core.context import Context


class LaptopSubject(Subject):
    """This laptop, live: every laptop provider, read-only."""

    def __init__(self) -> None:
        self.info = SubjectInfo(SubjectKind.LAPTOP, system.current_platform(), "this laptop")
        self._home = ""

    def context(
        self,
        options: Mapping[str, Mapping[str, Any]],
        known_tools: frozenset[str],
        data_dir: Path | None,
    ) -> Context:
        ctx = system.build_context(options, known_tools, data_dir)
        self._home = str(ctx.files.home) if ctx.files is not None else ""
        return ctx

    def platform_info(self) -> dict[str, str]:
        return system.platform_info()

    def identity(self) -> Identity:
        who = system.identity()
        return Identity(who["hostname"], who["user"], self._home or str(Path.home()))
