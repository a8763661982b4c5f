"""The readability bar (documented in docs/guidance.md) and the small measure behind it."""

from __future__ import annotations

import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digisafe.guidance import readability as rd


@pytest.mark.parametrize("word, syllables", [
    ("cat", 1), ("make", 1), ("phone", 1), ("signed", 1), ("water", 2), ("location", 3), ("evidence", 3),
    ("password", 2), ("little", 2), ("tracker", 2), ("0808", 1), ("two-step", 2), ("you", 1),
])
def test_syllable_estimate(word, syllables):
    assert rd.count_syllables(word) == syllables


def test_flesch_matches_the_formula():
    r = rd.measure(["The cat sat on the mat.", "It was warm."])
    assert (r.sentences, r.words) == (2, 9)
    expected = 206.835 - 1.015 * (9 / 2) - 84.6 * (r.syllables / 9)
    assert r.reading_ease == pytest.approx(expected)
    assert r.reading_ease > 100  # very easy text scores very high


def test_hard_text_fails_the_bar():
    dense = ("Comprehensive configuration of authentication mechanisms necessitates organisational "
             "consideration of multifactor verification methodologies and of the administrative "
             "responsibilities associated with credential management infrastructure.")
    problems = rd.measure([dense]).problems()
    assert any("reading ease" in p for p in problems)
    assert any("average sentence" in p for p in problems)


def test_steps_without_full_stops_count_as_sentences():
    r = rd.measure(["Open Settings > Privacy", "Tap Location"])
    assert r.sentences == 2


def test_every_item_meets_the_bar(guidance):
    failures = {}
    for item in guidance.items:
        problems = rd.measure(item.texts()).problems()
        if problems:
            failures[item.id] = problems
    assert not failures


def test_whole_guide_reads_as_plain_english(guidance):
    scores = [rd.measure(i.texts()).reading_ease for i in guidance.items]
    assert statistics.mean(scores) >= 70  # "fairly easy" on the Flesch scale


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400))
def test_measure_never_crashes(text):
    r = rd.measure([text])
    assert r.sentences >= 0 and r.words >= r.sentences and r.syllables >= r.words
    assert isinstance(r.problems(), list)
