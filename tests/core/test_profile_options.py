"""Profile values checked against each check's declared options, naming the file and the line.

Before (issue 13, issue 12): `folders = 5` ran the audit and failed the check with "FAILED:
TypeError" (exit 4); an unknown option was silently ignored; `skip = ["DS-PHOTO-01"]` and
`fail_on = "hihg"` stopped with a message that named neither the profile nor the line.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from digisafe.core.check import Check, validate_check_class
from digisafe.core.errors import InputError
from digisafe.core.options import OptionSpec
from digisafe.core.profile import load_profile, validate_profile
from digisafe.core.registry import RegisteredCheck, Registry, load_registry
from tests.core.test_hostile_inputs import assert_one_line_exit_2, run_here


@pytest.mark.parametrize(
    "text,words",
    [
        ('only = ["DS-NET-010"]\n\n[checks."DS-PHOTO-010"]\nmax_files = 10\nfolders = 5\n',
         ("line 5", "DS-PHOTO-010 option folders must be a list of texts", "not the number 5")),
        ('[checks."ds-photo-010"]\nmax_files = "many"\n', ("line 2", "max_files must be a whole number")),
        ('[checks.DS-PHOTO-010]\nmax_seconds = -1\n', ("line 2", "must be at least 0")),
        ('[checks."DS-PHOTO-010"]\nmax_files = 1.5\n', ("line 2", "whole number")),
        ('[checks."DS-PHOTO-010"]\nmax_seconds = nan\n', ("line 2", "must be a finite number, not nan")),
        ('[checks."DS-PHOTO-010"]\nfolders = ["~/Pictures", 3]\n', ("line 2", "a list holding something other")),
        ('[checks."DS-PHOTO-010"]\n# a comment\nfolderz = ["x"]\n',
         ("line 3", "DS-PHOTO-010 has no option 'folderz'", "did you mean folders?")),
        ('[checks."DS-NET-010"]\nfoo = 1\n', ("line 2", "DS-NET-010 has no option 'foo' (it takes no options)")),
        ('skip = ["DS-NET-010"]\n\n[checks."DS-NET-01"]\nfoo = 1\n',
         ("line 3", "options for unknown check DS-NET-01", "did you mean DS-NET-010?")),
        ('# session\nskip = ["DS-PHOTO-01"]\n', ("line 2", "skip: unknown check ID DS-PHOTO-01", "DS-PHOTO-010?")),
        ('only = ["DS-NET-010", "DS-NOPE-999"]\n', ("line 1", "only: unknown check ID DS-NOPE-999")),
        ('known = []\nfail_on = "hihg"\n', ("line 2", "fail_on: unknown severity 'hihg'")),
        ('categories = ["remote-acces"]\n', ("line 1", "unknown category 'remote-acces'")),
        ('format = "jsn"\n', ("line 1", "format 'jsn' is not one of")),
    ],
)
def test_profile_value_errors_name_the_file_and_line(tmp_path, capsys, text, words) -> None:
    profile = tmp_path / "session.toml"
    profile.write_text(text)
    code, out, err = run_here(capsys, "audit", "--profile", str(profile))
    assert_one_line_exit_2(code, out, err, f"profile {profile}", *words)


def test_every_option_a_builtin_check_reads_is_declared() -> None:
    """A check reading ctx.option(ID, "name") must declare "name", or a profile could not set it."""
    import inspect
    import re

    for entry in load_registry().checks:
        source = inspect.getsource(inspect.getmodule(entry.cls))
        read = set(re.findall(r"ctx\.option\(\s*(?:self\.id|CHECK_ID)\s*,\s*\"(\w+)\"", source))
        read.discard("captured")  # set by `digisafe processes --from`, never by a profile
        assert read <= set(entry.cls.options), (entry.id, read - set(entry.cls.options))
        assert validate_check_class(entry.cls) is None


def test_a_good_profile_passes_and_its_options_reach_the_check(tmp_path) -> None:
    profile = tmp_path / "ok.toml"
    profile.write_text('fail_on = "never"\n[checks."DS-PHOTO-010"]\nfolders = "~/Pictures"\nmax_files = 5\n'
                       'max_seconds = 2.5\n[checks."DS-PROC-010"]\nhash_max_bytes = 0\n')
    loaded = load_profile(profile)
    validate_profile(loaded, load_registry())
    assert loaded.options["DS-PHOTO-010"] == {"folders": "~/Pictures", "max_files": 5, "max_seconds": 2.5}


class _Undeclared(Check):
    id = "DS-X-ACME-010"
    title = "a plugin that reads options without declaring them"

    def run(self, ctx):
        return []


class _Declared(Check):
    id = "DS-X-ACME-020"
    title = "a plugin that declares its options"
    options = {"depth": OptionSpec("integer", "how deep", minimum=1)}

    def run(self, ctx):
        return []


def _registry(*classes: type[Check]) -> Registry:
    return Registry(tuple(RegisteredCheck(c, "plugin acme 1.0") for c in classes), ())


def test_a_plugin_declaring_no_options_keeps_working(tmp_path) -> None:
    profile = tmp_path / "p.toml"
    profile.write_text('[checks."DS-X-ACME-010"]\nanything = {nested = [1, "two"]}\n')
    loaded = load_profile(profile)
    validate_profile(loaded, _registry(_Undeclared))  # unchecked, as before declared options existed
    assert loaded.options["DS-X-ACME-010"] == {"anything": {"nested": [1, "two"]}}
    assert validate_check_class(_Undeclared) is None


def test_a_plugin_declaring_options_is_checked(tmp_path) -> None:
    profile = tmp_path / "p.toml"
    profile.write_text('[checks."DS-X-ACME-020"]\ndepth = 0\n')
    with pytest.raises(InputError, match=r"line 2: DS-X-ACME-020 option depth must be at least 1"):
        validate_profile(load_profile(profile), _registry(_Declared))
    profile.write_text('[checks."DS-X-ACME-020"]\ndepth = 3\n')
    validate_profile(load_profile(profile), _registry(_Declared))


def test_option_specs_are_validated_when_declared() -> None:
    with pytest.raises(ValueError, match="unknown option kind"):
        OptionSpec("list")

    class Bad(Check):
        id = "DS-X-ACME-030"
        title = "declares options wrongly"
        options = {"depth": int}  # type: ignore[dict-item]

    assert "not a mapping of name to OptionSpec" in (validate_check_class(Bad) or "")


@pytest.mark.parametrize(
    "value,kind,ok",
    [
        (True, "flag", True), (1, "flag", False), (True, "integer", False), (3, "number", True),
        (2.0, "integer", False), ("a", "texts", True), (["a"], "texts", True), ([], "texts", True),
        ([1], "texts", False), ("a", "text", True), (["a"], "text", False),
    ],
)
def test_option_kinds(value, kind, ok) -> None:
    assert (OptionSpec(kind).problem(value) is None) is ok


def test_line_numbers_survive_dotted_and_inline_forms(tmp_path) -> None:
    profile = tmp_path / "p.toml"
    profile.write_text('only = ["DS-PHOTO-010"]\n[checks]\n"DS-PHOTO-010" = { max_files = "x" }\n')
    with pytest.raises(InputError, match=r"p.toml, line 3: DS-PHOTO-010 option max_files"):
        validate_profile(load_profile(profile), load_registry())
    assert Path(profile).exists()


def test_explain_lists_the_declared_options(capsys) -> None:
    code, out, _ = run_here(capsys, "explain", "DS-PHOTO-010")
    assert code == 0
    assert 'Profile options ([checks."DS-PHOTO-010"]):' in out
    assert "  max_files: a whole number; stop after this many files (default 2000)" in out
