"""How serious each kind of product is: covert stalkerware > keyloggers and monitoring > dual-use
remote access > parental control and work agents > everyday tools (information); --known lowers
anything to information. Checked on the real database, through a captured Windows listing."""

from __future__ import annotations

from digisafe.core.context import ProcessInfo
from digisafe.core.model import Confidence, Severity
from digisafe.indicators import load_database
from digisafe.monitoring.judgement import describe, judge
from tests.monitoring.conftest import run_check

PF, PF86 = "C:\\Program Files\\", "C:\\Program Files (x86)\\"
ROWS = {
    "sentrypc": ("csrss.exe", "C:\\ProgramData\\spc\\csrss.exe"),
    "controlio": ("wesvc.exe", None),
    "anydesk": ("AnyDesk.exe", PF86 + "AnyDesk\\AnyDesk.exe"),
    "tanium": ("TaniumClient.exe", PF86 + "Tanium\\Tanium Client\\TaniumClient.exe"),
    "zerotier": ("zerotier-one_x64.exe", "C:\\ProgramData\\ZeroTier\\One\\zerotier-one_x64.exe"),
    "putty": ("putty.exe", PF + "PuTTY\\putty.exe"),
    "winscp": ("WinSCP.exe", PF86 + "WinSCP\\WinSCP.exe"),
    "syncthing": ("Syncthing.exe", "C:\\Users\\sam\\AppData\\Roaming\\SyncTrayzor\\Syncthing.exe"),
}


def severities(make_ctx, known=frozenset()):
    from digisafe.checks.monitoring_processes import MonitoringProcessesCheck

    from tests.fakes import FakeProcesses, captured_listing

    rows = [ProcessInfo(100 + i, name, exe, (), "sam") for i, (name, exe) in enumerate(ROWS.values())]
    ctx = make_ctx(platform="windows", processes=FakeProcesses(rows), known_tools=known,
                   subject=captured_listing("windows", "cim-csv", "test listing"))
    findings = run_check(MonitoringProcessesCheck, ctx)[0]
    return {f.evidence["product"]: f for f in findings}


def test_the_ladder_on_a_captured_listing(make_ctx):
    found = severities(make_ctx)
    assert set(found) == set(ROWS)
    level = {k: f.severity for k, f in found.items()}
    assert level["sentrypc"] is Severity.CRITICAL  # verified folder + disguise
    assert level["controlio"] is Severity.HIGH  # covert monitoring, name only
    assert level["anydesk"] is Severity.MEDIUM
    assert level["tanium"] is Severity.LOW and level["zerotier"] is Severity.LOW
    assert level["putty"] is level["winscp"] is level["syncthing"] is Severity.INFO
    assert "IT department" in found["tanium"].detail and "did not install" in found["tanium"].detail
    assert "information only" in found["putty"].detail


def test_known_lowers_everything_to_information(make_ctx):
    found = severities(make_ctx, known=frozenset({"sentrypc", "anydesk", "tanium"}))
    assert found["sentrypc"].severity is found["anydesk"].severity is found["tanium"].severity is Severity.INFO
    assert found["controlio"].severity is Severity.HIGH


def _product(**fields):
    from digisafe.indicators.schema import product_from_dict

    base = {"id": "x", "name": "X", "verified": "verified", "sources": [{"name": "s", "url": "https://e.org"}]}
    return product_from_dict({**base, **fields, "windows": {"processes": ["xtool.exe"]}})


def _verdict(product, signal="install-path", verified="verified"):
    from digisafe.indicators import Match

    return judge(product, [Match(product, signal, "p", verified)], ())


def test_parental_is_below_remote_access_and_relevance_medium_is_low():
    parental = _verdict(_product(category="parental", presentation="visible"))
    remote = _verdict(_product(category="remote-access", presentation="dual-use"))
    work = _verdict(_product(category="remote-access", presentation="dual-use", relevance="medium"))
    assert remote.severity > parental.severity >= work.severity > Severity.INFO


def test_stalkerware_is_critical_only_when_sure():
    spy = _product(category="stalkerware", presentation="covert")
    assert _verdict(spy).severity is Severity.CRITICAL  # a verified install folder
    assert _verdict(spy, signal="process-name").severity is Severity.HIGH  # a name alone
    assert _verdict(spy, verified="unverified").severity is Severity.MEDIUM
    assert _verdict(spy, signal="domain").severity is Severity.HIGH


def test_low_relevance_stays_information_even_when_sure():
    tool = _product(category="remote-access", presentation="dual-use", relevance="low")
    verdict = _verdict(tool)
    assert verdict.severity is Severity.INFO and verdict.confidence is Confidence.HIGH
    title, detail, advice = describe(tool, verdict, "is running")
    assert "information only" in detail and "999" in advice


def test_every_builtin_product_has_a_reachable_severity():
    order = list(Severity)
    for product in load_database().products:
        severity = _verdict(product).severity
        if product.relevance == "low":
            assert severity is Severity.INFO, product.id
        elif product.relevance == "medium":
            assert order.index(severity) <= order.index(Severity.LOW), product.id
        else:
            assert severity >= Severity.LOW, product.id
