"""`log add --when` takes a moment from 1900 up to now: year 1 (a typo, or a hostile script) and a
date-only day after today are one-line errors that add nothing. `--json -` is capped at 1 MB like a
named --json file."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from digisafe.core.errors import InputError
from digisafe.records.entry import parse_when
from digisafe.records.store import LogStore

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(("when", "words"), [("0001-01-01 00:00", "before 1900"), ("0001-01-01", "before 1900"),
                                              ("1899-12-31 23:59", "before 1900"), ("2026-12-08", "in the future"),
                                              ("2099-01-01", "in the future")])
def test_out_of_range_moments_are_refused(when, words):
    with pytest.raises(InputError, match=words):
        parse_when(when, "UTC", NOW)


@pytest.mark.parametrize("when", ["1900-01-01", "1900-01-01 00:00", "1969-07-20 20:17", "2026-12-07",
                                  "2026-12-07 12:04"])
def test_moments_in_range_are_kept(when):
    assert parse_when(when, "UTC", NOW)["occurred_at"].startswith(when.replace(" ", "T")[:10])


def test_date_only_today_in_a_zone_ahead_is_not_future():
    late = NOW.replace(hour=23)  # already 8 December in Auckland
    assert parse_when("2026-12-08", "Pacific/Auckland", late)["time_known"] == "no"
    assert parse_when("now", "UTC", NOW + timedelta(0))["occurred_at"].startswith("2026-12-07")


def test_the_real_cli_refuses_year_one_and_adds_nothing(log_dir, run):
    done = run("log", "add", "--folder", str(log_dir), "--no-interactive", "--what", "x", "--when",
               "0001-01-01 00:00")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "before 1900" in done.stderr, done.stderr
    with LogStore.open(log_dir) as store:
        assert list(store.rows()) == []


def test_json_from_stdin_is_capped_like_a_file(log_dir, run):
    big = json.dumps({"what_happened": "x" * (1024 * 1024)})
    done = run("log", "add", "--folder", str(log_dir), "--no-interactive", "--json", "-", input=big)
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert "larger than 1 MB" in done.stderr and "standard input" in done.stderr
    small = run("log", "add", "--folder", str(log_dir), "--no-interactive", "--json", "-",
                input=json.dumps({"what_happened": "kept"}))
    assert small.returncode == 0, small.stderr
