"""Lint rules for indicators: every indicator must be able to match something, and nothing may be
so broad that it matches everyday programs. The built-in data must pass with no problem at all
(tests/indicators); feed importers use the same rules to drop unusable values from a feed.
"""

from __future__ import annotations

import re
from typing import Iterable

from digisafe.indicators import patterns
from digisafe.indicators.indexes import index_key
from digisafe.indicators.schema import Product

# Names that many unrelated programs use, or that belong to Windows, runtimes or everyday tools.
# A product may still be caught by them through a qualified install path.
GENERIC_PROCESS_NAMES = frozenset(
    """setup.exe installer.exe install.exe uninstall.exe uninst.exe update.exe updater.exe agent.exe
    agent32.exe agent64.exe client.exe client64.exe server.exe service.exe svc.exe connect.exe
    launcher.exe helper.exe host.exe main.exe app.exe run.exe start.exe rd.exe rdp.exe dd.exe rv.exe
    appcore.exe supporttool.exe nssm.exe 7zip.exe 7z.exe perl.exe wperl.exe python.exe pythonw.exe
    java.exe javaw.exe node.exe electron.exe osqueryi.exe smartctl.exe winpty-agent.exe
    winpty-agent64.exe notificationhelper.exe usernotificationhelper.exe arpproducticon.exe
    level.exe winagent.exe tsclient.exe manuallauncher.exe iadmin.exe dephlp.exe monitor.exe
    tray.exe systray.exe chrome.exe msedge.exe firefox.exe code.exe teams.exe zoom.exe slack.exe
    onedrive.exe dropbox.exe spotify.exe steam.exe outlook.exe winword.exe excel.exe qq.exe
    explorer.exe svchost.exe csrss.exe services.exe lsass.exe smss.exe winlogon.exe dwm.exe
    conhost.exe rundll32.exe dllhost.exe taskhostw.exe cmd.exe powershell.exe mstsc.exe
    termsrv.exe putty.exe plink.exe winscp.exe autoupdate.exe iastoriconlaunch.exe goto.exe
    agent service server client update
    launcher helper daemon python perl java node bash sh ssh sshd systemd dbus-daemon""".split()
)

# Hosts shared by many unrelated customers: never an indicator on their own.
SHARED_DOMAINS = frozenset(
    """amazonaws.com s3.amazonaws.com cloudfront.net azurewebsites.net azureedge.net windows.net
    github.com githubusercontent.com github.io google.com googleapis.com gstatic.com appspot.com
    firebaseio.com firebaseapp.com microsoft.com visualstudio.com live.com office.com apple.com
    icloud.com tailscale.com login.tailscale.com zendesk.com livekit.cloud softonic.com
    zoho.com zoho.eu zoho.in zoho.com.au zoho.com.cn dropbox.com cloudflare.com herokuapp.com
    akamaihd.net ghcr.io metaquest.com parallels.com goto.com getgo.com support.services.microsoft.com
    apprtc.appspot.com sophos.com sophosupd.com sophosupd.net ivanti.com""".split()
)
_BROAD_WILDCARD_PARENTS = ("zoho.",)


def is_random_name(name: str) -> bool:
    """Sandbox sample names ('3irjc74zj.exe', 'ft38y1rpx.exe') and hash-named files: not product names."""
    stem = re.sub(r"\.(exe|tmp|bin)$", "", name.lower())
    if re.fullmatch(r"[0-9a-f]{32,}", stem) or re.match(r"\d{4}-\d{2}-\d{2}_[0-9a-f]{16,}", stem):
        return True
    if "-dropped" in stem:
        return True
    # NOTE: two separate runs of digits inside a short letter soup ('ft38y1rpx'), unlike 'x11vnc'.
    return bool(re.fullmatch(r"[a-z0-9]{4,12}", stem) and len(re.findall(r"\d+", stem)) >= 2)


def domain_ok(domain: str) -> bool:
    base = domain[2:] if domain.startswith("*.") else domain
    if base in SHARED_DOMAINS:
        return False
    return not (domain.startswith("*.") and base.startswith(_BROAD_WILDCARD_PARENTS))


def process_name_problem(name: str, platform: str) -> str | None:
    low = name.lower()
    if low in GENERIC_PROCESS_NAMES or is_random_name(name):
        return "too generic or a random sample name"
    stem = re.sub(r"\.(exe|app)$", "", low)
    if len(stem.replace("*", "").replace("?", "")) < 3:
        return "too short"
    if patterns.is_glob(name) and len(patterns.literal_prefix(name)) < 3:
        return "a glob must start with at least 3 literal characters"
    if platform == "windows" and ".exe" not in low and not patterns.is_glob(name):
        return "Windows process names end in .exe"
    try:
        regex = patterns.glob_to_regex(patterns.fold(name, platform), True)
    except Exception as exc:  # noqa: BLE001 - any compile problem is a lint problem
        return f"does not compile ({exc})"
    if not regex.match(patterns.example_for(patterns.fold(name, platform))):
        return "cannot match an example built from itself"
    return None


def path_problem(path: str, platform: str) -> str | None:
    for glob in patterns.expand_path_pattern(path, platform):
        if index_key(glob) is None:
            return "no folder or file name specific enough to identify the product"
        if not patterns.glob_to_regex(glob, True).match(patterns.example_for(glob)):
            return "cannot match an example built from itself"
    if platform != "windows" and not path.startswith(("/", "~", "*")):
        return "not an absolute path"
    return None


def lint_products(products: Iterable[Product]) -> list[str]:
    """Every problem found, as 'product-id: platform field value: reason'."""
    problems: list[str] = []
    for product in products:
        # Hosts are seen in browser history, the DNS cache, the hosts file and open connections.
        has_hosts = product.domains or product.websites or product.ips or product.download_hosts
        laptop = any(not h.is_empty() for h in product.hosts.values()) or has_hosts
        if not laptop and product.android.is_empty():
            problems.append(f"{product.id}: nothing to match (no host, network or Android indicators)")
        for platform, host in product.hosts.items():
            for name in host.processes:
                reason = process_name_problem(name, platform)
                if reason:
                    problems.append(f"{product.id}: {platform} process {name!r}: {reason}")
            for path in host.paths:
                reason = path_problem(path, platform)
                if reason:
                    problems.append(f"{product.id}: {platform} path {path!r}: {reason}")
            for service in host.services:
                if service.lower() in GENERIC_PROCESS_NAMES or len(service) < 3:
                    problems.append(f"{product.id}: {platform} service {service!r}: too generic")
        for domain in (*product.domains, *product.websites, *product.download_hosts):
            if not domain_ok(domain):
                problems.append(f"{product.id}: domain {domain!r}: a shared host, not an indicator")
    return problems
