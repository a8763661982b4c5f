"""DS-INPUT-020: apps allowed to record your keys, screen, camera or microphone (macOS privacy settings).

What it looks at: the macOS privacy database (TCC.db, for this user in
~/Library/Application Support/com.apple.TCC and for the whole Mac in
/Library/Application Support/com.apple.TCC): which apps were allowed Input Monitoring (can record
every key), Screen Recording, Accessibility (can read and control other apps), Full Disk Access,
the camera and the microphone. Apps are compared with the monitoring-software database; apps that
belong to macOS itself are left out. A copy of the database is read, never the live file.

Why it matters: on a Mac, monitoring software needs exactly these permissions to record keystrokes
and screenshots. Someone with the laptop and its password can grant them in a minute.

False positives: video-call apps (Zoom, Teams) ask for screen recording and the microphone;
password managers, window managers and remote-support tools ask for Accessibility. Everyday apps
are listed as information only. A grant made by device management (MDM) is marked as such.

Limits: reading TCC.db needs Full Disk Access for the program running digisafe (Terminal). Without
it this check is SKIPPED; then look by hand in System Settings > Privacy & Security.

What to do: go through System Settings > Privacy & Security > Input Monitoring, Screen & System
Audio Recording, Accessibility, Camera and Microphone, and note every app you do not recognise.
Do not switch anything off yet: talk to a stalking advocate (ISAC) first.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Iterable

from digisafe.core.check import SAFETY_CAUTION, Check, CheckSkipped, Yielded
from digisafe.core.model import Confidence, Severity
from digisafe.core.platforms import Platform

if TYPE_CHECKING:
    from digisafe.core.context import Context
    from digisafe.indicators import Match, Matcher
    from digisafe.monitoring.collect import Indicators
    from digisafe.monitoring.tcc import TccGrant, TccSnapshot

CHECK_ID = "DS-INPUT-020"
BY_HAND = (
    "Check by hand: System Settings > Privacy & Security > Input Monitoring, Screen & System Audio "
    "Recording, Accessibility, Camera and Microphone; note every app you do not recognise. To let "
    "digisafe read them, give Terminal Full Disk Access (System Settings > Privacy & Security > "
    "Full Disk Access) and run it again."
)
_KEY_SERVICES = {"kTCCServiceListenEvent", "kTCCServiceAccessibility", "kTCCServicePostEvent"}
_SCREEN_SERVICES = {"kTCCServiceScreenCapture", "kTCCServiceSystemPolicyAllFiles"}
_EVERYDAY = (
    "us.zoom.", "com.microsoft.", "com.google.chrome", "org.mozilla.", "com.tinyspeck.slackmacgap",
    "com.spotify.", "com.hnc.discord", "com.getdropbox.", "com.dropbox.", "com.valvesoftware.", "com.1password.",
    "com.agilebits.", "com.bitwarden.", "com.obsproject.", "com.loom.", "com.brave.browser", "com.operasoftware.",
    "com.skype.", "net.whatsapp.", "ru.keepcoder.telegram", "org.whispersystems.signal-desktop",
    "com.webex.", "com.cisco.webexmeetingsapp", "com.logi.", "com.knollsoft.rectangle", "com.raycast.",
    "com.runningwithcrayons.alfred", "com.googlecode.iterm2", "com.microsoft.vscode", "dev.warp.",
)  # fmt: skip


def is_apple(grant: TccGrant) -> bool:
    client = grant.client
    return client.startswith("com.apple.") or client.startswith(("/System/", "/usr/libexec/", "/usr/sbin/"))


def grant_matches(grant: TccGrant, matcher: Matcher) -> list[Match]:
    if grant.client_type == 1 or grant.client.startswith("/"):
        name = grant.client.rstrip("/").rsplit("/", 1)[-1]
        return matcher.process(name, grant.client) + matcher.path(grant.client)
    return matcher.bundle_id(grant.client)


def _watching(grant: TccGrant) -> bool:
    from digisafe.monitoring.tcc import SERVICES

    return grant.allowed and grant.service in SERVICES and not is_apple(grant)


class MacPrivacyGrantsCheck(Check):
    id = CHECK_ID
    title = "Apps allowed to record keys, the screen, camera or microphone"
    category = "monitoring"
    platforms = frozenset({Platform.MACOS})
    requires = ("Full Disk Access for Terminal (to read the privacy database)",)
    why = "Monitoring software on a Mac needs Input Monitoring or Screen Recording permission to spy."

    def run(self, ctx: Context) -> Iterable[Yielded]:
        from digisafe.monitoring.tcc import collect_tcc

        snapshot = collect_tcc(ctx)
        if len(snapshot.problems) < snapshot.databases and any(_watching(g) for g in snapshot.grants):
            from digisafe.monitoring.collect import indicators

            yield from self.judge(snapshot, indicators(ctx))
        else:
            yield from self.judge(snapshot, None)

    def judge(self, snapshot: TccSnapshot, found: Indicators | None) -> Iterable[Yielded]:
        """Apps allowed to watch this Mac, from the grants read; no Context needed. ``found`` (the
        indicator database) is needed only when there is a grant to judge."""
        if len(snapshot.problems) == snapshot.databases:
            raise CheckSkipped("the macOS privacy database could not be read (" + "; ".join(snapshot.problems)
                               + "). " + BY_HAND)  # fmt: skip
        for problem in snapshot.problems:
            yield self.limitation(f"could not read {problem}. {BY_HAND}")
        by_client: dict[str, list[TccGrant]] = defaultdict(list)
        for grant in snapshot.grants:
            if _watching(grant):
                by_client[grant.client].append(grant)
        if not by_client or found is None:
            return
        for client in sorted(by_client):
            yield self._finding(found, client, by_client[client])

    def _finding(self, found: Indicators, client: str, grants: list[TccGrant]) -> Yielded:
        from digisafe.monitoring.judgement import judge_first, utc_iso
        from digisafe.monitoring.tcc import MANAGED_REASONS, SERVICES

        services = sorted({g.service for g in grants})
        labels = [SERVICES[s] for s in services]
        managed = sorted({MANAGED_REASONS[g.auth_reason] for g in grants if g.auth_reason in MANAGED_REASONS})
        evidence = {
            "client": client,
            "client_type": "path" if grants[0].client_type == 1 else "bundle ID",
            "services": services,
            "granted": [{"service": g.service, "auth_reason": g.auth_reason, "last_modified": utc_iso(g.last_modified),
                         "database": g.database} for g in grants],  # fmt: skip
        }
        matches = grant_matches(grants[0], found.matcher)
        extra = f" Allowed: {', '.join(labels)}." + (f" Granted by {', '.join(managed)}." if managed else "")
        if matches:
            verdict, (title, detail, advice), found = judge_first(
                matches, found.known_tools, "has permission to watch this Mac"
            )
            evidence.update(found)
            return self.finding(verdict.severity, title, subject=client, detail=detail + extra,
                                confidence=verdict.confidence, evidence=evidence, advice=advice,
                                guidance="laptop.keylogging")  # fmt: skip
        everyday = client.lower().startswith(_EVERYDAY)
        sensitive = set(services) & (_KEY_SERVICES | _SCREEN_SERVICES)
        severity = Severity.LOW if sensitive and not everyday else Severity.INFO
        return self.finding(
            severity,
            f"{client} may " + ("record your keys or control other apps" if set(services) & _KEY_SERVICES
                               else "see your screen, files, camera or microphone"),  # fmt: skip
            subject=client,
            detail=f"This app was given permission in Privacy & Security.{extra} "
            + ("It is a common app that often asks for this." if everyday else "Check that you recognise it."),
            confidence=Confidence.HIGH,
            evidence=evidence,
            advice="If you do not recognise the app, take a photo of the Privacy & Security page. " + SAFETY_CAUTION,
            guidance="laptop.keylogging" if set(services) & _KEY_SERVICES else "laptop.camera-mic",
        )
