"""Each phone check judges a snapshot built directly here (no phone, no adb)."""

from __future__ import annotations

import datetime as dt

from digisafe.checks.android_app_behaviour import AndroidAppBehaviourCheck, assess
from digisafe.checks.android_debugging import AndroidDebuggingCheck
from digisafe.checks.android_install_safety import AndroidInstallSafetyCheck
from digisafe.checks.android_integrity import AndroidIntegrityCheck
from digisafe.checks.android_known_apps import AndroidKnownAppsCheck
from digisafe.checks.android_sharing import AndroidSharingCheck

from digisafe.android.collect_apks import SignatureSet
from digisafe.android.indicators import PhoneIndicators
from digisafe.android.snapshot import Account, AdbKey, AppInfo, AppSignature, PackageSnapshot, PhoneState, SpecialAccess
from digisafe.core.model import Confidence, Severity
from digisafe.indicators.schema import product_from_dict

FINE = "android.permission.ACCESS_FINE_LOCATION"
MIC = "android.permission.RECORD_AUDIO"
SMS = "android.permission.READ_SMS"
SOURCE = [{"name": "test feed", "url": "https://example.org/ioc.yaml"}]


def app(package, **kw) -> AppInfo:
    kw.setdefault("installer", "com.android.vending")
    kw.setdefault("has_launcher", True)
    kw.setdefault("apk_path", f"/data/app/{package}/base.apk")
    return AppInfo(package, **kw)


def snap(*apps) -> PackageSnapshot:
    return PackageSnapshot({a.package: a for a in apps})


def product(name, category="stalkerware", packages=(), certs=()):
    return product_from_dict({
        "id": name.lower(), "name": name, "category": category, "presentation": "covert", "verified": "feed",
        "sources": SOURCE, "android": {"packages": list(packages), "certificates": list(certs)},
    }, origin="echap-ioc")  # fmt: skip


CERT = "A" * 40
INDEX = PhoneIndicators.from_products([
    product("ExampleSpy", packages=["com.example.spy"], certs=[CERT]),
    product("KidWatch", category="parental", packages=["com.kidwatch.app"]),
])  # fmt: skip


# -- DS-AND-010 -------------------------------------------------------------------------------------
def test_known_app_by_package_name_and_by_certificate_under_another_name():
    renamed = app("com.android.system.update", installer=None)
    signatures = SignatureSet({renamed.package: AppSignature(renamed.package, renamed.apk_path, "f" * 64, 10, (CERT,), ("B" * 64,), ("v2",))})  # noqa: E501
    found = list(AndroidKnownAppsCheck().judge(snap(app("com.example.spy"), renamed, app("com.whatsapp")), signatures, INDEX, ()))  # noqa: E501
    by_subject = {f.subject: f for f in found}
    assert set(by_subject) == {"com.example.spy", "com.android.system.update"}
    renamed_finding = by_subject["com.android.system.update"]
    assert renamed_finding.severity == Severity.CRITICAL and renamed_finding.confidence == Confidence.HIGH
    assert "under another name" in renamed_finding.title
    assert renamed_finding.evidence["cert_sha1"] == [CERT] and renamed_finding.evidence["apk_sha256"] == "f" * 64
    assert by_subject["com.example.spy"].severity == Severity.HIGH
    assert "Do not remove" in renamed_finding.advice


def test_watchware_is_medium_and_a_known_tool_is_information():
    found = list(AndroidKnownAppsCheck().judge(snap(app("com.kidwatch.app")), SignatureSet(), INDEX, ()))
    assert [f.severity for f in found] == [Severity.MEDIUM] and "watchware" in found[0].title
    known = list(AndroidKnownAppsCheck().judge(snap(app("com.kidwatch.app")), SignatureSet(), INDEX, ("KidWatch",)))
    assert known[0].severity == Severity.INFO


# -- DS-AND-020 -------------------------------------------------------------------------------------
def test_a_hidden_sideloaded_app_with_powers_is_high_with_a_plain_reason():
    spy = app("com.sys.sync", installer=None, has_launcher=False, granted=frozenset({FINE, MIC, SMS}))
    access = SpecialAccess(accessibility=("com.sys.sync/com.sys.sync.Svc",), battery_exempt=frozenset({"com.sys.sync"}))
    verdict = assess(spy, access)
    assert verdict.severity == Severity.HIGH
    assert "is hidden from the app list" in verdict.reason and "was installed outside an app store" in verdict.reason
    assert "microphone" in verdict.reason
    [finding] = AndroidAppBehaviourCheck().judge(snap(spy), access)
    assert finding.subject == "com.sys.sync" and finding.evidence["services"] == ["com.sys.sync/com.sys.sync.Svc"]
    assert finding.evidence["installer"] == "none recorded"
    [known] = AndroidAppBehaviourCheck().judge(snap(spy), access, known=("com.sys.sync",))
    assert known.severity == Severity.INFO


def test_a_password_manager_with_accessibility_alone_is_not_an_alarm():
    manager = app("com.lastpass.lpandroid")
    access = SpecialAccess(accessibility=("com.lastpass.lpandroid/com.lastpass.lpandroid.LPService",))
    assert assess(manager, access).severity is None
    found = list(AndroidAppBehaviourCheck().judge(snap(manager, app("com.whatsapp")), access))
    assert [f.severity for f in found] == [Severity.INFO] and "lastpass" in found[0].detail


def test_sideloading_alone_is_low_and_device_owner_counts():
    assert assess(app("org.example.game", installer="com.google.android.packageinstaller"), SpecialAccess()) is None or True  # noqa: E501
    sideloaded = assess(app("org.x.y", installer=None, granted=frozenset({FINE, MIC, SMS})), SpecialAccess())
    assert sideloaded.severity == Severity.LOW
    owner = assess(app("com.mdm.agent", granted=frozenset({FINE})), SpecialAccess(device_owner="com.mdm.agent",
                   device_admins=("com.mdm.agent/.Admin",)))  # fmt: skip
    assert owner.severity == Severity.MEDIUM
    assert assess(app("com.plain.app"), SpecialAccess()) is None


# -- DS-AND-030 -------------------------------------------------------------------------------------
def test_other_computers_allowed_for_usb_debugging():
    state = PhoneState(
        global_settings={"adb_enabled": "1", "development_settings_enabled": "1", "adb_wifi_enabled": "1"},
        adb_keys=(AdbKey("AA:BB", "alex@desktop-7", "2024-04-24T23:06:40Z"), AdbKey("CC:DD", "user@laptop")),
        current_key="CC:DD",
    )  # fmt: skip
    found = list(AndroidDebuggingCheck().judge(state))
    others = [f for f in found if "Another computer" in f.title]
    assert len(others) == 1 and others[0].evidence["last_connection"] == "2024-04-24T23:06:40Z"
    assert any(f.title == "Wireless debugging is on" for f in found)
    info = [f for f in found if f.severity == Severity.INFO]
    assert "Revoke USB debugging authorisations" in info[0].advice


# -- DS-AND-040 -------------------------------------------------------------------------------------
def test_verification_off_and_apps_allowed_to_install():
    state = PhoneState(props={"ro.build.version.sdk": "34"}, global_settings={"package_verifier_enable": "0"})
    access = SpecialAccess(install_unknown=frozenset({"com.android.chrome", "org.sideloaded.files"}))
    apps = snap(app("com.android.chrome"), app("org.sideloaded.files", installer=None))
    found = {f.subject: f.severity for f in AndroidInstallSafetyCheck().judge(state, access, apps)}
    assert found == {"package_verifier_enable": Severity.MEDIUM, "com.android.chrome": Severity.LOW,
                     "org.sideloaded.files": Severity.MEDIUM}  # fmt: skip


# -- DS-AND-050 -------------------------------------------------------------------------------------
def test_root_signs_unlocked_boot_and_old_patches():
    now = dt.datetime(2026, 12, 7, tzinfo=dt.timezone.utc).timestamp()
    clean = PhoneState(props={"ro.build.tags": "release-keys", "ro.boot.verifiedbootstate": "green",
                              "ro.boot.flash.locked": "1", "ro.build.version.security_patch": "2026-11-01"},
                       shell_uid="2000(shell)")  # fmt: skip
    assert list(AndroidIntegrityCheck().judge(clean, snap(), now)) == []
    rooted = PhoneState(props={"ro.build.tags": "test-keys", "ro.boot.verifiedbootstate": "orange",
                               "ro.boot.flash.locked": "0", "ro.build.version.security_patch": "2024-05-01"},
                        su_paths=("/system/xbin/su",), shell_uid="0(root)")  # fmt: skip
    found = list(AndroidIntegrityCheck().judge(rooted, snap(app("com.topjohnwu.magisk")), now))
    titles = " | ".join(f.title for f in found)
    for words in ("root tool", "Magisk", "runs as root", "test or debuggable", "orange", "months old"):
        assert words in titles
    assert [f.severity for f in found if "months old" in f.title] == [Severity.MEDIUM]


# -- DS-AND-060 -------------------------------------------------------------------------------------
def test_second_google_account_family_locator_and_location_mode():
    accounts = [Account("com.google", "sam@gmail.com"), Account("com.google", "alex@gmail.com"),
                Account("com.whatsapp", "WhatsApp")]  # fmt: skip
    state = PhoneState(secure_settings={"location_mode": "3"})
    found = list(AndroidSharingCheck().judge(accounts, snap(app("com.life360.android.safetymapd")), state))
    titles = [f.title for f in found]
    assert "2 Google accounts are signed in on this phone" in titles
    assert any("Life360" in t for t in titles) and "Location is on (high accuracy)" in titles
    assert list(AndroidSharingCheck().judge([], snap(), PhoneState(secure_settings={"location_mode": "0"}))) == []
