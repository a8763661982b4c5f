"""The closing block's save step names the command that audits that kind of subject again: a phone
report must not send the person to `digisafe audit` (which looks at the laptop instead)."""

from __future__ import annotations

import dataclasses

from digisafe.core.platforms import Platform
from digisafe.core.subject import SubjectKind
from digisafe.core.subject_info import SubjectInfo
from digisafe.render import render, wording
from tests.sample_report import sample_report


def with_subject(kind: SubjectKind, platform: Platform):
    return dataclasses.replace(sample_report(), subject=SubjectInfo(kind, platform, "described"))


def test_a_phone_reports_save_step_names_the_phone_audit():
    phone = with_subject(SubjectKind.ANDROID, Platform.ANDROID)
    assert any("digisafe phone audit --format html -o report.html" in s for s in wording.next_steps(phone))
    text = render(phone, "table", width=200)
    assert "digisafe phone audit --format html" in text and "hand over: digisafe audit" not in text


def test_a_listing_report_has_no_save_step_and_a_laptop_keeps_its_own():
    listing = with_subject(SubjectKind.LISTING, Platform.WINDOWS)
    assert not any(s.startswith("Save") for s in wording.next_steps(listing))
    laptop = with_subject(SubjectKind.LAPTOP, Platform.LINUX)
    assert any("Save" in s and "digisafe audit --format html" in s for s in wording.next_steps(laptop))


def test_the_laptop_coverage_line_stays_off_a_phone_report():
    coverage = {"indicators": {"version": "2026.12.07.1", "coverage": {"summary": ["stalkerware 149 (4 by program)"]}}}
    laptop = dataclasses.replace(with_subject(SubjectKind.LAPTOP, Platform.WINDOWS), sources=coverage)
    phone = dataclasses.replace(with_subject(SubjectKind.ANDROID, Platform.ANDROID), sources=coverage)
    assert "What this laptop's checks can recognise" in wording.indicator_note(laptop)
    assert wording.indicator_note(phone) == "Indicator database: 2026.12.07.1"
