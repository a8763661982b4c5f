"""`digisafe indicators update` against a real HTTP server on 127.0.0.1: good feeds are stored
atomically with the last good copy kept; malformed, oversized, slow, missing and unreachable feeds
give one clean error and leave the current database working."""

from __future__ import annotations

import json
import os
import socket
import stat

import pytest
import requests

from digisafe.indicators import clear_cache, load_database
from digisafe.indicators.feeds import FeedError
from digisafe.indicators.store import PREVIOUS_NAME, STORE_NAME, store_folder
from digisafe.indicators.update import update_from_urls
from tests.indicators.conftest import LIMITS, snapshot


def test_good_feeds_are_stored_privately_with_the_last_good_copy(stored):
    folder = store_folder(stored)
    assert sorted(p.name for p in folder.iterdir()) == sorted([PREVIOUS_NAME, STORE_NAME])  # no temp files left
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600 or os.name == "nt"
    store = json.loads((folder / STORE_NAME).read_text())
    assert set(store["feeds"]) == {"echap-ioc", "lolrmm", "echap-watchware"}
    assert set(json.loads((folder / PREVIOUS_NAME).read_text())["feeds"]) == {"echap-ioc"}
    db = load_database(stored)
    assert db.matcher("windows").process("exampledesk.exe", None)
    assert db.matcher("linux").domain("api.examplespy-c2.test")
    assert db.updated and len(db.sources) == 4


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/bad.yaml", "not valid YAML"),
        ("/bad.json", "not valid JSON"),
        ("/big", "larger than"),
        ("/big-unannounced", "larger than"),
        ("/slow", "timeout"),
        ("/trickle", "longer than"),
        ("/missing", "404"),
        ("/to-plain-http", "only https"),
    ],
)
def test_bad_feed_changes_nothing(stored, server, path, message):
    before = snapshot(stored)
    with pytest.raises(FeedError, match=message):
        update_from_urls(stored, {"echap-ioc": server + path}, LIMITS)
    assert snapshot(stored) == before
    assert load_database(stored).matcher("windows").process("exampledesk.exe", None)


def test_unreachable_port_changes_nothing(stored):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again at once: nothing listens there
    before = snapshot(stored)
    with pytest.raises(FeedError, match="could not connect"):
        update_from_urls(stored, {"lolrmm": f"http://127.0.0.1:{port}/rmm.json"}, LIMITS)
    assert snapshot(stored) == before


def test_one_bad_feed_stops_the_whole_update(stored, server):
    before = snapshot(stored)
    with pytest.raises(FeedError):
        update_from_urls(stored, {"lolrmm": server + "/rmm.json", "echap-ioc": server + "/bad.yaml"}, LIMITS)
    assert snapshot(stored) == before


def test_nothing_to_update_is_an_error(stored):
    with pytest.raises(FeedError, match="no feed"):
        update_from_urls(stored, {}, LIMITS)


def test_wrong_feed_at_a_url_is_refused(stored, server):
    with pytest.raises(FeedError, match="expected the echap-ioc feed but got lolrmm"):
        update_from_urls(stored, {"echap-ioc": server + "/rmm.json"}, LIMITS)


def test_damaged_store_falls_back_to_the_last_good_copy_then_built_in(stored):
    (store_folder(stored) / STORE_NAME).write_text("{ damaged")
    clear_cache()
    db = load_database(stored)
    assert any("previous good copy" in n for n in db.notes)
    assert db.matcher("linux").domain("api.examplespy-c2.test")  # from the previous copy
    (store_folder(stored) / PREVIOUS_NAME).write_bytes(
        b'{"format": 1, "feeds": {"x": {"products": [{"id": "BAD"}]}}, "updated": "x"}'
    )
    clear_cache()
    db = load_database(stored)
    assert db.updated is None and any("built-in" in n for n in db.notes)
    assert db.matcher("windows").process("tmagentsvc.exe", None)


def test_verify_is_never_disabled(stored, server, monkeypatch):
    seen = []
    real_get = requests.get

    def spy(*args, **kwargs):
        seen.append(kwargs.get("verify"))
        return real_get(*args, **kwargs)

    monkeypatch.setattr(requests, "get", spy)
    update_from_urls(stored, {"echap-ioc": server + "/ioc.yaml"}, LIMITS)
    assert seen == [True]
    root = os.path.join(os.path.dirname(__file__), "..", "..", "digisafe")
    for folder, _dirs, files in os.walk(root):
        for name in files:
            if name.endswith(".py"):
                with open(os.path.join(folder, name), encoding="utf-8") as handle:
                    assert "verify=False" not in handle.read(), name
