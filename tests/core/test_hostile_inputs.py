"""Hostile input files (issue 13): a FIFO, /dev/zero, deep nesting, huge files, long numbers.

Each is one line on stderr and exit 2: never a hang, a traceback, a crash or exit 3. The cases
that hung, crashed or ate gigabytes before run in a child process with a timeout and a memory
limit, so a regression fails the test instead of the machine.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digisafe.cli import main
from tests.sample_report import sample_report

POSIX = os.name == "posix"
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this OS")


def _memory_cap() -> None:  # pragma: no cover - runs in the child
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024 * 1024, 1536 * 1024 * 1024))


def run_child(tmp_path: Path, *args: str, timeout: float = 30) -> subprocess.CompletedProcess:
    """`python -m digisafe ARGS` in a child; a hang fails after ``timeout`` seconds."""
    env = {**os.environ, "HOME": str(tmp_path), "NO_COLOR": "1"}
    try:
        return subprocess.run([sys.executable, "-m", "digisafe", *args], capture_output=True, text=True,
                              timeout=timeout, env=env, cwd=tmp_path, preexec_fn=_memory_cap if POSIX else None)
    except subprocess.TimeoutExpired:
        pytest.fail(f"digisafe {' '.join(args)} hung for {timeout} s")


def run_here(capsys, *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    out, err = capsys.readouterr()
    return exc.value.code, out, err


def assert_one_line_exit_2(code: int, out: str, err: str, *words: str) -> None:
    assert code == 2, (code, err[-2000:])
    assert "Traceback" not in err and out == ""
    assert len(err.strip().splitlines()) == 1, err
    for word in words:
        assert word in err, err


def commands(path: Path, tmp_path: Path) -> dict[str, list[str]]:
    """Every command that reads a file the user names, reading ``path``."""
    return {
        "report": ["report", str(path)],
        "checklist": ["checklist", "--from-report", str(path), "--format", "text"],
        "profile": ["audit", "--profile", str(path)],
        "listing": ["processes", "--from", str(path)],
        "feed": ["indicators", "update", "--from", str(path), "--data-dir", str(tmp_path / "data")],
    }


@needs_fifo
@pytest.mark.parametrize("command", ["report", "checklist", "profile", "listing", "feed"])
def test_a_fifo_named_as_input_is_refused_at_once(tmp_path, command) -> None:
    fifo = tmp_path / "input.json"
    os.mkfifo(fifo)
    done = run_child(tmp_path, *commands(fifo, tmp_path)[command])
    assert_one_line_exit_2(done.returncode, done.stdout, done.stderr, "not a regular file")
    assert not (tmp_path / "data").exists()


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero on this OS")
@pytest.mark.parametrize("command", ["report", "checklist", "profile", "listing", "feed"])
def test_dev_zero_is_refused_without_reading_it(tmp_path, command) -> None:
    done = run_child(tmp_path, *commands(Path("/dev/zero"), tmp_path)[command])
    assert_one_line_exit_2(done.returncode, done.stdout, done.stderr, "/dev/zero", "not a regular file")


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="no /proc here")
def test_the_cap_is_on_what_is_read_not_on_what_stat_says() -> None:
    from digisafe.core.errors import InputError
    from digisafe.core.safefile import read_limited

    status = Path("/proc/self/status")
    assert status.stat().st_size == 0 and status.is_file()  # a regular file that says "empty"
    with pytest.raises(InputError, match="larger than 100 bytes"):
        read_limited(status, 100, "report")
    assert read_limited(status, 1 << 20, "report").startswith(b"Name:")


def _deep(kind: str, depth: int = 100_000) -> str:
    if kind == "toml":
        return "only = " + "[" * depth + "\n"
    if kind == "yaml-block":  # what crashed PyYAML's C loader with SIGSEGV
        return "- " + "[" * depth + "\n"
    return "[" * depth + "\n"


@pytest.mark.parametrize(
    "command,kind",
    [("report", "json"), ("checklist", "json"), ("listing", "json"), ("feed", "json"), ("profile", "toml")],
)
def test_deeply_nested_input_is_one_line_not_a_recursion_error(tmp_path, capsys, command, kind) -> None:
    path = tmp_path / f"deep.{kind}"
    path.write_text(_deep(kind))
    code, out, err = run_here(capsys, *commands(path, tmp_path)[command])
    assert_one_line_exit_2(code, out, err, "nested more than 64 levels deep")


def test_deeply_nested_yaml_feed_does_not_crash_the_process(tmp_path) -> None:
    path = tmp_path / "ioc.yaml"
    path.write_text(_deep("yaml-block"))
    done = run_child(tmp_path, *commands(path, tmp_path)["feed"])
    assert done.returncode != -11, "SIGSEGV in the YAML loader"
    assert_one_line_exit_2(done.returncode, done.stdout, done.stderr, "nested more than 64 levels deep")


def test_a_report_nested_under_pythons_recursion_limit_is_still_refused(tmp_path, capsys) -> None:
    """800 levels parse, but the renderers would recurse on them later: refused at the loader."""
    data = sample_report().to_dict()
    nested: object = "x"
    for _ in range(800):
        nested = {"a": nested}
    data["results"][0]["findings"][0]["evidence"]["note"] = nested
    path = tmp_path / "r.json"
    path.write_text(json.dumps(data))
    for fmt in ("json", "html"):
        code, out, err = run_here(capsys, "report", str(path), "--format", fmt)
        assert_one_line_exit_2(code, out, err, "nested more than 64 levels deep")


@pytest.mark.parametrize("command", ["report", "listing", "feed", "profile"])
def test_a_number_too_long_for_python_is_one_line(tmp_path, capsys, command) -> None:
    path = tmp_path / "long"
    path.write_text(("x = " if command == "profile" else "[") + "1" * 5000 + ("\n" if command == "profile" else "]"))
    code, out, err = run_here(capsys, *commands(path, tmp_path)[command])
    assert_one_line_exit_2(code, out, err, "a number too long to read")


@pytest.mark.parametrize(
    "command,size,words",
    [
        ("profile", 1024 * 1024 + 1, ("larger than 1 MB", "profile")),
        ("listing", 8 * 1024 * 1024 + 1, ("larger than 8 MB", "process listing")),
        ("feed", 16 * 1024 * 1024 + 1, ("larger than 16 MB", "feed")),
        ("report", 64 * 1024 * 1024 + 1, ("larger than 64 MB", "report")),
    ],
)
def test_files_over_the_documented_limits_are_refused_with_the_size(tmp_path, capsys, command, size, words) -> None:
    path = tmp_path / "big"
    with open(path, "wb") as handle:  # sparse: no disk used, but every byte is read
        handle.truncate(size)
    code, out, err = run_here(capsys, *commands(path, tmp_path)[command])
    assert_one_line_exit_2(code, out, err, *words)


def test_a_yaml_feed_over_2_mb_is_refused_before_parsing(tmp_path, capsys) -> None:
    entry = "- name: Example\n  type: stalkerware\n  packages:\n  - com.example.app\n"
    path = tmp_path / "ioc.yaml"
    path.write_text(entry * (2 * 1024 * 1024 // len(entry) + 1))
    code, out, err = run_here(capsys, *commands(path, tmp_path)["feed"])
    assert_one_line_exit_2(code, out, err, "larger than 2 MB")


def test_a_folder_named_as_input_is_one_line(tmp_path, capsys) -> None:
    for command in ("profile", "listing", "feed"):
        code, out, err = run_here(capsys, *commands(tmp_path, tmp_path)[command])
        assert code == 2 and "Traceback" not in err and out == ""


def test_a_deeply_nested_indicator_store_is_skipped_with_a_note(tmp_path, capsys) -> None:
    """The stored feeds live in the user's data folder: a planted deep store must not crash audits."""
    folder = tmp_path / "data" / "indicators"
    folder.mkdir(parents=True)
    (folder / "store.json").write_text(_deep("json"))
    code, out, err = run_here(capsys, "indicators", "info", "--data-dir", str(tmp_path / "data"))
    assert code == 0, err
    assert "could not be used (not valid JSON (nested more than 64 levels deep))" in out
    assert "using the built-in indicators only" in out


_KEYS = ["name", "names", "type", "packages", "websites", "c2", "certificates", "distribution", "Name", "Details",
         "Artifacts", "Disk", "Network", "File", "Domains", "Description", "PEMetadata", "Signer", "InstallationPaths"]
_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(_KEYS), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.dictionaries(st.sampled_from(_KEYS), _VALUES, max_size=5), min_size=1, max_size=3),
       st.sampled_from(["echap-yaml", "lolrmm-json"]))
def test_feeds_of_the_right_shape_with_wrong_types_inside_give_a_feed_error(entries, kind) -> None:
    """Found this way: `type: [stalkerware]` in an Echap entry was a TypeError (exit 3)."""
    import yaml

    from digisafe.indicators.feeds import FeedError
    from digisafe.indicators.update import convert

    key = "name" if kind == "echap-yaml" else "Name"
    entries = [{key: "Example", **e} for e in entries]
    if kind == "echap-yaml":
        entries[0]["type"] = entries[0].get("type") if "type" in entries[0] else "stalkerware"
        raw = yaml.safe_dump(entries).encode()
    else:
        raw = json.dumps(entries).encode()
    try:
        convert(raw, "fuzz")
    except FeedError:
        pass


def test_an_echap_entry_whose_type_is_a_list_is_a_feed_error() -> None:
    from digisafe.indicators.feeds import FeedError
    from digisafe.indicators.update import convert

    with pytest.raises(FeedError):
        convert(b"- name: Example\n  type: [stalkerware]\n  packages: [com.example]\n", "t")


@pytest.mark.parametrize("kind", ["fifo", "zero", "deep"])
def test_log_add_json_file_is_read_like_every_other_named_file(tmp_path, kind) -> None:
    """`digisafe log add --json FILE`: the same bugs (hang, 2.6 GB then MemoryError, RecursionError)."""
    if kind == "fifo":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs on this OS")
        path = tmp_path / "fields.json"
        os.mkfifo(path)
    elif kind == "zero":
        if not os.path.exists("/dev/zero"):
            pytest.skip("no /dev/zero on this OS")
        path = Path("/dev/zero")
    else:
        path = tmp_path / "fields.json"
        path.write_text(_deep("json"))
    code = "\n".join([
        "import sys", "from digisafe.commands.log_input import load_json_fields",
        "from digisafe.core.errors import InputError", "try:", f"    load_json_fields({str(path)!r})",
        "except InputError as exc:", "    sys.exit(str(exc))", ""])
    try:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30, cwd=tmp_path,
                              preexec_fn=_memory_cap if POSIX else None)
    except subprocess.TimeoutExpired:
        pytest.fail("log add --json hung")
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr[-800:]
    assert ("nested more than 64" if kind == "deep" else "not a regular file") in done.stderr


@pytest.mark.parametrize("kind", ["lolrmm", "echap"])
def test_a_feed_with_more_entries_than_kept_converts_only_what_it_keeps(kind, monkeypatch) -> None:
    """Conversion costs about 2 ms an entry: 37,000 tools (15.5 MB) took 26 s, then 5,000 were kept.
    Counted by the entry IDs made (one slug per converted entry), not timed."""
    from digisafe.indicators import feeds, lolrmm
    from digisafe.indicators.update import convert

    made: list[str] = []
    original = feeds.slug

    def counting_slug(text: str) -> str:
        made.append(text)
        return original(text)

    monkeypatch.setattr(feeds, "slug", counting_slug)
    monkeypatch.setattr(lolrmm, "slug", counting_slug)
    count = feeds.MAX_PRODUCTS * 3
    if kind == "lolrmm":
        raw = json.dumps([{"Name": f"Tool {n}", "Details": {"InstallationPaths": [f"C:\\Tool{n}\\tool{n}.exe"]}}
                          for n in range(count)]).encode()
    else:
        raw = "".join(f"- name: Spy{n}\n  type: stalkerware\n  websites:\n  - spy{n}.example.com\n"
                      for n in range(count)).encode()
    result = convert(raw, label="big")
    assert 0 < len(result.products) <= feeds.MAX_PRODUCTS
    assert len(made) <= feeds.MAX_PRODUCTS, f"{len(made)} entries converted for {feeds.MAX_PRODUCTS} kept"


def test_a_billion_laughs_yaml_feed_is_refused_at_once(tmp_path) -> None:
    """40 lines of anchors and aliases expand to 2^40 items: any walk over the result never ends."""
    lines = ["- name: x", "  type: stalkerware", "  l0: &l0 [a, b]"]
    lines += [f"  l{i}: &l{i} [*l{i - 1}, *l{i - 1}]" for i in range(1, 40)]
    path = tmp_path / "ioc.yaml"
    path.write_text("\n".join(lines) + "\n")
    done = run_child(tmp_path, *commands(path, tmp_path)["feed"])
    assert_one_line_exit_2(done.returncode, done.stdout, done.stderr, "YAML aliases")
