"""Hostile phone output: cut or odd dumpsys, non-UTF-8, an 80 MB package dump, a phone that goes
away or stops answering mid-audit. Always a clear line and a partial result; never a traceback,
a crash or a hang."""

from __future__ import annotations

import json
import random
import time
import tracemalloc

import pytest

from digisafe.android import collect, parse_dumpsys, parse_simple
from digisafe.android.parse_package import build_apps, parse_package_dump
from tests.android.helpers import PhoneCtx, connect_phone
from tests.android.phones import App, Phone
from tests.android.test_phone_cli import SPY

CHECKS = ("DS-AND-010", "DS-AND-020", "DS-AND-030", "DS-AND-040", "DS-AND-050", "DS-AND-060")


def audit_json(run, server, tmp_path, *extra):
    out = tmp_path / "report.json"
    result = run(server, "phone", "audit", "--format", "json", "--output", str(out), *extra)
    assert "Traceback" not in result.output
    return result, json.loads(out.read_text())


@pytest.mark.parametrize("cut", [0.1, 0.35, 0.5, 0.8, 0.97])
def test_a_package_dump_cut_anywhere_still_parses(cut):
    phone = Phone(apps=[SPY, App("com.whatsapp")], apks=False)
    raw = phone.dumpsys_package()
    text = raw[: int(len(raw) * cut)].decode("utf-8", "replace")
    dump = parse_package_dump(text.splitlines())
    apps = build_apps(dump, parse_simple.pm_list_packages(phone.pm_list().decode()), complete=False)
    assert set(apps) >= {"com.android.system.sync", "com.whatsapp"}  # pm list still names every app


def test_non_utf8_and_garbage_in_every_output_never_crash(run, fake_adb, tmp_path):
    rng = random.Random(7)
    phone = Phone(apps=[SPY, App("com.whatsapp")])
    fake = phone.fake()
    for command, output in list(fake.commands.items()):
        if isinstance(output, bytes) and output:
            data = bytearray(output)
            for _ in range(max(1, len(data) // 200)):
                at = rng.randrange(len(data))
                data[at : at + 3] = bytes(rng.randrange(128, 256) for _ in range(3))  # invalid UTF-8
            fake.commands[command] = bytes(data)
    result, report = audit_json(run, fake_adb(fake), tmp_path)
    statuses = {r["check_id"]: r["status"] for r in report["results"]}
    assert set(statuses) == set(CHECKS) and "error" not in statuses.values(), statuses


def test_an_oem_phone_without_these_services_gets_limitations_not_errors(run, fake_adb, tmp_path):
    fake = Phone(apps=[SPY]).fake()
    for command in ("dumpsys adb", "dumpsys account", "dumpsys deviceidle whitelist", "dumpsys notification",
                    "appops query-op REQUEST_INSTALL_PACKAGES allow"):  # fmt: skip
        fake.commands[command] = f"Can't find service: {command.split()[1]}\n".encode()
    fake.commands["dumpsys accessibility"] = b"ACCESSIBILITY MANAGER\n{unexpected layout\n"
    fake.commands["dumpsys package"] = b"Packages:\n  Package [com.android.system.sync] (x):\n    versionName=\n"
    result, report = audit_json(run, fake_adb(fake), tmp_path)
    results = {r["check_id"]: r for r in report["results"]}
    assert all(r["status"] != "error" for r in results.values()), results
    assert any("allowed computers could not be read" in lim for lim in results["DS-AND-030"]["limitations"])


def test_an_80_mb_package_dump_is_streamed_and_capped(fake_adb):
    phone = Phone(apps=[SPY, App("com.whatsapp")], apks=False)
    head = phone.dumpsys_package()
    line = b"    [com.example.filler] path: /data/app/x/base.apk arm64: [status=speed-profile]\n"
    filler = b"  Dexopt state:\n" + line * 1000

    def chunks():
        yield head
        for _ in range(80 * 1024 * 1024 // len(filler)):
            yield filler

    fake = phone.fake()
    fake.commands["dumpsys package"] = chunks
    ctx = PhoneCtx(connect_phone(fake_adb(fake), timeout=30))
    tracemalloc.start()
    started = time.monotonic()
    snapshot = collect.packages(ctx)
    elapsed = time.monotonic() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert not snapshot.complete and any("cut at 48 MB" in n for n in snapshot.notes)
    assert snapshot.apps["com.android.system.sync"].has_launcher is False  # read before the cut
    assert peak < 32 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"
    assert ctx.device.sent.count("dumpsys package") == 1
    assert elapsed < 60


def test_a_runaway_line_without_newlines_is_cut(fake_adb):
    fake = Phone(apps=[SPY], apks=False).fake()
    fake.commands["dumpsys package"] = lambda: (b"x" * 65536 for _ in range(200))  # 13 MB, no newline
    snapshot = collect.packages(PhoneCtx(connect_phone(fake_adb(fake))))
    assert "com.android.system.sync" in snapshot.apps and snapshot.notes


@pytest.mark.parametrize("after", [3, 8, 14, 22])
def test_a_phone_unplugged_mid_audit_gives_a_clear_line_and_a_partial_result(run, fake_adb, tmp_path, after):
    fake = Phone(apps=[SPY, App("com.whatsapp")]).fake(vanish_after=after)
    result, report = audit_json(run, fake_adb(fake), tmp_path)
    statuses = {r["check_id"]: r["status"] for r in report["results"]}
    assert set(statuses) == set(CHECKS)
    errors = [r for r in report["results"] if r["status"] == "error"]
    assert errors, statuses
    assert all("went away" in r["reason"] or "closed" in r["reason"] or "not asked" in r["reason"]
               or "attached" in r["reason"] for r in errors), [r["reason"] for r in errors]  # fmt: skip
    assert result.exit_code in (1, 4)


def test_a_phone_that_stops_answering_times_out_instead_of_hanging(run, fake_adb, tmp_path):
    fake = Phone(apps=[SPY]).fake(stall=frozenset({"dumpsys package"}))
    started = time.monotonic()
    result, report = audit_json(run, fake_adb(fake), tmp_path, "--timeout", "0.5")
    assert time.monotonic() - started < 20
    reasons = {r["check_id"]: r.get("reason", "") for r in report["results"] if r["status"] == "error"}
    assert "DS-AND-020" in reasons and "stopped answering" in reasons["DS-AND-020"]
    assert result.exit_code in (1, 4)


def test_small_parsers_take_any_text():
    rng = random.Random(1)
    for _ in range(300):
        text = "".join(chr(rng.choice([rng.randrange(32, 127), rng.randrange(0x80, 0x3000), 10, 58, 61, 123, 125]))
                       for _ in range(rng.randrange(0, 400)))  # fmt: skip
        parse_simple.getprop(text), parse_simple.settings_list(text), parse_simple.pm_list_packages(text)
        parse_simple.deviceidle_whitelist(text), parse_simple.appops_query(text), parse_simple.components(text)
        parse_dumpsys.accessibility_enabled(text), parse_dumpsys.notification_listeners(text)
        parse_dumpsys.device_policy(text), parse_dumpsys.adb_keys(text), parse_dumpsys.accounts(text)
        assert isinstance(parse_package_dump(text.splitlines()).apps, dict)
