"""DS-NET-020: the hosts file, the Windows DNS cache (through the command provider) and open
connections (through the network provider), judged against the indicator database."""

from __future__ import annotations

from digisafe.checks.network_traces import NetworkTracesCheck

from digisafe.core.context import RemoteConnection
from digisafe.core.model import Finding, Limitation, Severity
from digisafe.traces.collect import DNS_CACHE_COMMAND, parse_dns_cache, parse_hosts_file
from tests.fakes import FakeCommands, FakeNetwork

HOSTS = """# Copyright (c) 1993-2009 Microsoft Corp.
127.0.0.1       localhost
::1             localhost
0.0.0.0 portal.flexispy.com   # blocklist
203.0.113.9 my.mspyonline.com
192.168.1.10 nas.local
"""
DNS = """www.msftconnecttest.com
portal.flexispy.com
login.live.com

www.bbc.co.uk
"""


def _results(ctx):
    results = list(NetworkTracesCheck().run(ctx))
    return [r for r in results if isinstance(r, Finding)], [r for r in results if isinstance(r, Limitation)]


def test_parsers_read_real_shapes():
    entries = parse_hosts_file(HOSTS)
    assert ("0.0.0.0", "portal.flexispy.com", 4) in [(e.address, e.name, e.line) for e in entries]
    assert parse_dns_cache(DNS) == ["www.msftconnecttest.com", "portal.flexispy.com", "login.live.com", "www.bbc.co.uk"]


def test_hosts_file_block_is_information_and_a_redirect_is_reported(make_ctx, tmp_path):
    ctx = make_ctx(platform="linux")
    hosts = ctx.files.path("/etc/hosts")
    hosts.parent.mkdir(parents=True, exist_ok=True)
    hosts.write_text(HOSTS)
    found, limits = _results(ctx)
    by_product = {f.evidence["product"]: f for f in found}
    assert by_product["flexispy"].severity is Severity.INFO and "Blocking" in by_product["flexispy"].detail
    assert by_product["mspy"].severity is Severity.MEDIUM
    assert by_product["mspy"].evidence["traces"][0]["line"] == 5
    assert any("DNS cache is not checked" in x.message for x in limits)


def test_windows_dns_cache_and_open_connection(make_ctx):
    commands = FakeCommands({DNS_CACHE_COMMAND: DNS})
    network = FakeNetwork(connections=[
        RemoteConnection("69.64.74.239", 443, 4242, "svc.exe", "ESTABLISHED"),
        RemoteConnection("140.82.112.3", 443, 77, "chrome.exe", "ESTABLISHED"),
    ])
    ctx = make_ctx(platform="windows", commands=commands, network=network)
    found, _limits = _results(ctx)
    by_product = {f.evidence["product"]: f for f in found}
    assert by_product["flexispy"].evidence["signals"] == ["dns"]
    assert by_product["flexispy"].severity is Severity.MEDIUM
    spy = by_product["echap-ioc.thetruthspy"]
    assert spy.severity is Severity.HIGH and spy.evidence["traces"][0]["pid"] == 4242
    assert "svc.exe" in spy.detail
    assert len(found) == 2  # ordinary names and addresses match nothing


def test_dns_cache_unavailable_is_a_limitation_not_an_error(make_ctx):
    ctx = make_ctx(platform="windows")
    found, limits = _results(ctx)
    assert not found and any("DNS cache could not be read" in x.message for x in limits)


def test_windows_hosts_file_is_read_from_its_system_folder(make_ctx):
    ctx = make_ctx(platform="windows", commands=FakeCommands({DNS_CACHE_COMMAND: ""}))
    hosts = ctx.files.path(r"C:\Windows\System32\drivers\etc\hosts")
    hosts.parent.mkdir(parents=True)
    hosts.write_bytes(HOSTS.replace("\n", "\r\n").encode("utf-8"))
    found, limits = _results(ctx)
    assert {f.evidence["product"] for f in found} == {"flexispy", "mspy"} and not limits
    assert found[0].evidence["traces"][0]["file"] == r"C:\Windows\System32\drivers\etc\hosts"
