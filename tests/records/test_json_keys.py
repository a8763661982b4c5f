"""`log add --json`: the documented keys work, and a guessed key (the flag name) is refused naming the
real ones (it said only "unknown field(s): what, where")."""

from __future__ import annotations

import json


def test_documented_json_keys_add_an_entry(log_dir, run) -> None:
    fields = {"when": "2026-11-30 21:15", "tz": "Europe/London", "location": "outside work",
              "what_happened": "He waited by the car", "reported": "no"}
    done = run("log", "add", "--folder", str(log_dir), "--json", "-", "--no-interactive", input=json.dumps(fields))
    assert done.returncode == 0, done.stderr
    shown = run("log", "show", "1", "--folder", str(log_dir)).stdout
    assert "outside work" in shown and "He waited by the car" in shown and "2026-11-30T21:15" in shown


def test_a_guessed_key_names_the_real_ones_and_adds_nothing(log_dir, run) -> None:
    done = run("log", "add", "--folder", str(log_dir), "--json", "-", "--no-interactive",
               input=json.dumps({"what": "He waited", "where": "work"}))
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "unknown field(s): what, where" in done.stderr and "what_happened" in done.stderr
    assert "location" in done.stderr
    assert "empty" in run("log", "list", "--folder", str(log_dir)).stdout
