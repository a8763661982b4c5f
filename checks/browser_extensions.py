"""DS-BRW-030: browser extensions and add-ons with powerful permissions, especially ones installed
from outside the store.

What it looks at: for Chrome, Chromium, Edge, Brave, Vivaldi and Opera, ``extensions.settings``
in ``Preferences`` and ``Secure Preferences`` (install ``location``, ``from_webstore``, granted
``active_permissions``, install time) and each extension's ``manifest.json`` (name, version,
``update_url``); for Firefox, ``extensions.json`` (``location``, ``signedState``, ``sourceURI``,
``foreignInstall`` and ``installTelemetryInfo`` (an add-on another program dropped into the
profile is marked ``"method": "sideload"``), ``userPermissions``, ``installDate``). Extensions
built into the browser are left out. Also
extensions that a browser policy forces in (``ExtensionInstallForcelist``, ``ExtensionSettings``;
Firefox ``Extensions.Install``) even before the browser has installed them.

Why it matters: an extension that can read every website, your history, your open tabs, your
cookies or your network traffic sees almost everything you do online, and can send it elsewhere.
Monitoring tools sold to "watch a partner" often come as an extension. One loaded by hand in
developer mode, added by another program, or not signed by the store, is a strong warning sign:
normal extensions come from the Chrome Web Store, the Edge Add-ons store or addons.mozilla.org.

False positives: ad blockers, password managers, translation and accessibility tools legitimately
need "all websites" access; work-managed laptops install extensions by policy. Extensions from
the store with powerful permissions are listed at a low level so you can recognise them.

What to do: do not remove an extension yet. Write down its name and ID, and talk to a stalking
advocate (ISAC): removing it may alert the person who installed it and destroys evidence. To
check by hand: open chrome://extensions (edge://extensions, brave://extensions) with Developer
mode switched on to see IDs, or about:addons in Firefox.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

from digisafe.core.check import Check, Yielded
from digisafe.core.model import Confidence, Severity

if TYPE_CHECKING:
    from digisafe.browsers import policies
    from digisafe.browsers.collect import BrowserSnapshot, ProfileFiles
    from digisafe.browsers.discovery import BrowserProfile
    from digisafe.browsers.model import Extension
    from digisafe.core.context import Context

# NOTE: the digisafe.browsers helpers are imported inside the functions that use them: `digisafe
# checks` imports every check module for its metadata, and those helpers cost ~20 ms at start-up.

HOW_BY_HAND = ("open chrome://extensions (edge://extensions, brave://extensions) and about:addons in "
               "Firefox, and look at every extension and its permissions")


def judge(ext: Extension) -> tuple[Severity, Confidence] | None:
    """How serious an extension looks, or None when it is not worth a finding."""
    from digisafe.browsers.model import EXTERNAL, OUTSIDE_STORE, POLICY, STORE, UNKNOWN, powers

    powerful = bool(powers(ext.permissions))
    if ext.source == STORE and not powerful:
        return None
    if ext.source == OUTSIDE_STORE:
        severity, confidence = (Severity.HIGH, Confidence.MEDIUM) if powerful else (Severity.LOW, Confidence.LOW)
    elif ext.source in (POLICY, EXTERNAL, UNKNOWN):
        if not powerful and ext.source == UNKNOWN:
            return None
        severity, confidence = (Severity.MEDIUM if powerful else Severity.LOW), Confidence.LOW
    else:
        severity, confidence = Severity.LOW, Confidence.LOW
    if not ext.enabled:
        severity = min(severity, Severity.LOW)  # switched off now, but it can be switched back on
    return severity, confidence


class BrowserExtensionsCheck(Check):
    id = "DS-BRW-030"
    title = "Browser extensions with powerful permissions"
    category = "monitoring"
    why = "An extension that can read every website or your history sees almost everything you do online."

    def run(self, ctx: Context) -> Iterable[Yielded]:
        from digisafe.browsers.collect import collect_browsers

        files = {"chromium": ("Preferences", "Secure Preferences"), "firefox": ("extensions.json",)}
        yield from self.judge(collect_browsers(ctx, files, manifests=True, policies=True))

    def judge(self, snapshot: BrowserSnapshot) -> Iterable[Yielded]:
        """Extensions with powerful permissions, per profile and forced by policy; no Context needed."""
        from digisafe.browsers.common import skip_unless_profiles
        from digisafe.browsers.locations import CHROMIUM
        from digisafe.core.model import Finding

        found = skip_unless_profiles(snapshot.discovery, HOW_BY_HAND)
        for message in found.limitations:
            yield self.limitation(message)
        seen: set[tuple[str, str]] = set()  # (browser, extension ID) already reported from a profile
        for files in snapshot.profiles:
            profile = files.profile
            for item in (self._chromium(files) if profile.engine == CHROMIUM else self._firefox(files)):
                if isinstance(item, Finding):
                    seen.add((profile.browser.split(" (")[0], str(item.evidence.get("id"))))
                yield item
        yield from self._policies(snapshot, seen)

    def _policies(self, snapshot: BrowserSnapshot, seen: set[tuple[str, str]]) -> Iterable[Yielded]:
        from digisafe.browsers import policies

        for message in snapshot.policy_problems:
            yield self.limitation(message)
        for policy in snapshot.policies:
            for ext_id, url in policies.forced_extensions(policy):
                if (policy.browser, ext_id) in seen:
                    continue
                seen.add((policy.browser, ext_id))
                yield self._policy_finding(policy, ext_id, url)

    def _policy_finding(self, policy: policies.PolicySet, ext_id: str, url: str):
        from digisafe.browsers import chromium
        from digisafe.browsers.common import BROWSER_CAUTION

        from_store = any(host in url for host in chromium.STORE_UPDATE_HOSTS + ("addons.mozilla.org",))
        return self.finding(
            Severity.MEDIUM if from_store or not url else Severity.HIGH,
            f"A policy forces the extension {ext_id} into {policy.browser}",
            subject=f"{policy.browser} policy: {ext_id}",
            detail=f"A policy in {policy.where} installs {ext_id} in every profile of {policy.browser}"
                   + (f", from {url}" if url else "") + ". Policies are set by someone with administrator "
                   "rights on this laptop, or by an employer; the person using the browser cannot remove it.",
            confidence=Confidence.MEDIUM,
            evidence={"browser": policy.browser, "file": policy.where, "id": ext_id, "update_url": url,
                      "setting": "ExtensionInstallForcelist / ExtensionSettings / Extensions.Install"},
            advice=f"{policy.browser} lists its policies at chrome://policy (Firefox: about:policies). "
                   + BROWSER_CAUTION,
            guidance="laptop.browser-extensions",
        )

    def _chromium(self, files: ProfileFiles) -> Iterable[Yielded]:
        from digisafe.browsers import chromium

        profile = files.profile
        reads = {name: files.read(name) for name in ("Preferences", "Secure Preferences")}
        for read in reads.values():
            if read.problem:
                yield self.limitation(f"{profile.label}: {read.problem}; some extensions may be missing. "
                                      f"Open the extensions page of {profile.browser} to check by hand.")
        settings = chromium.extension_settings(reads["Preferences"].data, reads["Secure Preferences"].data)
        manifests: dict[str, dict[str, Any]] = {}
        for ext_id, entry in settings.items():
            if chromium.is_built_in(entry) or isinstance(entry.get("manifest"), dict):
                continue
            loaded = files.manifests.get(ext_id)
            folder = loaded.folder if loaded else None
            manifests[ext_id], problem = (dict(loaded.data), loaded.problem) if loaded else ({}, "")
            if problem:
                yield self.limitation(f"{profile.label}: extension {ext_id}: {problem}")
            elif not manifests[ext_id] and chromium.install_location(entry) is not None:
                # NOTE: an unpacked extension's files stay where they were loaded from; if that
                # folder is gone or unreadable its name and requested permissions are unknown.
                yield self.limitation(f"{profile.label}: extension {ext_id}: its manifest.json was not found "
                                      f"({folder or 'no folder recorded'}); its name is not known. Open the "
                                      f"extensions page of {profile.browser} to see it.")
        secure_ids = chromium.extension_settings(None, reads["Secure Preferences"].data)
        for ext in chromium.extensions(settings, manifests):
            # NOTE: real Chromium on Linux keeps extension state in "Preferences"; Windows and
            # macOS builds in "Secure Preferences": name the file the entry really came from.
            settings_file = profile.path / ("Secure Preferences" if ext.ext_id in secure_ids else "Preferences")
            finding = self._finding(profile, ext, settings_file, f"extensions.settings.{ext.ext_id}")
            if finding is not None:
                yield finding

    def _firefox(self, files: ProfileFiles) -> Iterable[Yielded]:
        from digisafe.browsers import firefox

        profile = files.profile
        path = profile.path / "extensions.json"
        read = files.read("extensions.json")
        if read.problem:
            yield self.limitation(f"{profile.label}: {read.problem}. Open about:addons in Firefox to check "
                                  "by hand.")
            return
        for ext in firefox.extensions(read.data):
            finding = self._finding(profile, ext, path, f"addons[id={ext.ext_id}]")
            if finding is not None:
                yield finding

    def _finding(self, profile: BrowserProfile, ext: Extension, path, setting: str):
        from digisafe.browsers.common import BROWSER_CAUTION, evidence
        from digisafe.browsers.model import STORE, UNKNOWN, powers

        verdict = judge(ext)
        if verdict is None:
            return None
        severity, confidence = verdict
        abilities = powers(ext.permissions)
        can = " and ".join(words for _, words in abilities[:2])
        off = "" if ext.enabled else " (switched off at the moment)"
        if ext.source in (STORE, UNKNOWN):
            title = f"The extension '{ext.name}' can {can}, in {profile.label}"
        elif abilities:
            title = f"The extension '{ext.name}', not from the store, can {can}, in {profile.label}"
        else:
            title = f"The extension '{ext.name}' was not installed from the store, in {profile.label}"
        all_powers = "; ".join(f"{words} ({perm})" for perm, words in abilities) or "no powerful permissions"
        return self.finding(
            severity,
            title + off,
            subject=f"{profile.label}: {ext.name} ({ext.ext_id})",
            detail=f"Source: {ext.source_words}. It is allowed to: {all_powers}."
                   + (f" Installed {ext.installed[:10]}." if ext.installed else ""),
            confidence=confidence,
            evidence=evidence(profile, path, setting, name=ext.name, id=ext.ext_id, version=ext.version,
                              enabled=ext.enabled, source=ext.source, source_detail=ext.source_words,
                              permissions=list(ext.permissions), powerful=[p for p, _ in abilities],
                              installed=ext.installed, stored=dict(ext.evidence)),
            advice="If you do not recognise this extension, write down its name and ID. " + BROWSER_CAUTION,
            guidance="laptop.browser-extensions",
        )
