"""`digisafe guide [TOPIC]`: privacy and safety guidance, by topic, for the screen or to print."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import click

from digisafe.commands.common import emit, output_option
from digisafe.core.errors import InputError

FORMATS = ("text", "markdown", "html", "pdf")


def parse_platforms(values: tuple[str, ...]) -> tuple[str, ...]:
    """``--platform iphone --platform mac,windows`` -> ("ios", "macos", "windows") (the one
    vocabulary, digisafe.core.platforms; everyday spellings such as iphone, mac, darwin accepted)."""
    from digisafe.core.platforms import Platform
    from digisafe.guidance.model import DEVICE_PLATFORMS

    chosen: list[str] = []
    for value in values:
        for raw in value.split(","):
            if not raw.strip():
                continue
            try:
                name = Platform.parse(raw).value
            except ValueError:
                choices = ", ".join(DEVICE_PLATFORMS)
                raise InputError(f"unknown platform {raw.strip()!r} (choose from {choices})") from None
            if name not in chosen:
                chosen.append(name)
    return tuple(chosen)


def select_topics(guidance, name: str | None) -> list:  # noqa: ANN001 - Guidance, list[Topic]
    """Topics for TOPIC: all of them, one topic, or one item shown as a topic of its own."""
    from digisafe.guidance.model import Topic

    if name is None or name.lower() == "all":
        return list(guidance.topics)
    key = name.strip().lower()
    topic = guidance.topic(key)
    if topic:
        return [topic]
    item = guidance.item(key)
    if item:
        parent = guidance.topic(item.topic)
        return [Topic(parent.id, parent.title, parent.summary, (item,))]
    names = [t.id for t in guidance.topics] + [i.id for i in guidance.items]
    close = difflib.get_close_matches(key, names, n=3)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    raise InputError(f"no guidance topic or step called {name!r}{hint}; `digisafe guide` lists the topics")


def page_width(output: Path | None, widest: int) -> int:
    """Text width: 80 into a file, else the terminal's (between 40 and ``widest``)."""
    if output is not None:
        return 80
    return max(40, min(widest, shutil.get_terminal_size((80, 24)).columns - 1))


def page_format(fmt: str | None, output: Path | None) -> str:
    """--format if given, else from --output's suffix, else text for the screen."""
    from digisafe.guidance.checklist import format_for

    return format_for(output, fmt) if output is not None else (fmt or "text")


# --format and --paper, shared with `digisafe checklist`.
format_option = click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default=None,
    help="text (default on screen), markdown, html or pdf; from --output's suffix if not given.")
paper_option = click.option("--paper", type=click.Choice(("a4", "letter")), default="a4", show_default=True,
                            help="Paper size for html and pdf.")


@click.command()
@click.argument("topic", required=False)
@click.option("--platform", "platforms", multiple=True, metavar="NAME",
              help="Only steps for these devices: ios (iphone), android, windows, macos, linux "
                   "(repeat or comma-separate).")
@format_option
@paper_option
@output_option
@click.option("--details", is_flag=True, help="Also show each step's ID and the digisafe checks it relates to "
              "(for caseworkers; markdown, html and pdf always show them).")
def guide(topic: str | None, platforms: tuple[str, ...], fmt: str | None, paper: str, output: Path | None,
          details: bool) -> int:
    """Privacy and safety steps, in plain words. TOPIC is a topic (e.g. accounts), a step
    (e.g. accounts.two-step) or 'all'; with no TOPIC the screen shows the list of topics.

    Before you change anything, read 'digisafe guide safety-first': changes can be noticed.
    """
    from digisafe.guidance.loader import load_guidance

    chosen = parse_platforms(platforms)
    fmt = page_format(fmt, output)
    guidance = load_guidance()
    if topic is None and fmt == "text":
        from digisafe.guidance import text

        emit(text.render_index(guidance.filtered(chosen), page_width(output, 110)), output)
        return 0
    topics = select_topics(guidance, topic)
    if chosen:
        topics = [t for t in (t.narrowed(chosen) for t in topics) if t.items]
        if not topics:
            raise InputError(f"no steps in {topic or 'the guide'} for {', '.join(chosen)}")
    emit(_render(guidance, topics, fmt, chosen, paper, page_width(output, 110), details), output)
    return 0


def _render(guidance, topics, fmt: str, platforms, paper: str, width: int, details: bool = False):  # noqa: ANN001, ANN202
    if fmt == "text":
        from digisafe.guidance import text
        return text.render_guide(guidance, topics, width, platforms, details)
    if fmt == "markdown":
        from digisafe.guidance import markdown
        return markdown.render_guide(guidance, topics, platforms)
    if fmt == "html":
        from digisafe.guidance import html
        return html.render_guide(guidance, topics, platforms, paper)
    from digisafe.guidance import pdf
    return pdf.render_guide(guidance, topics, platforms, paper)
