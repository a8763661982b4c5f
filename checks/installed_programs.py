r"""DS-PROC-030: monitoring software in the list of installed programs.

What it looks at: Windows' installed programs (the Uninstall keys of the machine, of 32-bit
programs and of the current user: name, publisher, install folder, install date, including
entries hidden from Settings > Apps), macOS applications in /Applications and ~/Applications
(the bundle ID and name in each app's Info.plist), and Linux packages (dpkg, rpm's SQLite
database, flatpak and snap). Each program is compared with the monitoring-software database by
name, bundle ID and install folder; a publisher that names the product's maker adds weight but
never counts on its own. Nothing is changed.

Why it matters: installed software can be waiting even when it is not running and does not start
by itself yet, and the install date can help to tell when it arrived.

False positives: a remote-access or parental-control tool you installed yourself, or IT support
software on a work laptop. A name match alone is weak: the finding says so. A caseworker can mark
a tool as known with `--known NAME`.

Limits: other Windows accounts' own programs (their HKCU) are not read; rpm databases older than
the SQLite format (and SUSE's) need rpm itself: the report says so.

What to do: do not uninstall anything yet. Record it (this report names the registry key, app or
package) and talk to a stalking advocate (ISAC) before changing anything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

from digisafe.core.check import Check, Yielded

if TYPE_CHECKING:
    from digisafe.core.context import Context
    from digisafe.indicators import Match, Matcher
    from digisafe.inventory.model import InstalledProgram, Inventory
    from digisafe.monitoring.collect import Indicators

CHECK_ID = "DS-PROC-030"
MAX_EVIDENCE = 10


def program_matches(program: InstalledProgram, matcher: Matcher) -> list[Match]:
    """What an installed program shows of a product: name, bundle ID, folder, program file; then the
    publisher, kept only for products already seen another way."""
    found = list(matcher.program(program.name))
    if program.bundle_id:
        found += matcher.bundle_id(program.bundle_id)
    if program.location:
        found += matcher.path(program.location) + matcher.path(program.location.rstrip("\\/") + "/")
    if program.program:
        found += matcher.process(program.program.replace("\\", "/").rsplit("/", 1)[-1], program.program)
    products = {m.product.id for m in found}
    if program.publisher and products:
        found += [m for m in matcher.publisher(program.publisher) if m.product.id in products]
    return list(dict.fromkeys(found))


def installed_matches(programs: Iterable[InstalledProgram], matcher: Matcher) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for program in programs:
        for match in program_matches(program, matcher):
            slot = found.setdefault(match.product.id, {"product": match.product, "matches": [], "programs": []})
            slot["matches"].append(match)
            if program not in slot["programs"]:
                slot["programs"].append(program)
    return found


def program_evidence(program: InstalledProgram) -> dict[str, Any]:
    data = {
        "name": program.name,
        "kind": program.kind,
        "source": program.source,
        "publisher": program.publisher,
        "version": program.version,
        "location": program.location,
        "program": program.program,
        "installed": program.installed,
        "bundle_id": program.bundle_id,
    }
    data = {k: v for k, v in data.items() if v}
    if program.hidden:
        data["hidden_from_apps_list"] = True
    return data


class InstalledProgramsCheck(Check):
    id = CHECK_ID
    title = "Monitoring software in the installed programs"
    category = "monitoring"
    requires = ("administrator rights for other accounts' programs",)
    why = "Installed monitoring software can be waiting even when it is not running."

    def run(self, ctx: Context) -> Iterable[Yielded]:
        from digisafe.inventory.collect import collect_inventory
        from digisafe.monitoring.collect import indicators

        found = indicators(ctx)
        yield from self.judge(collect_inventory(ctx), found)

    def judge(self, inventory: Inventory, found: Indicators) -> Iterable[Yielded]:
        """Products among the installed programs; no Context needed."""
        if found.warning:
            yield self.limitation(found.warning)
        for problem in inventory.limitations:
            yield self.limitation(problem)
        matches = installed_matches(inventory.programs, found.matcher)
        for product_id in sorted(matches):
            yield self._finding(found, matches[product_id])

    def _finding(self, found: Indicators, slot: dict[str, Any]) -> Yielded:
        from digisafe.monitoring.judgement import describe, judge, product_evidence

        product, matches = slot["product"], slot["matches"]
        programs: list[InstalledProgram] = slot["programs"]
        verdict = judge(product, matches, found.known_tools)
        title, detail, advice = describe(product, verdict, "is installed")
        if any(p.hidden for p in programs):
            detail += " It is hidden from the list of apps in Settings."
        dates = sorted(p.installed for p in programs if p.installed)
        if dates:
            detail += f" Installed on {dates[0]}."
        evidence = product_evidence(product, matches)
        evidence["installed_programs"] = [program_evidence(p) for p in programs[:MAX_EVIDENCE]]
        evidence["indicator_version"] = found.version
        first = programs[0]
        return self.finding(
            verdict.severity,
            title,
            subject=f"{first.name} ({first.source})",
            detail=detail,
            confidence=verdict.confidence,
            evidence=evidence,
            advice=advice,
            guidance="laptop.monitoring-software",
        )
