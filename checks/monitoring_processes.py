"""DS-PROC-010: running programs that are known stalkerware, monitoring, keylogger or remote-access tools.

What it looks at: every running program (its name, program file, command line, user, start time
and parent) compared with digisafe's database of monitoring software (`digisafe indicators info`
shows its version and sources). Confidence grows with the signals that agree: the program's name,
its install folder, the app's bundle ID (macOS), a service or an autostart entry that belongs to
the same product. It also
catches programs that borrow the name of a system program (for example csrss.exe or services.exe)
but run from another folder: SentryPC and Teramind hide this way.

Why it matters: monitoring software records keystrokes, screens, messages and locations and sends
them to someone else. Remote-access tools (TeamViewer, AnyDesk, ...) are ordinary programs with
ordinary uses, but if you did not install one, someone may be able to see or control this laptop.

Evidence: for each finding, the program file, its SHA-256 (programs over 200 MiB are not hashed),
size, start time (UTC), user, command line, process and parent IDs, and the indicators that
matched, so a caseworker or the police can verify it later.

False positives: remote-access and parental-control tools you installed yourself, work IT tools
(reported at low severity: on a work laptop they are probably the IT department's), and name-only
matches (a program that happens to share a name). Weak matches say so. Everyday programs that can
also reach other computers (PuTTY, WinSCP, Syncthing...) are listed as information only. A caseworker
can mark a tool as known and agreed to with `--known NAME` (or `known` in a profile): it is then
listed as information only.

Limits: without administrator rights the system hides the program file of other users' programs;
those are matched by name only and the report says so. A listing captured elsewhere
(`digisafe processes --from FILE`) is matched the same way but cannot be hashed. Finding nothing
does not prove the laptop is free of monitoring software.

What to do: do not uninstall or stop anything yet. Record the finding (this report, photos of the
screen) and talk to a stalking advocate (ISAC) or the National Stalking Helpline (0808 802 0300).
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING, Any, Iterable

from digisafe.core.check import SAFETY_CAUTION, Check, Yielded
from digisafe.core.model import Confidence, Severity
from digisafe.core.options import OptionSpec
from digisafe.core.platforms import Platform
from digisafe.core.subject import SubjectKind

if TYPE_CHECKING:
    from digisafe.core.context import Context, ProcessInfo
    from digisafe.indicators import Match, Matcher, Product
    from digisafe.monitoring.autostart_sources import AutostartScan
    from digisafe.monitoring.collect import Indicators, ProcessSnapshot

CHECK_ID = "DS-PROC-010"
MAX_CMDLINE = 2000
MAX_INSTANCES = 10


def installed_signals(scan: AutostartScan, matcher: Matcher) -> dict[str, list[Match]]:
    """product id -> service/autostart matches found among the autostart entries."""
    from digisafe.monitoring.judgement import autostart_matches

    found: dict[str, list[Match]] = defaultdict(list)
    for entry in scan.entries:
        for hit in autostart_matches(entry, matcher):
            found[hit.product.id].append(hit)
    return found


def bundle_matches(exe: str | None, matcher: Matcher, bundle_ids: dict[str, str | None]) -> list[Match]:
    """macOS: matches for the bundle IDs of the .app bundles a program file lives in."""
    from digisafe.monitoring.collect import app_bundles

    found: list[Match] = []
    for app in app_bundles(exe):
        if bundle_ids.get(app):
            found += matcher.bundle_id(bundle_ids[app])
    return found


def process_evidence(snapshot: ProcessSnapshot, proc: ProcessInfo) -> dict[str, Any]:
    from digisafe.monitoring.judgement import utc_iso

    cmdline = " ".join(proc.cmdline)
    evidence: dict[str, Any] = {
        "pid": proc.pid,
        "ppid": proc.ppid,
        "name": proc.name,
        "exe": proc.exe,
        "user": proc.username,
        "started": utc_iso(proc.create_time),
        "cmdline": cmdline[:MAX_CMDLINE] + ("..." if len(cmdline) > MAX_CMDLINE else ""),
    }
    evidence.update(snapshot.fingerprint(proc))
    return evidence


def argv0_name(proc: ProcessInfo, platform: str) -> str:
    """The file name of the program in the command line (a Windows listing has it as one string)."""
    from digisafe.monitoring.autostart import program_of

    if not proc.cmdline:
        return ""
    first = proc.cmdline[0]
    if len(proc.cmdline) == 1 and " " in first.strip():
        first = program_of(first, windows=Platform.parse(platform) is Platform.WINDOWS)
    return re.split(r"[\\/]", first.strip().strip('"'))[-1]


# Kernel tasks and Windows pseudo-processes have no program file at all: nothing is hidden there.
_NO_PROGRAM_FILE = frozenset(
    {"System Idle Process", "System", "Registry", "Memory Compression", "Secure System", "kernel_task", "Idle"}
)


def expects_program_file(proc: ProcessInfo) -> bool:
    first = proc.cmdline[0] if proc.cmdline else ""
    kernel_thread = first.startswith("[") and first.endswith("]")  # how ps shows Linux kernel threads
    return proc.name not in _NO_PROGRAM_FILE and not kernel_thread


def hidden_count(processes: Iterable[ProcessInfo], captured: bool) -> int:
    """Programs whose file (or owner, live) we could not see; Linux kernel threads have neither."""
    if captured:
        return sum(1 for p in processes if p.exe is None and expects_program_file(p))
    return sum(
        1 for p in processes if expects_program_file(p) and ((p.exe is None and p.cmdline) or p.username is None)
    )


class MonitoringProcessesCheck(Check):
    id = CHECK_ID
    title = "Running monitoring software, keyloggers and remote-access tools"
    category = "monitoring"
    subjects = frozenset({SubjectKind.LAPTOP, SubjectKind.LISTING})
    requires = ("administrator rights to see other users' program files",)
    why = "Monitoring software records what you do and sends it to someone else."
    options = {  # NOTE: "captured" is set by `digisafe processes --from`, never by a profile
        "hash_max_bytes": OptionSpec("integer", "program files larger than this are not hashed", minimum=0),
    }

    def run(self, ctx: Context) -> Iterable[Yielded]:
        from digisafe.monitoring.collect import collect_processes, indicators

        found = indicators(ctx)
        yield from self.judge(collect_processes(ctx), found)

    def judge(self, snapshot: ProcessSnapshot, found: Indicators) -> Iterable[Yielded]:
        """Findings for the running programs in ``snapshot``; no Context needed."""
        matcher, captured = found.matcher, snapshot.captured
        if found.warning:
            yield self.limitation(found.warning)
        processes = list(snapshot.processes)
        yield from self._coverage(processes, captured, snapshot.is_admin)
        installed: dict[str, list[Match]] = {}
        if snapshot.autostart is not None:
            installed = installed_signals(snapshot.autostart, matcher)
            unreadable = snapshot.autostart.unreadable
            if unreadable:
                yield self.limitation(
                    f"{len(unreadable)} autostart location(s) could not be read (needs administrator rights), "
                    f"for example {unreadable[0]}"
                )
        groups: dict[tuple[str, str], dict[str, Any]] = {}
        on_mac = snapshot.platform is Platform.MACOS and not captured
        for proc in processes:
            extra = bundle_matches(proc.exe, matcher, dict(snapshot.bundle_ids)) if on_mac else []
            self._group(proc, matcher, installed, groups, extra)
        for group in sorted(groups.values(), key=lambda g: (g["key"], g["procs"][0].pid)):
            yield self._finding(snapshot, found, group)

    def _coverage(self, processes: list[ProcessInfo], captured: Any, ctx_admin: bool) -> Iterable[Yielded]:
        if not processes:
            yield self.limitation("no running programs could be listed")
            return
        if captured and not any(p.exe for p in processes):
            yield self.limitation(
                f"the listing ({captured}) has no program locations: programs were matched by name only, and a "
                "program borrowing a system program's name cannot be spotted (capture with Get-CimInstance for paths)"
            )
            return
        hidden = hidden_count(processes, bool(captured))
        if hidden and captured:
            yield self.limitation(
                f"the listing ({captured}) gives no program location for {hidden} of {len(processes)} programs: "
                "they were matched by name only"
            )
        elif hidden:
            why = "the system hid them even from an administrator" if ctx_admin else "needs administrator rights"
            yield self.limitation(
                f"{hidden} of {len(processes)} programs could not be fully inspected (their program file or user "
                f"was hidden: {why}); they were matched by name only"
            )

    @staticmethod
    def _group(proc: ProcessInfo, matcher: Matcher, installed: dict, groups: dict, extra: list[Match]) -> None:
        matches = list(dict.fromkeys(matcher.process(proc.name, proc.exe) + extra))
        program = argv0_name(proc, matcher.platform)
        if program and not proc.exe and program != proc.name:
            # NOTE: Linux truncates process names to 15 characters; argv[0] still holds the full name.
            matches = list(dict.fromkeys(matches + matcher.process(program, None)))
        reason = matcher.masquerade(proc.name, proc.exe)
        place = (proc.exe or proc.name).lower()
        by_product: dict[str, list[Match]] = defaultdict(list)
        for match in matches:
            by_product[match.product.id].append(match)
        for product_id, found in by_product.items():
            key = (product_id, place)
            group = groups.setdefault(
                key, {"key": key, "product": found[0].product, "matches": [], "procs": [], "masquerade": reason}
            )
            group["matches"] = list(dict.fromkeys(group["matches"] + found + installed.get(product_id, [])))
            group["procs"].append(proc)
        if reason and not by_product:
            key = ("~masquerade", place)
            blank = {"key": key, "product": None, "matches": [], "procs": [], "masquerade": reason}
            group = groups.setdefault(key, blank)
            group["procs"].append(proc)

    def _finding(self, snapshot: ProcessSnapshot, found: Indicators, group: dict[str, Any]) -> Yielded:
        from digisafe.monitoring.judgement import describe, judge, product_evidence, utc_iso

        procs: list[ProcessInfo] = group["procs"]
        first = procs[0]
        evidence = process_evidence(snapshot, first)
        if len(procs) > 1:
            evidence["instances"] = [
                {"pid": p.pid, "ppid": p.ppid, "user": p.username, "started": utc_iso(p.create_time)}
                for p in procs[:MAX_INSTANCES]
            ]
            evidence["instance_count"] = len(procs)
        evidence["indicator_version"] = found.version
        product: Product | None = group["product"]
        subject = f"{first.exe or first.name} (pid {first.pid})"
        if product is None:
            return self._masquerade_finding(group["masquerade"], subject, evidence)
        verdict = judge(product, group["matches"], found.known_tools, masquerade=bool(group["masquerade"]))
        title, detail, advice = describe(product, verdict, "is running")
        if group["masquerade"]:
            detail += f" It is disguised: {group['masquerade']}."
            evidence["masquerade"] = group["masquerade"]
        evidence.update(product_evidence(product, group["matches"]))
        return self.finding(
            verdict.severity,
            title,
            subject=subject,
            detail=detail,
            confidence=verdict.confidence,
            evidence=evidence,
            advice=advice,
            guidance="laptop.monitoring-software",
        )

    def _masquerade_finding(self, reason: str, subject: str, evidence: dict[str, Any]) -> Yielded:
        evidence["masquerade"] = reason
        return self.finding(
            Severity.HIGH,
            "A program is disguised as part of the operating system",
            subject=subject,
            detail=f"{reason}. Real system programs never run from there; spying tools hide this way. "
            "It may also be other unwanted software.",
            confidence=Confidence.MEDIUM,
            evidence=evidence,
            advice="Record the program file and its SHA-256 (in this report) so an expert can identify it. "
            + SAFETY_CAUTION,
            guidance="laptop.monitoring-software",
        )
