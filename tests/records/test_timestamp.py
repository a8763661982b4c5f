"""`log timestamp`: RFC 3161 against a local OpenSSL timestamp authority on 127.0.0.1, and the
token verified afterwards with `openssl ts -verify`."""

from __future__ import annotations

import datetime
import http.server
import io
import shutil
import subprocess
import threading

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from digisafe.records.errors import LogError
from digisafe.records.reader import UnlockedLog
from digisafe.records.store import LogStore
from digisafe.records.timestamp import build_request, parse_response
from tests.records.conftest import PASSPHRASE, entry

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed")

CONFIG = """
[ tsa ]
default_tsa = tsa_config1
[ tsa_config1 ]
serial = {serial}
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ess_cert_id_alg = sha256
"""


def _cert(name: str, key, issuer_name: str, issuer_key, ca: bool):  # noqa: ANN001, ANN202
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (x509.CertificateBuilder()
               .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
               .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer_name)]))
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=2))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if not ca:
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    return builder.sign(issuer_key, hashes.SHA256())


@pytest.fixture
def tsa(tmp_path):
    """A timestamp authority: `openssl ts -reply` behind a real HTTP server on 127.0.0.1."""
    ca_key, tsa_key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca = _cert("Test CA", ca_key, "Test CA", ca_key, True)
    signer = _cert("Test TSA", tsa_key, "Test CA", ca_key, False)
    pem = serialization.Encoding.PEM
    (tmp_path / "ca.pem").write_bytes(ca.public_bytes(pem))
    (tmp_path / "tsa.pem").write_bytes(signer.public_bytes(pem))
    (tmp_path / "tsa.key").write_bytes(tsa_key.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                                                             serialization.NoEncryption()))
    (tmp_path / "serial").write_text("01\n")
    (tmp_path / "tsa.cnf").write_text(CONFIG.format(serial=tmp_path / "serial"))

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            query = self.rfile.read(int(self.headers["Content-Length"]))
            (tmp_path / "q.tsq").write_bytes(query)
            subprocess.run(["openssl", "ts", "-reply", "-config", str(tmp_path / "tsa.cnf"), "-queryfile",
                            str(tmp_path / "q.tsq"), "-signer", str(tmp_path / "tsa.pem"), "-inkey",
                            str(tmp_path / "tsa.key"), "-out", str(tmp_path / "r.tsr")], check=True,
                           capture_output=True)
            body = (tmp_path / "r.tsr").read_bytes()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:  # noqa: ANN002 - keep test output quiet
            return None

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", tmp_path
    server.shutdown()
    server.server_close()


def test_timestamp_of_the_head_is_kept_and_verifies_with_openssl(log_dir, run, tsa) -> None:
    url, folder = tsa
    with LogStore.open(log_dir) as store:
        store.add_entry(entry("before the timestamp"))
    done = run("log", "timestamp", "--folder", str(log_dir), "--tsa", url)
    assert done.returncode == 0, done.stderr
    assert "The token is kept as #2" in done.stdout
    with LogStore.open(log_dir) as store:
        head = store.row(1).hash
        log = UnlockedLog.unlock(store, PASSPHRASE)
        record = log.record(2)
        token = io.BytesIO()
        log.write_attachment(record, token)
    assert record.data["source"] == "digisafe log timestamp" and head.hex() in record.data["note"]
    (folder / "token.der").write_bytes(token.getvalue())
    check = subprocess.run(["openssl", "ts", "-verify", "-digest", head.hex(), "-in", str(folder / "token.der"),
                            "-token_in", "-CAfile", str(folder / "ca.pem"), "-untrusted", str(folder / "tsa.pem")],
                           capture_output=True, text=True)
    assert check.returncode == 0 and "Verification: OK" in check.stdout, check.stdout + check.stderr
    assert run("log", "verify", "--folder", str(log_dir)).returncode == 0


def test_an_answer_for_another_hash_or_nonce_is_refused(tsa) -> None:
    _url, folder = tsa
    digest = bytes(range(32))
    (folder / "mine.tsq").write_bytes(build_request(digest, 12345))
    subprocess.run(["openssl", "ts", "-reply", "-config", str(folder / "tsa.cnf"), "-queryfile",
                    str(folder / "mine.tsq"), "-signer", str(folder / "tsa.pem"), "-inkey", str(folder / "tsa.key"),
                    "-out", str(folder / "mine.tsr")], check=True, capture_output=True)
    answer = (folder / "mine.tsr").read_bytes()
    assert parse_response(answer, digest, 12345).gen_time.endswith("Z")
    with pytest.raises(LogError, match="different hash"):
        parse_response(answer, bytes(32), 12345)
    with pytest.raises(LogError, match="nonce"):
        parse_response(answer, digest, 54321)
    for cut in (0, 5, len(answer) // 2):
        with pytest.raises(LogError, match="not a valid RFC 3161"):
            parse_response(answer[:cut], digest, 12345)


def test_an_empty_or_broken_log_is_not_timestamped(log_dir, run, tsa) -> None:
    done = run("log", "timestamp", "--folder", str(log_dir), "--tsa", tsa[0])
    assert done.returncode == 2 and "the log is empty" in done.stderr


def test_any_bytes_give_an_answer_or_a_clean_error() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=300, deadline=None)
    @given(st.binary(max_size=400))
    def check(data: bytes) -> None:
        try:
            parse_response(data, bytes(32), 1)
        except LogError:
            pass

    check()
