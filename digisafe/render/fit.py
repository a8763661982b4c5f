"""Fit text to a terminal's width without ever breaking what people copy or dial.

A check ID (``DS-WIN-010``), a phone number (``0808 802 0300``, ``020 3866 4107``) or a command
(``digisafe photos scan ~/Pictures``) is kept on one line, even if that line then runs past the
width: half an ID or half a phone number is worse than a long line. Everything else wraps at
spaces; a path longer than the whole width is left whole too (wrapping it would change it when
pasted).
"""

from __future__ import annotations

import os
import re
import sys

# NOTE: U+00A0 (no-break space) glues a protected span together while textwrap works; it is
# turned back into a plain space afterwards, so what is printed and pasted is unchanged.
_GLUE = "\u00a0"
# (Compiled on first use, by re's cache, as is textwrap imported: most lines `photos strip` and
# `photos scan` print fit the terminal, and these cost ~1.3 ms of their start-up.)
_PHONE = r"\b0\d{2,4}(?: \d{3,4}){1,2}\b"
_ARG = r"""^(?:--?[\w-]+(?:=\S+)?|[~/.$"'].*|[A-Z][A-Z0-9_.-]*|DS-[\w-]+|\S*[/\\]\S*|\S+\.[a-z]{2,4})$"""
_WORD = r"^[a-z][a-z0-9.-]*$"
COMMAND_WORDS = frozenset({"audit", "report", "checks", "explain", "photos", "processes", "indicators", "guide",
                           "checklist", "phone", "log"})
TAKES_A_WORD = frozenset({"photos", "indicators", "guide", "phone", "log", "explain"})  # a sub-command or topic
NARROWEST = 40


def terminal_width(default: int = 80) -> int:
    """The terminal's columns (COLUMNS wins, as everywhere), never below NARROWEST."""
    # NOTE: shutil.get_terminal_size's rules, without importing shutil (with bz2 and lzma it costs
    # `digisafe checks`, which prints a table, 2 ms of start-up): COLUMNS, then the terminal.
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return max(NARROWEST, columns or default)


def _glue(match: re.Match[str]) -> str:
    return match.group(0).replace(" ", _GLUE)


def protect(text: str) -> str:
    """Glue phone numbers and digisafe commands so no wrap splits them."""
    text = re.sub(_PHONE, _glue, text)
    words = _quoted_words(text.split(" "))
    out: list[str] = []
    i = 0
    while i < len(words):
        end = _command_end(words, i) if words[i] == "digisafe" else i + 1
        out.append(_GLUE.join(words[i:end]))
        i = end
    return " ".join(out)


def _quoted_words(words: list[str]) -> list[str]:
    """Rejoin a shell-quoted argument split at its spaces (``~/'My Photos'``) inside a command."""
    out: list[str] = []
    for word in words:
        if out and out[-1].startswith(("~/", "/", "'", '"', "./")) and _open_quote(out[-1]):
            out[-1] += _GLUE + word
            continue
        out.append(word)
    return out


def _open_quote(word: str) -> bool:
    return word.count("'") % 2 == 1 or word.count('"') % 2 == 1


def _command_end(words: list[str], start: int) -> int:
    """Index after the last word of the command starting at ``words[start]`` ("digisafe")."""
    end = start + 1
    while end < len(words):
        word = words[end].rstrip(".,;:)")
        after_option = words[end - 1].startswith("-") and not words[end - 1].endswith((".", ",", ";", ":"))
        position = end - start
        plain = re.match(_WORD, word) and (
            (position == 1 and word in COMMAND_WORDS)
            or (position == 2 and words[start + 1] in TAKES_A_WORD)
            or (position > 1 and after_option))
        if not word or not (plain or re.match(_ARG, word)):
            break
        end += 1
        if words[end - 1] != word:  # "... FOLDER." ends the sentence as well as the command
            break
    return end


def wrap(text: str, width: int, indent: str = "", first: str | None = None) -> list[str]:
    """Lines of at most ``width`` columns (unless one unbreakable piece is longer)."""
    start = indent if first is None else first
    width = max(len(indent) + 10, width)
    # NOTE: a line that fits as it is comes out of textwrap as it went in (printable: no tab or line
    # break to turn into a space, and no space but U+0020, which textwrap keeps inside a line):
    # the same line without importing textwrap (tests/render/test_fit.py compares the two).
    if text and text.isprintable() and text[0] != " " and text[-1] != " ":
        if len(start) + len(text) <= width:
            return [(start + text).replace(_GLUE, " ")]
        if "  " not in text:
            return [line.replace(_GLUE, " ") for line in _fill_words(protect(text).split(" "), width, start, indent)]
    import textwrap

    lines = textwrap.wrap(
        protect(text),
        width=width,
        initial_indent=start,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return [line.replace(_GLUE, " ") for line in lines] or [start.rstrip()]


def _fill_words(words: list[str], width: int, first: str, indent: str) -> list[str]:
    """textwrap's greedy fill (break_long_words=False, break_on_hyphens=False) of words that were
    separated by one space each: a word longer than a line stands alone on its own line."""
    lines: list[str] = []
    line: list[str] = []
    room = width - len(first)
    used = 0
    for word in words:
        if line and used + 1 + len(word) > room:
            lines.append((indent if lines else first) + " ".join(line))
            line, used, room = [], 0, width - len(indent)
        used += len(word) + (1 if line else 0)
        line.append(word)
    lines.append((indent if lines else first) + " ".join(line))
    return lines


def fill(text: str, width: int, indent: str = "", first: str | None = None) -> str:
    return "\n".join(wrap(text, width, indent, first))
