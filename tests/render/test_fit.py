"""fit.wrap returns a line that fits without importing textwrap: the lines must be those textwrap
gives (``old_wrap`` is the old algorithm), for every text, width and indent."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digisafe.render.fit import _GLUE, protect, wrap


def old_wrap(text: str, width: int, indent: str = "", first: str | None = None) -> list[str]:
    lines = textwrap.wrap(protect(text), width=max(len(indent) + 10, width),
                          initial_indent=indent if first is None else first, subsequent_indent=indent,
                          break_long_words=False, break_on_hyphens=False)
    return [line.replace(_GLUE, " ") for line in lines] or [(indent if first is None else first).rstrip()]


LINES = [
    "", " ", "x", " leading space", "trailing space ", "two  spaces  inside", "cleaned: GPS (EXIF), XMP removed.",
    "tab\there", "new\nline", "cr\rlf", "vt\x0bff\x0c", "nbsp\u00a0inside", "\u00a0nbsp first", "nbsp last\u00a0",
    "ideographic\u3000space", "ends with ideographic space\u3000", "\u3000starts with one", "line\u2028separator",
    "esc \x1b[31m red", "zero\u200bwidth", "写真 wide characters that count as one each", "e\u0301 combining",
    "Call 0808 802 0300 or 020 3866 4107.", "Run digisafe photos strip ~/Pictures --out ~/clean now.",
    "a" * 79, "a" * 80, "a" * 81, "word " * 20, "NOT cleaned: the file changed while it was read.",
]


@pytest.mark.parametrize("text", LINES)
@pytest.mark.parametrize("width", [0, 10, 40, 79, 80, 81, 200])
@pytest.mark.parametrize(("indent", "first"), [("", None), ("      ", None), ("  ", "- "), ("", "      "), (" ", "")])
def test_wrap_is_what_textwrap_gave(text, width, indent, first):
    assert wrap(text, width, indent, first) == old_wrap(text, width, indent, first)


_chars = st.sampled_from([" ", "  ", "\u00a0", "\t", "\n", "\r", "\x0b", "\x0c", "\u3000", "\u2028", "\x1b", "\u200b",
                          "a", "word", "-", "--out", "~/", "'", '"', ".", ",", "0808", "802", "0300", "digisafe",
                          "photos", "strip", "写真", "e\u0301", "x" * 30])


@settings(max_examples=500, deadline=None)
@given(text=st.lists(_chars, max_size=30).map("".join), width=st.integers(0, 120),
       indent=st.sampled_from(["", " ", "      ", "\u00a0"]), first=st.none() | st.sampled_from(["", "- ", "  "]))
def test_wrap_is_what_textwrap_gave_for_any_text(text, width, indent, first):
    assert wrap(text, width, indent, first) == old_wrap(text, width, indent, first)


def imports_textwrap(calls: str) -> bool:
    """Whether running ``calls`` (with fill and wrap imported) in a fresh Python imports textwrap."""
    code = f"import sys\nfrom digisafe.render.fit import fill, wrap\n{calls}\nprint('textwrap' in sys.modules)\n"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.split() in (["False"], ["True"]), done.stderr
    return done.stdout.split() == ["True"]


def test_lines_that_fit_do_not_import_textwrap():
    assert not imports_textwrap("wrap('cleaned: GPS (EXIF), IPTC place, XMP removed.', 80, '      ')\n"
                                "fill('45 cleaned, 3 had no location, 0 NOT cleaned.', 80)")


_words = st.text(st.sampled_from("abc.,-'\"~/:;()写e\u0301"), min_size=1, max_size=25) | st.sampled_from(
    ["digisafe", "photos", "strip", "--out", "~/Pictures", "0808", "802", "0300", "020", "DS-PHOTO-010", "x" * 90])


@settings(max_examples=1000, deadline=None)
@given(words=st.lists(_words, min_size=1, max_size=40), width=st.integers(0, 70),
       indent=st.sampled_from(["", " ", "      ", "\u00a0"]), first=st.none() | st.sampled_from(["", "- ", " " * 30]))
def test_wrap_of_words_and_single_spaces_is_what_textwrap_gave(words, width, indent, first):
    text = " ".join(words)
    assert wrap(text, width, indent, first) == old_wrap(text, width, indent, first)


def test_a_long_paragraph_does_not_import_textwrap():
    assert not imports_textwrap(
        "fill('Finding no location does not prove a photo is safe to share: faces, signs, windows and '\n"
        "     'landmarks can show where it was taken. Run digisafe photos strip ~/Pictures --out ~/clean.', 60)")
