"""Collect, then judge: DS-PROC-030 judged from an Inventory built by hand (no Context, no registry)."""

from __future__ import annotations

from digisafe.checks.installed_programs import InstalledProgramsCheck

from digisafe.core.model import Finding, Limitation, Severity
from digisafe.inventory.model import InstalledProgram, Inventory
from digisafe.monitoring.collect import Indicators


def split(items):
    items = list(items)
    return [i for i in items if isinstance(i, Finding)], [i.message for i in items if isinstance(i, Limitation)]


def test_installed_programs_judged_from_an_inventory():
    inventory = Inventory(
        (InstalledProgram("TeamViewer", r"HKLM\...\Uninstall\TeamViewer", "windows-uninstall",
                          "TeamViewer Germany GmbH", location="C:\\Program Files\\TeamViewer",
                          installed="2026-04-12", hidden=True),
         InstalledProgram("Notepad++", r"HKLM\...\Uninstall\Notepad++", "windows-uninstall", "Notepad++ Team")),
        limitations=("HKCU of other accounts needs administrator rights",),
    )  # fmt: skip
    findings, limits = split(InstalledProgramsCheck().judge(inventory, Indicators.for_platform("windows")))
    [tv] = findings
    assert tv.evidence["product"] == "teamviewer" and tv.severity is Severity.MEDIUM
    assert "hidden from the list of apps" in tv.detail and "Installed on 2026-04-12." in tv.detail
    assert limits == ["HKCU of other accounts needs administrator rights"]
    known = Indicators.for_platform("windows", frozenset({"teamviewer"}))
    assert [f.severity for f in split(InstalledProgramsCheck().judge(inventory, known))[0]] == [Severity.INFO]
