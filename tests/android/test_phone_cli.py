"""`digisafe phone list` / `digisafe phone audit` end to end: the real CLI, a fake adb server on
127.0.0.1 speaking the real protocol, fake Android phones, real signed APKs, an indicator store
imported from an Echap-shaped feed. Every test fails if a state-changing command was sent."""

from __future__ import annotations

import json

import pytest
import yaml

from digisafe.indicators import clear_cache
from tests.android.apkmaker import make_key
from tests.android.phones import App, Phone, adb_key

SPY_KEY = "Covert Vendor Ltd"
SPY = App("com.android.system.sync", "3.2", installer=None, launcher=False, accessibility=".CoreService",
          listener=".NotifyService", admin=".AdminReceiver", battery_exempt=True, signer=SPY_KEY,
          granted=("android.permission.ACCESS_FINE_LOCATION", "android.permission.RECORD_AUDIO",
                   "android.permission.READ_SMS"))  # fmt: skip


@pytest.fixture
def phone_env(tmp_path, monkeypatch):
    """An indicator store in a private data folder with Echap-shaped entries (one listed by certificate)."""
    from digisafe.indicators.feeds import convert_echap
    from digisafe.indicators.store import write_store

    feed = [
        {"name": "CovertSpy", "type": "stalkerware", "packages": ["com.covert.spy"],
         "certificates": [make_key(SPY_KEY).sha1]},
        {"name": "ExampleFamily", "type": "watchware", "packages": ["com.example.family"]},
    ]  # fmt: skip
    data = tmp_path / "data"
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    converted = convert_echap("echap-ioc", yaml.safe_load(yaml.safe_dump(feed)))
    store = {"format": 1, "version": "t", "updated": "2026-12-01T00:00:00+00:00",
             "feeds": {"echap-ioc": {"name": "echap-ioc", "products": converted.products}}}  # fmt: skip
    write_store(data / "digisafe", store)
    clear_cache()
    yield
    clear_cache()




def test_phone_list_shows_model_version_and_plain_words_for_unauthorised(run, fake_adb):
    server = fake_adb(Phone(android=13).fake(), Phone(serial="0A1B2C3D", model="Pixel 8").fake(state="unauthorized"))
    result = run(server, "phone", "list")
    assert result.exit_code == 0
    assert "R58M40ABCDE: Samsung SM-S901B, Android 13, serial ...BCDE: ready" in result.output
    assert "0A1B2C3D" in result.output and "tap Allow" in result.output


def test_phone_list_without_a_phone_says_how_to_turn_on_usb_debugging(run, fake_adb):
    result = run(fake_adb(), "phone", "list")
    assert result.exit_code == 0 and "Build number 7 times" in result.output and "visible on the phone" in result.output


@pytest.mark.parametrize("android", [10, 12, 14, 15])
def test_full_audit_finds_renamed_stalkerware_by_certificate(run, fake_adb, phone_env, tmp_path, android):
    phone = Phone(android=android, apps=[SPY, App("com.lastpass.lpandroid", accessibility=".LPService"),
                                         App("com.life360.android.safetymapd")],
                  adb_keys=[(adb_key("other"), "alex@desktop-7", 1714000000000),
                            (adb_key("this laptop"), "user@laptop", 1765000000000)],
                  accounts=[("sam@gmail.com", "com.google"), ("alex.other@gmail.com", "com.google")])  # fmt: skip
    server = fake_adb(phone.fake())
    out = tmp_path / "report.json"
    result = run(server, "phone", "audit", "--format", "json", "--output", str(out))
    assert result.exit_code == 1, result.output
    report = json.loads(out.read_text())
    assert report["subject"]["kind"] == "android"
    assert report["subject"]["description"].startswith("Samsung SM-S901B, Android")
    findings = {(f["check_id"], f["subject"]): f for r in report["results"] for f in r.get("findings", [])}
    known = findings[("DS-AND-010", "com.android.system.sync")]
    assert known["severity"] == "critical" and known["evidence"]["cert_sha1"] == [make_key(SPY_KEY).sha1]
    assert findings[("DS-AND-020", "com.android.system.sync")]["severity"] == "high"
    assert ("DS-AND-020", "com.lastpass.lpandroid") not in findings  # a password manager alone is no alarm
    assert ("DS-AND-030", "alex@desktop-7") in findings
    assert ("DS-AND-060", "com.life360.android.safetymapd") in findings
    statuses = {r["check_id"]: r["status"] for r in report["results"]}
    assert all(statuses[c] in ("findings", "pass") for c in statuses if c.startswith("DS-AND")), statuses
    assert "Revoke USB debugging authorisations" in result.output  # said after the report
    sent = server.shell_log()
    assert "dumpsys package" in sent and sent.count("dumpsys package") == 1
    assert sent.count("getprop") == 1  # the subject's description and the checks share one reading


def test_audit_renders_as_a_table_on_screen(run, fake_adb, phone_env):
    server = fake_adb(Phone(apps=[SPY]).fake())
    result = run(server, "phone", "audit")
    assert result.exit_code == 1
    assert "DS-AND-010" in result.output and "com.android.system.sync" in result.output


def test_audit_of_an_unauthorised_phone_is_a_plain_error(run, fake_adb, phone_env):
    server = fake_adb(Phone().fake(state="unauthorized"))
    result = run(server, "phone", "audit", "--wait", "0")
    assert result.exit_code == 2 and "tap Allow" in result.output and "Traceback" not in result.output


def test_built_in_indicators_work_offline(run, fake_adb, tmp_path, monkeypatch):
    """No update ever run: the Echap-derived data shipped with digisafe still names stalkerware."""
    from digisafe.android.indicators import PhoneIndicators
    from digisafe.indicators import load_database

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "empty"))
    clear_cache()
    index = PhoneIndicators.from_products(load_database(None).products)
    listed = sorted(p for p, products in index.by_package.items() if products[0].category == "stalkerware"
                    and p.count(".") >= 2 and p.islower())  # fmt: skip
    server = fake_adb(Phone(apps=[App(listed[0], installer=None)]).fake())
    out = tmp_path / "r.json"
    run(server, "phone", "audit", "--format", "json", "--output", str(out))
    results = {r["check_id"]: r for r in json.loads(out.read_text())["results"]}
    assert results["DS-AND-010"]["status"] == "findings"
    assert results["DS-AND-010"]["findings"][0]["subject"] == listed[0]
    clear_cache()


def test_no_phone_indicators_is_a_visible_skip():
    from digisafe.checks.android_known_apps import AndroidKnownAppsCheck

    from digisafe.android.indicators import PhoneIndicators
    from digisafe.core.check import CheckSkipped
    from tests.android.helpers import PhoneCtx

    ctx = PhoneCtx(device=None)
    ctx.data_dir, ctx.sources, ctx.known_tools = None, {}, frozenset()
    ctx._cache["android.indicators"] = (PhoneIndicators(), None)
    with pytest.raises(CheckSkipped, match="indicators update"):
        list(AndroidKnownAppsCheck().run(ctx))


def test_serial_and_android_serial_choose_the_phone(run, fake_adb, phone_env, tmp_path):
    server = fake_adb(Phone().fake(), Phone(serial="SECOND", model="Pixel 8", maker="Google").fake())
    result = run(server, "phone", "audit", "--format", "json", env={"ANDROID_SERIAL": "SECOND"})
    assert "Pixel 8" in result.output
    result = run(server, "phone", "audit", "--format", "json", "--serial", "R58M40ABCDE")
    assert "SM-S901B" in result.output
    result = run(server, "phone", "audit")
    assert result.exit_code == 2 and "choose one with --serial" in result.output


def test_the_phone_report_renders_in_every_format_and_tailors_the_checklist(run, fake_adb, phone_env, tmp_path):
    from digisafe.render import report_formats

    server = fake_adb(Phone(apps=[SPY], adb_keys=[(adb_key("x"), "alex@desktop-7", 1714000000000),
                                                  (adb_key("u"), "user@laptop", 1765000000000)]).fake())  # fmt: skip
    for fmt in report_formats():
        out = tmp_path / f"report.{fmt}"
        result = run(server, "phone", "audit", "--format", fmt, "--output", str(out))
        assert result.exit_code == 1, (fmt, result.output)
        text = out.read_text(encoding="utf-8", errors="replace") if fmt != "pdf" else ""
        if text:
            assert "DS-AND-020" in text and "com.android.system.sync" in text, fmt
    checklist = tmp_path / "checklist.md"
    result = run(server, "phone", "audit", "--quiet", "--checklist", str(checklist))
    assert result.exit_code == 1
    text = checklist.read_text()
    assert "Turn off USB debugging after a phone check" in text
    assert "FOUND: Another computer (alex@desktop-7) is allowed to use USB debugging" in text


def test_phone_audit_adds_its_report_to_the_incident_log(run, fake_adb, phone_env, tmp_path):
    import io

    from digisafe.records import crypto
    from digisafe.records.reader import UnlockedLog
    from digisafe.records.store import LogStore

    log_dir = tmp_path / "log"
    LogStore.create(log_dir, "a test passphrase", kdf=crypto.TEST_ONLY_KDF).close()
    out = tmp_path / "phone.json"
    result = run(fake_adb(Phone(apps=[SPY]).fake()), "phone", "audit", "--format", "json", "-o", str(out),
                 "--log", str(log_dir))
    assert result.exit_code == 1, result.output
    assert "Report added to the incident log as #1" in result.output
    with LogStore.open(log_dir) as store:
        log = UnlockedLog.unlock(store, "a test passphrase")
        record, data = log.record(1), io.BytesIO()
        log.write_attachment(record, data)
    assert json.loads(data.getvalue()) == json.loads(out.read_text())
    assert json.loads(data.getvalue())["subject"]["kind"] == "android"
