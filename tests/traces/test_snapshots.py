"""Collect, then judge: DS-NET-020 and DS-BRW-040 judged from trace snapshots built by hand (no Context)."""

from __future__ import annotations

import pytest
from digisafe.checks.network_traces import NetworkTracesCheck
from digisafe.checks.web_traces import WebTracesCheck

from digisafe.core.check import CheckSkipped
from digisafe.core.context import RemoteConnection
from digisafe.core.model import Finding, Limitation, Severity
from digisafe.monitoring.collect import Indicators
from digisafe.traces.model import HostsEntry, HostVisits, NetworkTraces, ProfileHistory, WebHistory


def split(items):
    items = list(items)
    return [i for i in items if isinstance(i, Finding)], [i.message for i in items if isinstance(i, Limitation)]


def test_network_traces_judged_from_a_snapshot():
    traces = NetworkTraces(
        "C:\\Windows\\System32\\drivers\\etc\\hosts",
        hosts_entries=(HostsEntry("203.0.113.9", "my.mspyonline.com", 5),),
        dns_names=("portal.flexispy.com", "www.bbc.co.uk"),
        connections=(RemoteConnection("140.82.112.3", 443, 77, "chrome.exe", "ESTABLISHED"),),
        limitations=("the DNS cache is not checked here",),
    )
    findings, limits = split(NetworkTracesCheck().judge(traces, Indicators.for_platform("windows")))
    by_product = {f.evidence["product"]: f for f in findings}
    assert set(by_product) == {"mspy", "flexispy"} and limits == ["the DNS cache is not checked here"]
    assert by_product["mspy"].evidence["traces"][0]["line"] == 5
    assert by_product["flexispy"].evidence["signals"] == ["dns"]
    known = Indicators.for_platform("windows", frozenset({"mspy"}))
    marked = {f.evidence["product"]: f for f in split(NetworkTracesCheck().judge(traces, known))[0]}
    assert marked["mspy"].severity is Severity.INFO and by_product["mspy"].severity is Severity.MEDIUM


def test_web_traces_judged_from_a_snapshot():
    profile = ProfileHistory("Google Chrome", "Person 1", "/home/sam/.config/google-chrome/Default", "History",
                             hosts={"portal.flexispy.com": HostVisits("portal.flexispy.com", "2026-03-01T09:30:00Z",
                                                                      "2026-05-02T21:05:00Z", 2),
                                    "www.bbc.co.uk": HostVisits("www.bbc.co.uk", None, None, 9)})  # fmt: skip
    findings, limits = split(WebTracesCheck().judge(WebHistory((profile,)), Indicators.for_platform("linux")))
    [finding] = findings
    assert finding.evidence["product"] == "flexispy" and finding.evidence["last_visit"] == "2026-05-02T21:05:00Z"
    assert "bbc" not in str(finding.evidence) and limits == []
    with pytest.raises(CheckSkipped, match="no Chrome"):
        list(WebTracesCheck().judge(WebHistory(()), Indicators.for_platform("linux")))
