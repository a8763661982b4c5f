"""Load the guidance data files and validate them before anything is shown.

The content lives in digisafe/content/guidance/: index.yaml (topic order and support details),
sources.yaml (titles and URLs) and one <topic>.yaml per topic. Files are read with
PyYAML's safe loader only (no Python tags). Any problem stops loading with a ``ContentError`` that lists what is
wrong and where; the guidance is never shown half-checked.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from digisafe.core.errors import DigisafeError
from digisafe.guidance import validate
from digisafe.guidance.model import Contact, Guidance, Item, Source, Support, Topic, platform_key

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content" / "guidance"
NOT_TOPICS = ("index", "sources")


class ContentError(DigisafeError):
    """The guidance files are broken: a packaging or editing mistake (exit 3)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        super().__init__(f"guidance content is invalid: {problems[0]}{more}")


def _read(path: Path, problems: list[str]) -> Any:
    import yaml

    # NOTE: CSafeLoader is libyaml's build of SafeLoader (same safe subset, ~10x faster); PyYAML
    # without libyaml falls back to the pure-Python SafeLoader, exactly what yaml.safe_load uses.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(f"{path.name}: cannot read: {exc}")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark else ""
        problems.append(f"{path.name}:{line} is not valid YAML ({getattr(exc, 'problem', exc)})")
    return None


def _line(text: str) -> str:
    """YAML prose as one line: folded breaks and runs of spaces become single spaces."""
    return " ".join(text.split())


def _support(index: Any, problems: list[str]) -> Support:
    support = index.get("support") if isinstance(index, dict) else None
    footer = support.get("footer") if isinstance(support, dict) else None
    if not (isinstance(footer, list) and 1 <= len(footer) <= 2 and all(isinstance(x, str) and x for x in footer)):
        problems.append("index.yaml: support must have 'footer' (one or two lines) and 'contacts'")
        return Support((), ())
    contacts = []
    for n, c in enumerate(support.get("contacts") or ()):
        if not isinstance(c, dict) or set(c) != {"name", "detail"}:
            problems.append(f"index.yaml: support contact {n + 1} must have exactly 'name' and 'detail'")
            continue
        contacts.append(Contact(str(c["name"]), str(c["detail"])))
    for text in footer + [c.name + c.detail for c in contacts]:
        bad = validate.latin1_problem(text)
        if bad:
            problems.append(f"index.yaml: support: {bad}")
    if not contacts:
        problems.append("index.yaml: support needs at least one contact")
    return Support(tuple(_line(x) for x in footer), tuple(contacts))


def _topic_order(index: Any, found: list[str], problems: list[str]) -> list[str]:
    order = index.get("topics") if isinstance(index, dict) else None
    if not isinstance(order, list) or not all(isinstance(t, str) for t in order):
        problems.append("index.yaml: 'topics' must be a list of topic ids")
        return sorted(found)
    for topic_id in order:
        if topic_id not in found:
            problems.append(f"index.yaml: topic {topic_id!r} has no file {topic_id}.yaml")
    for topic_id in found:
        if topic_id not in order:
            problems.append(f"{topic_id}.yaml: topic is not listed in index.yaml")
    return [t for t in order if t in found]


def _build_item(data: dict, topic_id: str, sources: dict) -> Item:
    return Item(
        id=data["id"], topic=topic_id, title=_line(data["title"]), why=_line(data["why"]),
        how=tuple((platform_key(str(k)), tuple(_line(s) for s in v)) for k, v in data["how"].items()),
        caution=_line(data["caution"]),
        sources=tuple(Source(k, sources[k]["title"], sources[k]["url"]) for k in data["sources"]),
        checks=tuple(data.get("checks") or ()),
        platforms=tuple(platform_key(p) for p in data["platforms"]),
        see_also=tuple(data.get("see_also") or ()),
    )


def _check_references(topics: list[Topic], problems: list[str]) -> None:
    seen: set[str] = set()
    for item in (i for t in topics for i in t.items):
        if item.id in seen:
            problems.append(f"{item.topic}.yaml: duplicate item id {item.id!r}")
        seen.add(item.id)
    known = seen | {t.id for t in topics}
    for item in (i for t in topics for i in t.items):
        for ref in item.see_also:
            if ref not in known:
                problems.append(f"{item.topic}.yaml item {item.id}: see_also names unknown topic or item {ref!r}")


def load_from(folder: Path) -> Guidance:
    """Load and validate the guidance in ``folder``; ContentError lists every problem found."""
    problems: list[str] = []
    index = _read(folder / "index.yaml", problems)
    sources = validate.check_sources(_read(folder / "sources.yaml", problems), problems)
    support = _support(index, problems)
    stems = sorted(p.stem for p in folder.glob("*.yaml") if p.stem not in NOT_TOPICS)
    topics = []
    for topic_id in _topic_order(index, stems, problems):
        data = _read(folder / f"{topic_id}.yaml", problems)
        before = len(problems)
        validate.check_topic(data, topic_id, problems)
        if len(problems) > before:
            continue
        for n, raw in enumerate(data["items"]):
            validate.check_item(raw, topic_id, n, sources, problems)
        if len(problems) > before:
            continue
        items = tuple(_build_item(raw, topic_id, sources) for raw in data["items"])
        topics.append(Topic(topic_id, _line(data["title"]), _line(data["summary"]), items))
    _check_references(topics, problems)
    if problems:
        raise ContentError(problems)
    return Guidance(tuple(topics), support)


@functools.lru_cache(maxsize=1)
def load_guidance() -> Guidance:
    """The guidance shipped with digisafe (loaded once per process)."""
    return load_from(CONTENT_DIR)
