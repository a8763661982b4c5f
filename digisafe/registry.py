"""Find every check: the built-ins and third-party plugins, through one entry-point group.

An entry point in ``digisafe.checks`` names a Check subclass or a list of them. A plugin that fails
to import, or offers something that is not a valid check, becomes a ``BrokenPlugin`` that the runner
reports as an ERROR row: a broken plugin is never silently dropped. A duplicate ID is refused and
reported the same way; the first registration (built-ins come first) wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from digisafe.check import Check, validate_check_class

GROUP = "digisafe.checks"


@dataclass(frozen=True)
class RegisteredCheck:
    cls: type[Check]
    origin: str  # "built-in" or "plugin NAME VERSION"

    @property
    def id(self) -> str:
        return self.cls.id


@dataclass(frozen=True)
class BrokenPlugin:
    id: str  # "plugin:<entry point name>", so it never collides with a real check ID
    origin: str
    error: str


@dataclass(frozen=True)
class Registry:
    checks: tuple[RegisteredCheck, ...]
    broken: tuple[BrokenPlugin, ...]

    def get(self, check_id: str) -> RegisteredCheck | None:
        wanted = check_id.upper()
        return next((c for c in self.checks if c.id == wanted), None)


def _as_check_classes(obj: object) -> list[object]:
    if isinstance(obj, (list, tuple)):
        return list(obj)
    return [obj]


def _entry_points():  # noqa: ANN202
    from importlib.metadata import entry_points

    try:
        return list(entry_points(group=GROUP))
    except TypeError:  # Python 3.9: entry_points() returns a dict of groups
        return list(entry_points().get(GROUP, []))


def _origin(ep) -> str:  # noqa: ANN001
    dist = getattr(ep, "dist", None)
    if dist is None:
        return "plugin (unknown package)"
    name = dist.metadata["Name"] or "unknown"
    if name.lower() == "digisafe":
        return "built-in"
    return f"plugin {name} {dist.version}"


def load_registry() -> Registry:
    from digisafe.checks import BUILTIN_CHECKS

    checks: list[RegisteredCheck] = []
    broken: list[BrokenPlugin] = []
    seen: dict[str, str] = {}

    def add(candidates: Iterable[object], origin: str, ep_name: str) -> None:
        for obj in candidates:
            problem = validate_check_class(obj)
            if problem:
                broken.append(BrokenPlugin(f"plugin:{ep_name}", origin, problem))
                continue
            cls: type[Check] = obj  # type: ignore[assignment]
            if cls.id in seen:
                if seen[cls.id] == origin and any(c.cls is cls for c in checks):
                    continue  # the same class reached twice (built-ins via their own entry point)
                broken.append(
                    BrokenPlugin(
                        f"plugin:{ep_name}",
                        origin,
                        f"duplicate check ID {cls.id}: already provided by {seen[cls.id]}; refused",
                    )
                )
                continue
            seen[cls.id] = origin
            checks.append(RegisteredCheck(cls, origin))

    add(BUILTIN_CHECKS, "built-in", "builtin")
    for ep in sorted(_entry_points(), key=lambda e: (e.name, e.value)):
        origin = _origin(ep)
        if origin == "built-in":
            continue  # already added from the explicit list above
        try:
            loaded = ep.load()
        except Exception as exc:  # noqa: BLE001 - any import failure of a plugin must be visible
            broken.append(
                BrokenPlugin(f"plugin:{ep.name}", origin, f"could not load {ep.value}: {type(exc).__name__}: {exc}")
            )
            continue
        add(_as_check_classes(loaded), origin, ep.name)
    checks.sort(key=lambda c: c.id)
    return Registry(tuple(checks), tuple(broken))
