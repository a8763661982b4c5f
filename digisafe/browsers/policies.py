"""Browser policies set outside the profile: by an administrator of this laptop, an employer, or a
program with administrator rights. Policies can force extensions in and let websites use location,
camera or microphone without asking; the browser shows them at chrome://policy / about:policies.

Read-only: managed JSON files (Linux), managed preference plists (macOS), the registry (Windows)
and Firefox's policies.json. Parsing is pure (``forced_extensions``, ``allowed_sites``).
"""

from __future__ import annotations

import json
import plistlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping

from digisafe.browsers.model import CAMERA, LOCATION, MICROPHONE, dig
from digisafe.browsers.readers import read_json, read_text
from digisafe.core.context import Context


@dataclass(frozen=True)
class PolicySet:
    browser: str  # "Google Chrome", "Firefox"
    engine: str  # "chromium" or "firefox"
    where: str  # file path or registry key
    values: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)


_LINUX_CHROMIUM = (
    ("Google Chrome", "/etc/opt/chrome/policies/managed"),
    ("Chromium", "/etc/chromium/policies/managed"),
    ("Chromium", "/etc/chromium-browser/policies/managed"),
    ("Microsoft Edge", "/etc/opt/edge/policies/managed"),
    ("Brave", "/etc/brave/policies/managed"),
)
_MAC_DOMAINS = (("Google Chrome", "chromium", "com.google.Chrome"), ("Chromium", "chromium", "org.chromium.Chromium"),
                ("Microsoft Edge", "chromium", "com.microsoft.Edge"), ("Brave", "chromium", "com.brave.Browser"),
                ("Firefox", "firefox", "org.mozilla.firefox"))
_WINDOWS_KEYS = (("Google Chrome", "chromium", "Google\\Chrome"), ("Chromium", "chromium", "Chromium"),
                 ("Microsoft Edge", "chromium", "Microsoft\\Edge"), ("Brave", "chromium", "BraveSoftware\\Brave"))
_FIREFOX_FILES = {
    "linux": ("/etc/firefox/policies/policies.json", "/usr/lib/firefox/distribution/policies.json",
              "/usr/lib/firefox-esr/distribution/policies.json", "/usr/lib64/firefox/distribution/policies.json",
              "/opt/firefox/distribution/policies.json"),
    "macos": ("/Applications/Firefox.app/Contents/Resources/distribution/policies.json",),
    "windows": ("C:/Program Files/Mozilla Firefox/distribution/policies.json",
                "C:/Program Files (x86)/Mozilla Firefox/distribution/policies.json"),
}
# Chromium list policies that Windows stores as a subkey of numbered values.
_LIST_POLICIES = ("ExtensionInstallForcelist", "VideoCaptureAllowedUrls", "AudioCaptureAllowedUrls")


def policy_sets(ctx: Context) -> tuple[list[PolicySet], list[str]]:
    """Every browser policy set on this laptop, and what could not be read."""
    found: list[PolicySet] = []
    problems: list[str] = []
    if ctx.platform == "linux":
        for browser, folder in _LINUX_CHROMIUM:
            # NOTE: Chromium also applies "recommended" policies (defaults the user may change).
            for level in (folder, folder.replace("/managed", "/recommended")):
                found.extend(_json_files(ctx.files.path(level), browser, problems))
    elif ctx.platform == "macos":
        found.extend(_mac_plists(ctx, problems))
    elif ctx.registry is not None:
        found.extend(_windows_registry(ctx))
    for name in _FIREFOX_FILES.get(ctx.platform, ()):
        path = ctx.files.path(name)
        if not path.is_absolute():
            continue  # NOTE: a Windows drive path seen from another OS (tests): never read from the cwd
        read = read_json(path)
        if read.problem:
            problems.append(f"Firefox policies: {read.problem}")
        policies = dig(read.data, "policies")
        if isinstance(policies, dict):
            found.append(PolicySet("Firefox", "firefox", str(path), policies))
    return found, problems


def _json_files(folder: Path, browser: str, problems: list[str]) -> Iterator[PolicySet]:
    # NOTE: Chromium reads EVERY file in the folder (not only *.json), in name order, and accepts
    # comments and trailing commas (JSON_PARSE_CHROMIUM_EXTENSIONS | JSON_ALLOW_TRAILING_COMMAS).
    try:
        files = sorted(p for p in folder.iterdir() if p.is_file())
    except OSError:
        return
    for path in files:
        text = read_text(path)
        if text is None:
            problems.append(f"{browser} policies: {path} could not be read")
            continue
        data = parse_lenient_json(text)
        if isinstance(data, dict):
            yield PolicySet(browser, "chromium", str(path), data)
        else:
            problems.append(f"{browser} policies: {path} is not a policy file Chromium could use either "
                            "(not a JSON object); it was not checked")


def _strip_comments_and_trailing_commas(text: str) -> str:
    out: list[str] = []
    index, size = 0, len(text)
    while index < size:
        char = text[index]
        if char == '"':  # copy a string as is, escapes included
            end = index + 1
            while end < size and text[end] != '"':
                end += 2 if text[end] == "\\" else 1
            out.append(text[index:end + 1])
            index = end + 1
        elif text.startswith("//", index):
            newline = text.find("\n", index)
            index = size if newline < 0 else newline
        elif text.startswith("/*", index):
            close = text.find("*/", index + 2)
            index = size if close < 0 else close + 2
        elif char in "}]":
            while out and out[-1].isspace():
                out.pop()
            if out and out[-1] == ",":
                out.pop()
            out.append(char)
            index += 1
        else:
            out.append(char)
            index += 1
    return "".join(out)


def parse_lenient_json(text: str) -> Any:
    """JSON as Chromium reads policy files: comments and trailing commas allowed. None if unusable."""
    text = text.lstrip("\ufeff")
    for candidate in (text, None):
        try:
            return json.loads(candidate if candidate is not None else _strip_comments_and_trailing_commas(text))
        except (ValueError, RecursionError):
            continue
    return None


def _mac_plists(ctx: Context, problems: list[str]) -> Iterator[PolicySet]:
    root = ctx.files.path("/Library/Managed Preferences")
    folders = [root]
    try:
        folders += sorted(p for p in root.iterdir() if p.is_dir())  # per-user managed preferences
    except OSError:
        return
    for folder in folders:
        for browser, engine, domain in _MAC_DOMAINS:
            path = folder / f"{domain}.plist"
            if not path.is_file():
                continue
            try:
                values = plistlib.loads(path.read_bytes())
            except Exception as exc:  # noqa: BLE001 - plistlib raises several types on bad input
                problems.append(f"{browser} policies: {path} could not be read ({type(exc).__name__})")
                continue
            if isinstance(values, dict):
                yield PolicySet(browser, engine, str(path), values)


def _windows_registry(ctx: Context) -> Iterator[PolicySet]:
    registry = ctx.registry
    assert registry is not None
    keys = [(browser, engine, f"{hive}\\SOFTWARE\\Policies\\{sub}{level}") for hive in ("HKLM", "HKCU")
            for browser, engine, sub in _WINDOWS_KEYS
            for level in ("", "\\Recommended")]  # NOTE: recommended policies are applied too
    for browser, engine, key in keys:
        values = registry.values(key)
        if values is None:
            continue
        merged: dict[str, Any] = dict(values)
        for name in _LIST_POLICIES:
            listed = registry.values(f"{key}\\{name}")
            if listed:
                merged[name] = [v for _, v in sorted(listed.items(), key=lambda kv: _number(kv[0]))]
        yield PolicySet(browser, engine, key, merged)


def _number(text: str) -> int:
    return int(text) if text.isdigit() else 1 << 30


# ---- judging -------------------------------------------------------------------------------------

def forced_extensions(policy: PolicySet) -> list[tuple[str, str]]:
    """(extension ID or install URL, update/install URL) forced in by a policy."""
    forced: list[tuple[str, str]] = []
    if policy.engine == "chromium":
        entries = policy.values.get("ExtensionInstallForcelist")
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, str) and entry.strip():
                ext_id, _, url = entry.strip().partition(";")
                forced.append((ext_id, url))
        settings = policy.values.get("ExtensionSettings")
        for ext_id, conf in settings.items() if isinstance(settings, dict) else []:
            if isinstance(conf, dict) and conf.get("installation_mode") in ("force_installed", "normal_installed"):
                forced.append((str(ext_id), str(conf.get("update_url") or "")))
    else:
        urls = dig(policy.values, "Extensions", "Install")
        for url in urls if isinstance(urls, list) else []:
            if isinstance(url, str):
                forced.append((url, url))
        settings = policy.values.get("ExtensionSettings")
        for ext_id, conf in settings.items() if isinstance(settings, dict) else []:
            if isinstance(conf, dict) and conf.get("installation_mode") in ("force_installed", "normal_installed"):
                forced.append((str(ext_id), str(conf.get("install_url") or "")))
    return forced


_CHROMIUM_SITE_LISTS = {"VideoCaptureAllowedUrls": CAMERA, "AudioCaptureAllowedUrls": MICROPHONE}
_FIREFOX_KINDS = {"Location": LOCATION, "Camera": CAMERA, "Microphone": MICROPHONE}


def allowed_sites(policy: PolicySet) -> list[tuple[str, str, str]]:
    """(kind, site pattern or '*' for every site, policy name) that a policy allows without asking."""
    found: list[tuple[str, str, str]] = []
    if policy.engine == "chromium":
        if policy.values.get("DefaultGeolocationSetting") == 1:
            found.append((LOCATION, "*", "DefaultGeolocationSetting"))
        for name, kind in _CHROMIUM_SITE_LISTS.items():
            sites = policy.values.get(name)
            for site in sites if isinstance(sites, list) else []:
                if isinstance(site, str):
                    found.append((kind, site, name))
        return found
    for name, kind in _FIREFOX_KINDS.items():
        sites = dig(policy.values, "Permissions", name, "Allow")
        for site in sites if isinstance(sites, list) else []:
            if isinstance(site, str):
                found.append((kind, site, f"Permissions.{name}.Allow"))
    return found
