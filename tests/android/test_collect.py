"""Collectors against fake Android 10-15 phones on a fake adb server (real wire protocol)."""

from __future__ import annotations

import pytest

from digisafe.android import collect, collect_apks
from tests.android.apkmaker import make_key
from tests.android.helpers import PhoneCtx, connect_phone
from tests.android.phones import App, Phone, adb_key

SPY = App(
    "com.android.system.sync", "3.2", installer=None, launcher=False, accessibility=".CoreService",
    listener=".NotifyService", admin=".AdminReceiver", battery_exempt=True, signer="Spy Vendor",
    granted=("android.permission.ACCESS_FINE_LOCATION", "android.permission.RECORD_AUDIO", "android.permission.READ_SMS"),  # noqa: E501
)  # fmt: skip
LASTPASS = App("com.lastpass.lpandroid", "5.20", accessibility=".LPAccessibilityService")


@pytest.mark.parametrize("android", [10, 11, 12, 13, 14, 15])
def test_every_collector_reads_each_android_release(fake_adb, android):
    key = adb_key("other-computer")
    phone = Phone(android=android, apps=[SPY, LASTPASS, App("com.whatsapp"), App("org.example.files", installer="com.google.android.packageinstaller", install_unknown=True)],  # noqa: E501
                  adb_keys=[(key, "alex@desktop-7", 1714000000000), (adb_key("us"), "user@laptop", 1717000000000)],
                  accounts=[("sam@gmail.com", "com.google"), ("alex.other@gmail.com", "com.google")])  # fmt: skip
    server = fake_adb(phone.fake())
    ctx = PhoneCtx(connect_phone(server))
    snap = collect.packages(ctx)
    assert snap.complete and not snap.notes
    spy = snap.apps["com.android.system.sync"]
    assert spy.installer is None and spy.has_launcher is False and not spy.system
    assert set(spy.watching) == {"precise location", "microphone", "text messages"}
    assert spy.first_install == "2024-03-01 10:00:00" and spy.version_name == "3.2"
    assert snap.apps["com.lastpass.lpandroid"].has_launcher is True
    assert snap.apps["com.android.settings"].system
    access = collect.access(ctx)
    assert "com.android.system.sync/com.android.system.sync.CoreService" in access.accessibility
    assert access.packages_with(access.notification_listeners) == {"com.android.system.sync"}
    assert access.device_admins == ("com.android.system.sync/.AdminReceiver",)
    assert access.battery_exempt == {"com.android.system.sync"}
    assert access.install_unknown == {"org.example.files"}
    state = collect.state(ctx)
    assert state.prop("ro.build.version.release") == str(android)
    assert state.global_settings["adb_enabled"] == "1" and state.su_paths == ()
    labels = {k.label: k.last_connection for k in state.adb_keys}
    assert "alex@desktop-7" in labels
    if android >= 11:
        assert labels["alex@desktop-7"] == "2024-04-24T23:06:40Z"
    accounts, _ = collect.accounts(ctx)
    assert {a.name for a in accounts} == {"sam@gmail.com", "alex.other@gmail.com"}
    sigs = collect_apks.signatures(ctx)
    # sideloaded, or holding powerful access (LastPass's accessibility service); not plain store apps
    assert set(sigs.signatures) == {"com.android.system.sync", "org.example.files", "com.lastpass.lpandroid"}
    assert sigs.signatures["com.android.system.sync"].cert_sha1 == (make_key("Spy Vendor").sha1,)
    assert len(sigs.signatures["com.android.system.sync"].apk_sha256) == 64
    assert sigs.skipped == ("com.whatsapp",)


def test_each_collection_runs_once_per_audit(fake_adb):
    server = fake_adb(Phone(apps=[SPY]).fake())
    ctx = PhoneCtx(connect_phone(server))
    collect.packages(ctx), collect.packages(ctx), collect.state(ctx), collect.access(ctx)
    log = server.shell_log()
    assert log.count("dumpsys package") == 1 and log.count("settings list secure") == 1


def test_pull_all_and_none(fake_adb):
    server = fake_adb(Phone(apps=[SPY, LASTPASS]).fake())
    every = collect_apks.signatures(PhoneCtx(connect_phone(server, pull_policy="all")))
    assert set(every.signatures) == {"com.android.system.sync", "com.lastpass.lpandroid"}
    nothing = collect_apks.signatures(PhoneCtx(connect_phone(server, pull_policy="none")))
    assert nothing.signatures == {} and set(nothing.skipped) == {"com.android.system.sync", "com.lastpass.lpandroid"}
