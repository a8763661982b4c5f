"""The validator: each kind of broken content gives a clear error naming the file and item."""

from __future__ import annotations

import pytest

from digisafe.guidance.loader import ContentError, load_from


def _edit(folder, name, old, new):
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(folder) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_from(folder)
    assert str(caught.value).startswith("guidance content is invalid: ")
    return caught.value.problems


def test_copy_loads(content_copy):
    assert len(load_from(content_copy).items) >= 60


@pytest.mark.parametrize("name, old, new, expected", [
    ("accounts.yaml", "    title: Turn on two-step sign-in\n", "    title: Turn on two-step sign-in\n    hwo: x\n",
     "accounts.yaml item accounts.two-step: unknown key 'hwo'"),
    ("accounts.yaml", "    why: You cannot make an account safe if you have forgotten it exists.\n", "",
     "accounts.yaml item accounts.list: missing 'why'"),
    ("accounts.yaml", "id: accounts.two-step", "id: accounts.list",
     "accounts.yaml: duplicate item id 'accounts.list'"),
    ("accounts.yaml", "checks: [DS-BRW-030]", "checks: [DS-BRW-999]",
     "accounts.yaml item accounts.third-party-apps: unknown check ID 'DS-BRW-999'"),
    ("accounts.yaml", "see_also: [laptop.browser-extensions]", "see_also: [laptops]",
     "see_also names unknown topic or item 'laptops'"),
    ("accounts.yaml", "Turn on two-step sign-in\n", "Turn on two\u2013step sign-in\n",
     "U+2013) is not in Latin-1"),
    ("accounts.yaml", "sources: [NNEDV-NORTON, WESNET-GOOGLE]", "sources: [NOPE]",
     "accounts.yaml item accounts.two-step: unknown source 'NOPE'"),
    ("accounts.yaml", "id: accounts.two-step", "id: phones.two-step",
     "id 'phones.two-step' must look like 'accounts.some-name'"),
    ("accounts.yaml", "platforms: [any]", "platforms: [nokia]", "unknown platform 'nokia'"),
    ("accounts.yaml", "platforms: [any]", "platforms: [any, linux]", "platform 'any' must stand alone"),
    ("accounts.yaml", "id: accounts\n", "id: account\n", "accounts.yaml: id 'account' must match the file name"),
    ("accounts.yaml", "items:\n", "itemz:\n", "accounts.yaml: unknown key 'itemz'"),
    ("accounts.yaml", "    how:\n      any:\n        - List", "    how:\n      any:\n        - - List",
     "how[any][0]: must be non-empty text"),
    ("index.yaml", "  - support\n", "", "support.yaml: topic is not listed in index.yaml"),
    ("index.yaml", "  - records\n", "  - records\n  - gone\n", "topic 'gone' has no file gone.yaml"),
    ("sources.yaml", "url: https://nerccu", "url: ftp://nerccu", "must start with http:// or https://"),
    ("phones.yaml", "id: phones\n", "id: [phones\n", "phones.yaml: line"),
    ("phones.yaml", "id: phones\n", "id: !!python/object/apply:os.getcwd []\n", "is not valid YAML"),
])
def test_broken_content_is_reported(content_copy, name, old, new, expected):
    _edit(content_copy, name, old, new)
    problems = _problems(content_copy)
    assert any(expected in p for p in problems), problems


def test_all_problems_are_listed_at_once(content_copy):
    _edit(content_copy, "accounts.yaml", "checks: [DS-BRW-030]", "checks: [DS-BRW-999]")
    _edit(content_copy, "trackers.yaml", "platforms: [android]\n", "platforms: [symbian]\n")
    problems = _problems(content_copy)
    assert len(problems) >= 2
    with pytest.raises(ContentError, match=r"and \d+ more problem"):
        load_from(content_copy)


def test_broken_content_exits_3_with_one_line(content_copy, monkeypatch, capsys):
    from digisafe import cli
    from digisafe.guidance import loader

    _edit(content_copy, "accounts.yaml", "checks: [DS-BRW-030]", "checks: [DS-BRW-999]")
    monkeypatch.setattr(loader, "CONTENT_DIR", content_copy)
    loader.load_guidance.cache_clear()
    try:
        with pytest.raises(SystemExit) as caught:
            cli.main(["guide", "accounts"])
    finally:
        loader.load_guidance.cache_clear()
    assert caught.value.code == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown check ID 'DS-BRW-999'" in err
