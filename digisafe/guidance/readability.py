"""A small, dependency-free readability measure for the guidance text.

We hold every action item to a bar a stressed reader can follow (see docs/guidance.md):
short sentences and a Flesch reading-ease score above a floor. Flesch reading ease is
206.835 - 1.015 * (words per sentence) - 84.6 * (syllables per word); higher is easier
(60-70 is "plain English", 80+ is easy). Syllables are estimated from vowel groups, which is
good enough to compare texts and to catch long, dense sentences; it is not a linguistic tool.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

# The bar, documented in docs/guidance.md and enforced by tests/guidance/test_readability.py.
MAX_AVERAGE_SENTENCE_WORDS = 14.0
MAX_SENTENCE_WORDS = 28
MIN_READING_EASE = 55.0

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['-][A-Za-z0-9]+)*")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


def count_syllables(word: str) -> int:
    """Estimate the syllables in one word (at least 1). Numbers count as one."""
    w = word.lower()
    if not w.isalpha():
        parts = [p for p in re.split(r"[^a-z]+", w) if p]
        return max(1, sum(count_syllables(p) for p in parts)) if parts else 1
    count = len(_VOWEL_GROUPS.findall(w))
    if w.endswith("e") and not w.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1  # silent final e: "make", "code"
    if w.endswith(("ed", "es")) and count > 1 and not w.endswith(("ted", "ded", "ses", "zes", "ces", "ges")):
        count -= 1  # "signed", "settings" stay short
    return max(1, count)


def sentences(text: str) -> list[str]:
    """Split on sentence ends and line breaks; drop pieces without words."""
    return [s for s in (p.strip() for p in _SENTENCE_END.split(text)) if _WORD.search(s)]


@dataclass(frozen=True)
class Readability:
    sentences: int
    words: int
    syllables: int
    longest_sentence: int

    @property
    def average_sentence_words(self) -> float:
        return self.words / self.sentences if self.sentences else 0.0

    @property
    def reading_ease(self) -> float:
        if not self.words:
            return 100.0
        return 206.835 - 1.015 * self.average_sentence_words - 84.6 * (self.syllables / self.words)

    def problems(self) -> list[str]:
        """Why this text misses the bar (empty when it meets it)."""
        found = []
        if self.average_sentence_words > MAX_AVERAGE_SENTENCE_WORDS:
            found.append(f"average sentence {self.average_sentence_words:.1f} words "
                         f"(max {MAX_AVERAGE_SENTENCE_WORDS:g})")
        if self.longest_sentence > MAX_SENTENCE_WORDS:
            found.append(f"a sentence of {self.longest_sentence} words (max {MAX_SENTENCE_WORDS})")
        if self.reading_ease < MIN_READING_EASE:
            found.append(f"reading ease {self.reading_ease:.0f} (min {MIN_READING_EASE:g})")
        return found


def measure(texts: Iterable[str]) -> Readability:
    """Measure several pieces of text (e.g. an item's title, why, steps) as one passage.

    Each piece is at least one sentence, so a step without a full stop still counts as one.
    """
    n_sentences = n_words = n_syllables = longest = 0
    for text in texts:
        for sentence in sentences(text):
            words = _WORD.findall(sentence)
            n_sentences += 1
            n_words += len(words)
            n_syllables += sum(count_syllables(w) for w in words)
            longest = max(longest, len(words))
    return Readability(n_sentences, n_words, n_syllables, longest)
