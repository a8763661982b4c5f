"""Browser policies set outside the profile: forced extensions, sites allowed without asking."""

from __future__ import annotations

import plistlib

from digisafe.checks.browser_extensions import BrowserExtensionsCheck
from digisafe.checks.browser_site_permissions import BrowserSitePermissionsCheck

from digisafe.core.model import Severity, Status
from tests.browsers import builders as b
from tests.fakes import FakeRegistry

EVIL = "abcdefghijklmnopabcdefghijklmnop"
STORE_EXT = "cjpalhdlnbpafiamejdnhcphjbkeiagm"


def titles(result):
    return sorted((f.severity.value, f.title) for f in result.findings)


def test_linux_managed_json_policies(make_ctx, tmp_path):
    ctx = make_ctx(platform="linux")
    b.chrome_profile(ctx.files.home, "linux", "Default", b.preferences())
    b.write_json(tmp_path / "root/etc/opt/chrome/policies/managed/corp.json", {
        "ExtensionInstallForcelist": [f"{EVIL};https://updates.evil.example/x.xml", STORE_EXT],
        "DefaultGeolocationSetting": 1,
        "VideoCaptureAllowedUrls": ["https://cam.example"],
    })
    (tmp_path / "root/etc/opt/chrome/policies/managed/broken.json").write_text('{"Default')

    sites = b.result_of(BrowserSitePermissionsCheck, ctx)
    exts = b.result_of(BrowserExtensionsCheck, ctx)

    assert titles(sites) == [
        ("high", "Every website can see this laptop's location without asking in Google Chrome, set by a policy"),
        ("medium", "The website cam.example can use the camera without asking in Google Chrome, set by a policy"),
    ]
    assert titles(exts) == [
        ("high", f"A policy forces the extension {EVIL} into Google Chrome"),
        ("medium", f"A policy forces the extension {STORE_EXT} into Google Chrome"),
    ]
    assert any("broken.json" in m for m in sites.limitations)
    assert exts.findings[0].evidence["file"].endswith("corp.json")


def test_linux_policy_files_read_the_way_chromium_reads_them(make_ctx, tmp_path):
    # Chromium applies every file in managed/ and recommended/, whatever its name, and accepts
    # comments and trailing commas; a strict JSON reader would miss all three of these.
    ctx = make_ctx(platform="linux")
    b.chrome_profile(ctx.files.home, "linux", "Default", b.preferences())
    managed = tmp_path / "root/etc/chromium/policies/managed"
    recommended = tmp_path / "root/etc/chromium/policies/recommended"
    managed.mkdir(parents=True)
    recommended.mkdir(parents=True)
    forced = f'"ExtensionInstallForcelist": ["{EVIL};https://u.example/x.xml",],'
    (managed / "zz-policy").write_text("{\n  // force it\n  " + forced + "\n}\n")
    (recommended / "defaults.json").write_text('{"DefaultGeolocationSetting": 1, /* allow */ }')
    sites = b.result_of(BrowserSitePermissionsCheck, ctx)
    exts = b.result_of(BrowserExtensionsCheck, ctx)
    assert [f.evidence["file"] for f in sites.findings] == [str(recommended / "defaults.json")]
    assert [f.evidence["id"] for f in exts.findings] == [EVIL]
    assert not sites.limitations and not exts.limitations


def test_macos_managed_preferences_and_firefox_policies_json(make_ctx, tmp_path):
    ctx = make_ctx(platform="darwin")
    b.chrome_profile(ctx.files.home, "darwin", "Default", b.preferences())
    b.firefox_profile(ctx.files.home, "darwin", "Profiles/a.default")
    managed = tmp_path / "root/Library/Managed Preferences/ann"
    managed.mkdir(parents=True)
    (managed / "com.google.Chrome.plist").write_bytes(plistlib.dumps(
        {"ExtensionSettings": {EVIL: {"installation_mode": "force_installed",
                                      "update_url": "https://updates.evil.example/x.xml"},
                               "*": {"installation_mode": "allowed"}}}, fmt=plistlib.FMT_BINARY))
    b.write_json(tmp_path / "root/Applications/Firefox.app/Contents/Resources/distribution/policies.json",
                 {"policies": {"Permissions": {"Location": {"Allow": ["https://where.example"]}},
                               "Extensions": {"Install": ["https://evil.example/spy.xpi"]}}})

    sites = b.result_of(BrowserSitePermissionsCheck, ctx)
    exts = b.result_of(BrowserExtensionsCheck, ctx)

    assert titles(sites) == [
        ("medium", "The website where.example can see this laptop's location without asking in Firefox, "
                   "set by a policy")]
    assert titles(exts) == [
        ("high", f"A policy forces the extension {EVIL} into Google Chrome"),
        ("high", "A policy forces the extension https://evil.example/spy.xpi into Firefox"),
    ]


def test_windows_registry_policies_and_no_duplicate_with_profile(make_ctx):
    registry = FakeRegistry({
        r"HKLM\SOFTWARE\Policies\Google\Chrome": {"DefaultGeolocationSetting": 2},
        r"HKLM\SOFTWARE\Policies\Google\Chrome\ExtensionInstallForcelist": {
            "1": f"{EVIL};https://updates.evil.example/x.xml",
            "2": f"{STORE_EXT};https://clients2.google.com/service/update2/crx"},
        r"HKCU\SOFTWARE\Policies\Microsoft\Edge\AudioCaptureAllowedUrls": {"1": "https://mic.example"},
        r"HKLM\SOFTWARE\Policies\Google\Chrome\Recommended\VideoCaptureAllowedUrls": {"1": "https://cam.example"},
    })
    ctx = make_ctx(platform="windows", registry=registry)
    settings = {EVIL: b.extension_setting(location=9, from_webstore=False, api=["history"], path=f"{EVIL}/1.0_0")}
    profile = b.chrome_profile(ctx.files.home, "windows", "Default", b.preferences(),
                               secure={"extensions": {"settings": settings}})
    b.write_extension_files(profile, EVIL, "1.0", {"name": "Corp Monitor"})
    b.chrome_profile(ctx.files.home, "windows", "Default", b.preferences(), dirs=b.EDGE_DIRS)

    sites = b.result_of(BrowserSitePermissionsCheck, ctx)
    exts = b.result_of(BrowserExtensionsCheck, ctx)

    assert titles(sites) == [
        ("medium", "The website cam.example can use the camera without asking in Google Chrome, set by a policy"),
        ("medium", "The website mic.example can use the microphone without asking in Microsoft Edge, set by a policy")]
    assert sites.findings[0].evidence["file"].endswith("Chrome\\Recommended")
    assert [(f.evidence["id"], f.severity) for f in exts.findings] == [
        (EVIL, Severity.MEDIUM),  # found in the profile, installed by policy: reported once
        (STORE_EXT, Severity.MEDIUM),
    ]


def test_no_policies_is_clean(make_ctx):
    ctx = make_ctx(platform="linux")
    b.chrome_profile(ctx.files.home, "linux", "Default", b.preferences())
    assert b.result_of(BrowserExtensionsCheck, ctx).status is Status.PASS
