"""The shipped guidance: loads cleanly, covers every topic the issue asks for, sourced, Latin-1."""

from __future__ import annotations

import re

from digisafe.core.check import CHECK_ID
from digisafe.guidance.validate import KNOWN_CHECK_IDS

REQUIRED_TOPICS = ("safety-first", "accounts", "phones", "location-sharing", "social-media", "shared-accounts",
                   "laptop", "photos", "trackers", "smart-home", "records", "support")


def _topic_text(topic) -> str:
    return " ".join([topic.title, topic.summary] + [t for i in topic.items for t in i.texts()]
                    + [k for i in topic.items for k, _ in i.how])


def test_loads_with_enough_items(guidance):
    assert len(guidance.items) >= 60
    assert set(REQUIRED_TOPICS) <= {t.id for t in guidance.topics}
    assert guidance.topics[0].id == "safety-first"  # read before anything else
    for topic in guidance.topics:
        assert topic.items, topic.id
        assert all(i.id.startswith(topic.id + ".") for i in topic.items)


def test_every_item_is_complete_and_sourced(guidance):
    for item in guidance.items:
        assert item.title and item.why and item.caution and item.how, item.id
        assert item.sources, item.id
        for source in item.sources:
            assert re.match(r"^https?://\S+$", source.url), (item.id, source.url)
            assert source.title


def test_every_known_check_has_guidance(guidance):
    covered = {c for i in guidance.items for c in i.checks}
    assert covered <= KNOWN_CHECK_IDS
    assert KNOWN_CHECK_IDS <= covered, sorted(KNOWN_CHECK_IDS - covered)
    assert all(CHECK_ID.match(c) for c in KNOWN_CHECK_IDS)


def test_all_text_is_latin1(guidance):
    texts = [t for i in guidance.items for t in i.texts()] + [t.summary for t in guidance.topics]
    texts += [guidance.support.footer] + [c.name + c.detail for c in guidance.support.contacts]
    texts += [s.title + s.url for i in guidance.items for s in i.sources]
    for text in texts:
        text.encode("latin-1")


def test_topics_cover_what_the_issue_lists(guidance):
    wanted = {
        "safety-first": ["alert", "evidence", "safe", "ISAC"],
        "accounts": ["password", "two-step", "recovery", "security questions", "signed in", "forwarding"],
        "phones": ["iPhone", "Safety Check", "Android", "Google"],
        "location-sharing": ["Find My", "Google Maps", "Life360", "Snap", "WhatsApp", "Instagram", "Strava"],
        "photos": ["location", "photo"],
        "social-media": ["Facebook", "Instagram", "X", "TikTok", "Snapchat", "LinkedIn"],
        "shared-accounts": ["Family Sharing", "family group", "Microsoft", "cloud", "contract"],
        "laptop": ["remote", "monitoring", "digisafe"],
        "trackers": ["AirTag", "Tile", "SmartTag", "alert"],
        "smart-home": ["router", "car"],
        "records": ["incident log", "letters", "messages", "call records", "photos", "video", "trust",
                    "risks"],
        "support": ["ISAC", "0808 802 0300", "Suzy Lamplugh", "Paladin", "Victim Support", "101", "999"],
    }
    for topic_id, needles in wanted.items():
        text = _topic_text(guidance.topic(topic_id))
        # whole words, so "X" must be the app, not any word with an x in it
        missing = [n for n in needles if not re.search(rf"\b{re.escape(n)}\b", text, re.I)]
        assert not missing, (topic_id, missing)


def test_support_details_for_every_page(guidance):
    footer = guidance.support.footer
    for needle in ("ISAC", "0808 802 0300", "Suzy Lamplugh Trust", "Paladin", "Victim Support", "101", "999"):
        assert needle in footer


def test_never_claims_to_quote_the_ebook(guidance):
    text = " ".join(_topic_text(t) for t in guidance.topics)
    assert not re.search(r"\bebook\b", text.lower())
    assert "west yorkshire" not in text.lower()


def test_every_builtin_check_is_known_to_the_guidance():
    """A new built-in check needs its ID in KNOWN_CHECK_IDS and a step that names it."""
    from digisafe.checks import BUILTIN_CHECKS

    missing = sorted({c.id for c in BUILTIN_CHECKS} - KNOWN_CHECK_IDS)
    assert not missing, f"add guidance for {missing} (digisafe/guidance/validate.py and a content step)"
