"""Every built-in indicator can actually match something (through the real Matcher), and the lint
rejects indicators that could never match or would match everyday programs."""

from __future__ import annotations

import pytest

from digisafe.indicators import load_database, patterns
from digisafe.indicators.data_lint import is_random_name, lint_products
from digisafe.indicators.schema import product_from_dict


def test_builtin_database_passes_the_lint():
    assert lint_products(load_database().products) == []


def _ids(matches):
    return {m.product.id for m in matches}


def test_every_builtin_indicator_fires_on_an_example_built_from_it():
    db = load_database()
    checked = 0
    for product in db.products:
        for platform in product.platforms:
            matcher = db.matcher(platform)
            host = product.host(platform)
            for name in host.processes:
                example = patterns.example_for(patterns.fold(name, platform))
                assert product.id in _ids(matcher.process(example, None)), (product.id, name)
                checked += 1
            for path in host.paths:
                for glob in patterns.expand_path_pattern(path, platform):
                    assert product.id in _ids(matcher.path(patterns.example_for(glob))), (product.id, path)
                    checked += 1
            for service in host.services:
                assert product.id in _ids(matcher.service(patterns.example_for(service))), (product.id, service)
                checked += 1
            for entry in host.autostart:
                assert product.id in _ids(matcher.autostart(patterns.example_for(entry))), (product.id, entry)
            for bundle in host.bundle_ids:
                assert product.id in _ids(matcher.bundle_id(bundle)), (product.id, bundle)
            for signer in host.signers:
                assert product.id in _ids(matcher.signer(signer)), (product.id, signer)
        for domain in (*product.domains, *product.websites, *product.download_hosts):
            host_name = "a1." + domain[2:] if domain.startswith("*.") else domain
            assert product.id in _ids(db.matcher("windows").domain(host_name)), (product.id, domain)
            checked += 1
    assert checked > 1000


def _product(**host):
    return product_from_dict(
        {
            "id": "t",
            "name": "T",
            "category": "rat",
            "presentation": "covert",
            "verified": "verified",
            "sources": [{"name": "s", "url": "https://example.org"}],
            **host,
        }
    )


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        ({"windows": {"processes": ["setup.exe"]}}, "too generic"),
        ({"windows": {"processes": ["svchost.exe"]}}, "too generic"),
        ({"windows": {"processes": ["ft38y1rpx.exe"]}}, "random sample"),
        ({"windows": {"processes": ["*agent.exe"]}}, "3 literal"),
        ({"windows": {"processes": ["tool"]}}, "end in .exe"),
        ({"windows": {"processes": ["ab.exe"]}}, "too short"),
        ({"windows": {"paths": ["C:\\Program Files\\"]}}, "specific"),
        ({"windows": {"paths": ["%APPDATA%\\"]}}, "specific"),
        ({"linux": {"paths": ["/usr/bin/"]}}, "specific"),
        ({"linux": {"paths": ["opt/tool"]}}, "absolute"),
        ({"windows": {"services": ["service"]}}, "generic"),
        ({"domains": ["s3.amazonaws.com"]}, "shared"),
        ({"domains": ["*.zoho.com"]}, "shared"),
        ({}, "nothing to match"),
    ],
)
def test_lint_rejects_unusable_indicators(entry, reason):
    problems = lint_products([_product(**entry)])
    assert problems and reason in problems[0]


@pytest.mark.parametrize("name", ["x11vnc.exe", "tv_w32.exe", "winvnc4.exe", "g2comm.exe", "zabbix_agent2.exe"])
def test_real_names_with_digits_are_not_taken_for_random_ones(name):
    assert not is_random_name(name)
