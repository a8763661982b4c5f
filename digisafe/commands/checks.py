"""`digisafe checks` and `digisafe explain ID`."""

from __future__ import annotations

from typing import Any

import click

from digisafe.core.errors import InputError
from digisafe.core.platforms import labels
from digisafe.core.subject import SubjectKind
from digisafe.render.fit import terminal_width


@click.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
def checks(fmt: str) -> int:
    """List every check: ID, title, category, platforms, and where it came from."""
    from digisafe.core.registry import load_registry

    registry = load_registry()
    rows: list[dict[str, Any]] = [
        {
            "id": c.id,
            "title": c.cls.title,
            "category": c.cls.category,
            "platforms": labels(c.cls.platforms).split(", "),
            "subjects": sorted(str(k) for k in c.cls.subjects),
            "origin": c.origin,
            "status": "ok",
        }
        for c in registry.checks
    ]
    rows += [
        {"id": b.id, "title": b.error, "category": "", "platforms": [], "origin": b.origin, "status": "error"}
        for b in registry.broken
    ]
    if fmt == "json":
        import json

        click.echo(json.dumps(rows, indent=2))
        return 0
    # NOTE: plain columns, not tabulate: `digisafe checks` is run often in scripted sessions and
    # tabulate's import (with wcwidth) would double its start-up time.
    table = [["ID", "Title", "Category", "Platforms", "From"]]
    table += [
        [
            r["id"],
            r["title"] if r["status"] == "ok" else f"ERROR: {r['title']}",
            r["category"],
            ", ".join(r["platforms"]),
            r["origin"],
        ]
        for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(4)]
    for n, row in enumerate(table):
        click.echo("  ".join(cell.ljust(widths[i]) if i < 4 else cell for i, cell in enumerate(row)).rstrip())
        if n == 0:
            click.echo("  ".join("-" * w for w in widths) + "  ----")
    return 0


@click.command()
@click.argument("check_id")
def explain(check_id: str) -> int:
    """Show what a check looks at, why it matters and what to do."""
    from digisafe.commands.suggest import did_you_mean
    from digisafe.core.registry import load_registry

    registry = load_registry()
    entry = registry.get(check_id)
    if entry is None:
        hint = did_you_mean(check_id, [c.id for c in registry.checks], "'digisafe explain {}'")
        raise InputError(f"unknown check ID {check_id!r}.{hint} ('digisafe checks' lists them all)")
    cls = entry.cls
    platforms = labels(cls.platforms)
    looks_at = ", ".join(SubjectKind(str(k)).label for k in sorted(cls.subjects))
    from digisafe.render.fit import fill

    width = terminal_width()
    click.echo(fill(f"{cls.id}: {cls.title}", width, "    "))
    click.echo(fill(f"Category: {cls.category}. Looks at: {looks_at}. Platforms: {platforms}. "
                    f"From: {entry.origin}.", width, "    "))
    if cls.requires:
        click.echo(fill(f"Needs: {', '.join(cls.requires)}.", width, "    "))
    if cls.options:
        from digisafe.core.options import KINDS

        click.echo(f'Profile options ([checks."{cls.id}"]):')
        for name, spec in sorted(cls.options.items()):
            line = f"{name}: {KINDS[spec.kind]}; {spec.help}" if spec.help else f"{name}: {KINDS[spec.kind]}"
            click.echo(fill(line, width, "      ", first="  "))
    click.echo("")
    click.echo(plain_doc(cls.documentation(), width))
    return 0


def plain_doc(text: str, width: int) -> str:
    """A check's docstring for the screen: no reST markup (``code``, `code`), paragraphs fitted to
    the terminal without splitting a command, an ID or a phone number."""
    import re

    from digisafe.render.fit import fill

    text = re.sub(r"``([^`]+)``", r"\1", text)
    text = re.sub(r"(?<![\w`]):?(?:[a-z]+:)?`([^`]+)`(?:_)?", r"\1", text)
    paras = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]
    return "\n\n".join(fill(p, width) for p in paras)
