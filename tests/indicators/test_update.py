"""`digisafe indicators update` against a real HTTP server on 127.0.0.1: good feeds are stored
atomically with the last good copy kept; malformed, oversized, slow, missing and unreachable feeds
give one clean error and leave the current database working."""

from __future__ import annotations

import http.server
import json
import os
import shutil
import socket
import ssl
import stat
import subprocess
import threading
import time

import pytest
import requests

from digisafe.cli import main
from digisafe.indicators import clear_cache, load_database
from digisafe.indicators.feeds import FeedError
from digisafe.indicators.store import PREVIOUS_NAME, STORE_NAME, store_folder
from digisafe.indicators.update import FetchLimits, check_url, feed_urls, update_from_file, update_from_urls
from tests.indicators import feeds_data

BIG = b"- name: x\n  type: stalkerware\n" + b"#" * 300_000


class FeedHandler(http.server.BaseHTTPRequestHandler):
    routes = {
        "/ioc.yaml": feeds_data.echap_ioc(),
        "/watchware.yaml": feeds_data.echap_watchware(),
        "/rmm.json": feeds_data.lolrmm(),
        "/bad.yaml": b"- name: [unclosed\n",
        "/bad.json": b'[{"Name": ',
        "/big": BIG,
    }

    def log_message(self, *_args):  # keep test output quiet
        pass

    def do_GET(self):  # noqa: N802 - http.server's naming
        if self.path == "/slow":
            time.sleep(1.5)  # longer than the test's read timeout
        if self.path == "/trickle":
            self.send_response(200)
            self.end_headers()
            for _ in range(40):  # each byte resets a read timeout; only the deadline stops it
                self.wfile.write(b"#")
                self.wfile.flush()
                time.sleep(0.05)
            return
        if self.path == "/big-unannounced":
            self.send_response(200)
            self.end_headers()  # no Content-Length: only the streamed cap can stop it
            self.wfile.write(BIG)
            return
        if self.path == "/to-plain-http":
            self.send_response(302)
            self.send_header("Location", "http://example.org/ioc.yaml")
            self.end_headers()
            return
        body = self.routes.get(self.path.replace("/slow", "/ioc.yaml"))
        if body is None:
            self.send_error(404, "Not Found")
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FeedHandler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


LIMITS = FetchLimits(max_bytes=100_000, connect_timeout=2, read_timeout=0.5, deadline=1.0)


@pytest.fixture
def stored(server, tmp_path):
    """A data folder holding a good store (two updates, so a last good copy exists too)."""
    clear_cache()
    update_from_urls(tmp_path, {"echap-ioc": server + "/ioc.yaml"}, LIMITS)
    update_from_urls(tmp_path, {"lolrmm": server + "/rmm.json", "echap-watchware": server + "/watchware.yaml"}, LIMITS)
    yield tmp_path
    clear_cache()


def _snapshot(folder):
    return {p.name: p.read_bytes() for p in store_folder(folder).iterdir()}


def test_good_feeds_are_stored_privately_with_the_last_good_copy(stored):
    folder = store_folder(stored)
    assert sorted(p.name for p in folder.iterdir()) == sorted([PREVIOUS_NAME, STORE_NAME])  # no temp files left
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600 or os.name == "nt"
    store = json.loads((folder / STORE_NAME).read_text())
    assert set(store["feeds"]) == {"echap-ioc", "lolrmm", "echap-watchware"}
    assert set(json.loads((folder / PREVIOUS_NAME).read_text())["feeds"]) == {"echap-ioc"}
    db = load_database(stored)
    assert db.matcher("windows").process("exampledesk.exe", None)
    assert db.matcher("linux").domain("api.examplespy-c2.test")
    assert db.updated and len(db.sources) == 4


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/bad.yaml", "not valid YAML"),
        ("/bad.json", "not valid JSON"),
        ("/big", "larger than"),
        ("/big-unannounced", "larger than"),
        ("/slow", "timeout"),
        ("/trickle", "longer than"),
        ("/missing", "404"),
        ("/to-plain-http", "only https"),
    ],
)
def test_bad_feed_changes_nothing(stored, server, path, message):
    before = _snapshot(stored)
    with pytest.raises(FeedError, match=message):
        update_from_urls(stored, {"echap-ioc": server + path}, LIMITS)
    assert _snapshot(stored) == before
    assert load_database(stored).matcher("windows").process("exampledesk.exe", None)


def test_unreachable_port_changes_nothing(stored):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again at once: nothing listens there
    before = _snapshot(stored)
    with pytest.raises(FeedError, match="could not connect"):
        update_from_urls(stored, {"lolrmm": f"http://127.0.0.1:{port}/rmm.json"}, LIMITS)
    assert _snapshot(stored) == before


def test_one_bad_feed_stops_the_whole_update(stored, server):
    before = _snapshot(stored)
    with pytest.raises(FeedError):
        update_from_urls(stored, {"lolrmm": server + "/rmm.json", "echap-ioc": server + "/bad.yaml"}, LIMITS)
    assert _snapshot(stored) == before


def test_nothing_to_update_is_an_error(stored):
    with pytest.raises(FeedError, match="no feed"):
        update_from_urls(stored, {}, LIMITS)


def test_wrong_feed_at_a_url_is_refused(stored, server):
    with pytest.raises(FeedError, match="expected the echap-ioc feed but got lolrmm"):
        update_from_urls(stored, {"echap-ioc": server + "/rmm.json"}, LIMITS)


def test_damaged_store_falls_back_to_the_last_good_copy_then_built_in(stored):
    (store_folder(stored) / STORE_NAME).write_text("{ damaged")
    clear_cache()
    db = load_database(stored)
    assert any("previous good copy" in n for n in db.notes)
    assert db.matcher("linux").domain("api.examplespy-c2.test")  # from the previous copy
    (store_folder(stored) / PREVIOUS_NAME).write_bytes(
        b'{"format": 1, "feeds": {"x": {"products": [{"id": "BAD"}]}}, "updated": "x"}'
    )
    clear_cache()
    db = load_database(stored)
    assert db.updated is None and any("built-in" in n for n in db.notes)
    assert db.matcher("windows").process("tmagentsvc.exe", None)


def test_verify_is_never_disabled(stored, server, monkeypatch):
    seen = []
    real_get = requests.get

    def spy(*args, **kwargs):
        seen.append(kwargs.get("verify"))
        return real_get(*args, **kwargs)

    monkeypatch.setattr(requests, "get", spy)
    update_from_urls(stored, {"echap-ioc": server + "/ioc.yaml"}, LIMITS)
    assert seen == [True]
    root = os.path.join(os.path.dirname(__file__), "..", "..", "digisafe")
    for folder, _dirs, files in os.walk(root):
        for name in files:
            if name.endswith(".py"):
                with open(os.path.join(folder, name), encoding="utf-8") as handle:
                    assert "verify=False" not in handle.read(), name


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
    before = _snapshot(stored)
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
    assert _snapshot(stored) == before


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
