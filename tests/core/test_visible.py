"""visible(): its fast path for plain ASCII text gives what the full pattern gives."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from digisafe.core.visible import CONTROLS, visible

FULL = re.compile(CONTROLS)


def by_pattern(text: str) -> str:
    return FULL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"<U+{ord(m.group()):04X}>",
                    text)


@settings(max_examples=2000)
@given(st.text(alphabet=st.one_of(st.characters(max_codepoint=0x2100), st.sampled_from("\u202e\u2066\u061c\x1b\x7f"))))
def test_visible_is_the_pattern_applied(text):
    assert visible(text) == by_pattern(text)


def test_examples():
    assert visible("plain\ttext\n") == "plain\ttext\n"
    assert visible("a\x1b[2Jb\x7f") == "a\\x1b[2Jb\\x7f"
    assert visible("gpj.\u202eevil") == "gpj.<U+202E>evil"
    assert visible("caf\u00e9 \x9b") == "caf\u00e9 \\x9b"
