"""A real HTTP server on 127.0.0.1 serving good and bad feeds, and a data folder holding a stored
update (shared by test_update.py and test_update_cli.py)."""

from __future__ import annotations

import http.server
import threading
import time

import pytest

from digisafe.indicators import clear_cache
from digisafe.indicators.store import store_folder
from digisafe.indicators.update import FetchLimits, update_from_urls
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


def snapshot(folder):
    return {p.name: p.read_bytes() for p in store_folder(folder).iterdir()}
