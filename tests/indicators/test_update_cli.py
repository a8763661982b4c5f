"""`digisafe indicators update` and `info` through the command line, the URL rules, a feed file
carried on a USB stick, and TLS certificate checks (server and fixtures in conftest.py)."""

from __future__ import annotations

import http.server
import json
import shutil
import ssl
import subprocess
import threading

import pytest

from digisafe.cli import main
from digisafe.indicators import clear_cache, load_database
from digisafe.indicators.feeds import FeedError
from digisafe.indicators.store import PREVIOUS_NAME, STORE_NAME, store_folder
from digisafe.indicators.update import check_url, feed_urls, update_from_file, update_from_urls
from tests.indicators import feeds_data
from tests.indicators.conftest import LIMITS, FeedHandler, snapshot


@pytest.mark.parametrize(
    "url", ["http://example.org/ioc.yaml", "ftp://example.org/x", "file:///etc/passwd", "https://"]
)
def test_only_https_is_allowed_except_to_this_computer(url):
    with pytest.raises(FeedError, match="only https"):
        check_url(url)
    check_url("https://example.org/x")
    check_url("http://127.0.0.1:8000/x")
    check_url("http://[::1]:8000/x")


def test_urls_come_from_defaults_environment_and_options():
    urls = feed_urls(
        {"lolrmm": "https://mirror.test/rmm.json"}, env={"DIGISAFE_FEED_ECHAP_IOC": "https://mirror.test/ioc.yaml"}
    )
    assert urls["lolrmm"] == "https://mirror.test/rmm.json"
    assert urls["echap-ioc"] == "https://mirror.test/ioc.yaml"
    assert urls["echap-watchware"].startswith("https://raw.githubusercontent.com/AssoEchap/")
    assert "lolrmm" not in feed_urls({"lolrmm": "none"}, env={})
    with pytest.raises(FeedError, match="unknown feed"):
        feed_urls({"nope": "https://x.test"}, env={})


def test_usb_stick_file_is_detected_and_stored(tmp_path):
    feed = tmp_path / "usb" / "watchware.yaml"
    feed.parent.mkdir()
    feed.write_bytes(feeds_data.echap_watchware())
    clear_cache()
    store = update_from_file(tmp_path / "data", feed)
    assert list(store["feeds"]) == ["echap-watchware"]
    assert load_database(tmp_path / "data").matcher("darwin").domain("kidwatch.test")
    clear_cache()


def test_cli_update_error_is_one_line_exit_2(stored, server, capsys):
    before = snapshot(stored)
    with pytest.raises(SystemExit) as exit_info:
        main(
            [
                "indicators",
                "update",
                "--only",
                "echap-ioc",
                "--url",
                f"echap-ioc={server}/bad.yaml",
                "--data-dir",
                str(stored),
            ]
        )
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith(
        "digisafe: error: indicator update failed, nothing was changed:"
    ) and "Traceback" not in "".join(err)
    assert snapshot(stored) == before


def test_cli_update_from_file_and_info(tmp_path, capsys):
    feed = tmp_path / "rmm_tools.json"
    feed.write_bytes(feeds_data.lolrmm())
    clear_cache()
    with pytest.raises(SystemExit) as exit_info:
        main(["indicators", "update", "--from", str(feed), "--data-dir", str(tmp_path / "d")])
    assert exit_info.value.code == 0
    assert "lolrmm: 2 products" in capsys.readouterr().out
    clear_cache()
    with pytest.raises(SystemExit):
        main(["indicators", "info", "--format", "json", "--data-dir", str(tmp_path / "d")])
    info = json.loads(capsys.readouterr().out)
    assert info["updated"] != "never" and any("Apache-2.0" in s["licence"] for s in info["sources"])
    with pytest.raises(SystemExit):
        main(["indicators", "info", "--data-dir", str(tmp_path / "d")])
    text = capsys.readouterr().out
    assert "CC-BY-4.0" in text and "Apache-2.0" in text and "age: 0 days" in text
    clear_cache()


@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is needed to make a test certificate")
def test_untrusted_https_certificate_is_refused(tmp_path, monkeypatch):
    """A real HTTPS server on 127.0.0.1 with a self-signed certificate: TLS verification must refuse it."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FeedHandler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        url = f"https://127.0.0.1:{httpd.server_address[1]}/ioc.yaml"
        with pytest.raises(FeedError, match="could not be verified"):
            update_from_urls(tmp_path / "data", {"echap-ioc": url}, LIMITS)
        assert not (tmp_path / "data").exists()
        clear_cache()
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(cert))  # now the certificate is trusted: it works
        update_from_urls(tmp_path / "data", {"echap-ioc": url}, LIMITS)
        assert load_database(tmp_path / "data").matcher("linux").domain("api.examplespy-c2.test")
        clear_cache()
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_cli_info_says_when_the_stored_update_is_damaged(stored, capsys):
    (store_folder(stored) / STORE_NAME).write_text("{ damaged")
    (store_folder(stored) / PREVIOUS_NAME).write_text("[]")
    clear_cache()
    with pytest.raises(SystemExit) as exit_info:
        main(["indicators", "info", "--data-dir", str(stored)])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "last update: never" in out and "could not be used" in out and "built-in indicators only" in out
    clear_cache()


def test_cli_bare_url_is_recognised_by_content(server, tmp_path, capsys):
    clear_cache()
    with pytest.raises(SystemExit) as exit_info:
        main(["indicators", "update", "--url", f"{server}/watchware.yaml", "--data-dir", str(tmp_path)])
    assert exit_info.value.code == 0
    assert "echap-watchware: 1 products" in capsys.readouterr().out
    clear_cache()
