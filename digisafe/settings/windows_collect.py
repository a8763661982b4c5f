"""Collector for the Windows settings checks (DS-WIN-010/020/030): a frozen, in-memory copy of the
registry keys a check reads (``RegistryCopy``), plus what else it needs. The check judges the copy
with the same helpers (``reg_values``, ``read_consent`` in ``digisafe.settings.windows``), so a
test builds the snapshot from a plain dict and no live registry is touched while judging.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from digisafe.monitoring.running import running_processes

if TYPE_CHECKING:
    from digisafe.core.context import Context, ProcessInfo, RegistrySource


class RegistryCopy:
    """Values and subkey names of some keys, copied once (a read-only RegistrySource)."""

    def __init__(self, values: Mapping[str, Mapping[str, Any] | None], subkeys: Mapping[str, Sequence[str]]) -> None:
        self._values = {k.lower(): (dict(v) if v is not None else None) for k, v in values.items()}
        self._subkeys = {k.lower(): tuple(v) for k, v in subkeys.items()}

    @classmethod
    def from_tree(cls, tree: Mapping[str, Mapping[str, Any]]) -> RegistryCopy:
        """{'HKLM\\\\A\\\\B': {'Value': 1}}: every parent key exists, with its subkeys (for tests)."""
        values: dict[str, Mapping[str, Any] | None] = {}
        subkeys: dict[str, list[str]] = {}
        for key, data in tree.items():
            values[key] = data
            parts = key.split("\\")
            for i in range(1, len(parts)):
                parent, child = "\\".join(parts[:i]), parts[i]
                values.setdefault(parent, {})
                names = subkeys.setdefault(parent.lower(), [])
                if child not in names:
                    names.append(child)
        return cls(values, subkeys)

    def values(self, key: str) -> Mapping[str, Any] | None:
        return self._values.get(key.lower())

    def subkeys(self, key: str) -> Sequence[str]:
        return list(self._subkeys.get(key.lower(), ()))


def copy_keys(registry: RegistrySource, keys: Iterable[tuple[str, int]]) -> RegistryCopy:
    """Copy each (key, depth): its values, and its subkeys ``depth`` levels down."""
    from digisafe.settings.windows import reg_subkeys

    values: dict[str, Mapping[str, Any] | None] = {}
    subkeys: dict[str, list[str]] = {}

    def walk(key: str, depth: int) -> None:
        if key.lower() in (k.lower() for k in values):
            return
        try:
            values[key] = registry.values(key)
        except OSError:
            values[key] = None
        names = reg_subkeys(registry, key)
        subkeys[key] = names
        if depth > 0:
            for name in names:
                walk(rf"{key}\{name}", depth - 1)

    for key, depth in keys:
        walk(key, depth)
    return RegistryCopy(values, subkeys)


@dataclass(frozen=True)
class WindowsSnapshot:
    registry: RegistryCopy | None  # None: the registry could not be opened (the check is skipped)
    processes: tuple[ProcessInfo, ...] = ()
    checked_at: float | None = None  # when the copy was made (seconds since the epoch)


def collect_windows(ctx: Context, keys: Iterable[tuple[str, int]], processes: bool = False) -> WindowsSnapshot:
    if ctx.registry is None:
        return WindowsSnapshot(None)
    return WindowsSnapshot(copy_keys(ctx.registry, keys), tuple(running_processes(ctx)) if processes else (),
                           ctx.now())  # fmt: skip
