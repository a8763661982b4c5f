r"""DS-PROC-020: monitoring software that is installed or set to start automatically (even if not running now).

What it looks at: the places that start programs automatically, and the install folders of known
monitoring products. Linux: ~/.config/autostart and /etc/xdg/autostart (.desktop files), systemd
units in ~/.config/systemd/user, /etc/systemd/user and /etc/systemd/system, and crontabs
(/etc/crontab, /etc/cron.d, /var/spool/cron); other accounts' folders under /home too. macOS:
LaunchAgents and LaunchDaemons (~/Library/LaunchAgents and other accounts' under /Users,
/Library/LaunchAgents, /Library/LaunchDaemons). Windows: the Run and RunOnce registry keys
(current user, machine, and 32-bit), services, scheduled tasks (the Windows\System32\Tasks
folder), Winlogon Userinit/Shell, and the Startup folders (shortcuts are followed to their
program). Each entry is compared with the monitoring-software database; entries that start a
program from a temporary or hidden folder are reported too, because real software is rarely
installed there.

Why it matters: monitoring software starts itself every time the laptop starts, so it can be
installed and waiting even when it is not running at the moment of the check.

False positives: remote-access or parental-control tools you installed yourself; your own scripts
kept in a hidden folder. Programs that are running now are reported by DS-PROC-010 instead.
A caseworker can mark a tool as known with `--known NAME`.

Limits: other users' crontabs, home folders and some system folders need administrator rights;
the report says which places could not be read. Other Windows accounts' Run keys are not read.

What to do: do not delete the entry or uninstall the program. Record it (this report names the
file or registry key) and talk to a stalking advocate (ISAC) before changing anything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

from digisafe.core.check import SAFETY_CAUTION, Check, Yielded
from digisafe.core.model import Confidence, Severity

if TYPE_CHECKING:
    from digisafe.core.context import Context, ProcessInfo
    from digisafe.indicators import Match, Matcher, Product
    from digisafe.monitoring.autostart import AutostartEntry
    from digisafe.monitoring.collect import Indicators, InstalledSnapshot

CHECK_ID = "DS-PROC-020"


def entry_matches(entry: AutostartEntry, matcher: Matcher) -> list[Match]:
    from digisafe.monitoring.judgement import autostart_matches

    found = autostart_matches(entry, matcher)
    if entry.kind == "launchd" and entry.name:
        found += matcher.bundle_id(entry.name)
    if entry.program:
        found += matcher.path(entry.program)
    return list(dict.fromkeys(found))


def install_path_matches(product: Product, platform: str, paths: list[tuple[str, Any]]) -> list[Match]:
    """The install-path signal for folders found on disk (the folder itself, so no glob test)."""
    from digisafe.indicators import Match

    host = product.host(platform)
    level = host.verified or product.verified
    return [Match(product, "install-path", pattern, level) for pattern, _found in paths]


def running_products(processes: Iterable[ProcessInfo], matcher: Matcher) -> set[str]:
    return {m.product.id for p in processes for m in matcher.process(p.name, p.exe)}


def entry_evidence(entry: AutostartEntry) -> dict[str, Any]:
    return {
        "kind": entry.kind,
        "location": entry.location,
        "name": entry.name,
        "command": entry.command[:1000],
        "program": entry.program,
        "enabled": entry.enabled,
    }


class MonitoringInstalledCheck(Check):
    id = CHECK_ID
    title = "Monitoring software installed or set to start automatically"
    category = "monitoring"
    requires = ("administrator rights to read other users' crontabs and some system folders",)
    why = "Monitoring software starts itself with the laptop, so it can be waiting even when not running."

    def run(self, ctx: Context) -> Iterable[Yielded]:
        from digisafe.monitoring.collect import collect_installed, indicators

        found = indicators(ctx)
        yield from self.judge(collect_installed(ctx, found.db), found)

    def judge(self, snapshot: InstalledSnapshot, found: Indicators) -> Iterable[Yielded]:
        """Findings for what starts automatically or is installed; no Context needed."""
        from digisafe.monitoring.autostart import unusual_location

        if found.warning:
            yield self.limitation(found.warning)
        scan = snapshot.autostart
        if snapshot.registry_missing:
            yield self.limitation("the Windows registry could not be read: Run keys and services were not checked")
        if scan.unreadable:
            more = f" and {len(scan.unreadable) - 1} more" if len(scan.unreadable) > 1 else ""
            yield self.limitation(
                f"could not read {scan.unreadable[0]}{more} (other accounts' or system autostart places: "
                "needs administrator rights)"
            )
        running = running_products(snapshot.processes, found.matcher)
        products: dict[str, dict[str, Any]] = {}
        for entry in scan.entries:
            matches = entry_matches(entry, found.matcher)
            for match in matches:
                slot = products.setdefault(match.product.id, {"product": match.product, "matches": [], "entries": []})
                slot["matches"].append(match)
                if entry not in slot["entries"]:
                    slot["entries"].append(entry)
            if not matches:
                reason = unusual_location(entry.program)
                if reason:
                    yield self._unusual(entry, reason)
        for product_id, paths in snapshot.install_paths.items():
            product = found.db.product(product_id)
            slot = products.setdefault(product_id, {"product": product, "matches": [], "entries": []})
            slot["matches"] += install_path_matches(product, snapshot.platform, paths)
            slot["paths"] = [where for _pattern, where in paths]
        for product_id in sorted(products):
            if product_id in running:
                continue  # DS-PROC-010 reports it, with the autostart entry as a signal
            yield self._product_finding(found, products[product_id])

    def _product_finding(self, found: Indicators, slot: dict[str, Any]) -> Yielded:
        from digisafe.monitoring.judgement import describe, judge, product_evidence

        product, matches = slot["product"], list(dict.fromkeys(slot["matches"]))
        entries: list[AutostartEntry] = slot["entries"]
        verdict = judge(product, matches, found.known_tools)
        where = "is set to start automatically" if entries else "is installed"
        title, detail, advice = describe(product, verdict, where)
        if entries and not any(e.enabled for e in entries):
            detail += " Its autostart entry is switched off at the moment."
        evidence = product_evidence(product, matches)
        evidence["autostart"] = [entry_evidence(e) for e in entries[:10]]
        evidence["install_paths"] = slot.get("paths", [])
        evidence["indicator_version"] = found.version
        subject = entries[0].location if entries else evidence["install_paths"][0]
        return self.finding(
            verdict.severity,
            title,
            subject=subject,
            detail=detail,
            confidence=verdict.confidence,
            evidence=evidence,
            advice=advice,
            guidance="laptop.startup-items",
        )

    def _unusual(self, entry: AutostartEntry, reason: str) -> Yielded:
        temporary = reason.startswith("a temporary")
        severity = Severity.MEDIUM if temporary else Severity.LOW
        if not entry.enabled:
            severity = Severity.INFO if severity is Severity.LOW else Severity.LOW
        return self.finding(
            severity,
            f"A program in {reason} starts automatically",
            subject=entry.location,
            detail=f"{entry.program} is started automatically ({entry.kind}: {entry.name or entry.location}). "
            "Ordinary software is rarely kept in such a folder; spying tools and other unwanted software "
            "often are. It may also be something you or your IT support set up.",
            confidence=Confidence.MEDIUM if temporary else Confidence.LOW,
            evidence=entry_evidence(entry),
            advice="If you do not recognise it, record the entry (this report names the file or registry key). "
            + SAFETY_CAUTION,
            guidance="laptop.startup-items",
        )
