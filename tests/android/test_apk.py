"""APK signer certificates from real APKs signed at test time (v1 PKCS#7, v2 and v3 blocks)."""

from __future__ import annotations

import hashlib
import io
import shutil
import struct
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digisafe.android.apk import certs_from_scheme_block, parse_pairs, read_signers, sha256_stream, signing_block
from tests.android.apkmaker import make_apk, make_key


@pytest.mark.parametrize("schemes", [("v1",), ("v2",), ("v3",), ("v1", "v2"), ("v1", "v2", "v3")])
def test_signer_certificate_from_each_scheme(schemes):
    key = make_key("Example Monitoring Ltd")
    signers = read_signers(io.BytesIO(make_apk("com.example.monitor", key, schemes)))
    assert signers.schemes == list(schemes) and not signers.errors
    assert [(c.sha1, c.sha256) for c in signers.certificates] == [(key.sha1, key.sha256)]
    assert signers.certificates[0].subject == "CN=Example Monitoring Ltd"


def test_a_renamed_app_keeps_its_signer():
    key = make_key("Example Monitoring Ltd")
    a = read_signers(io.BytesIO(make_apk("com.example.monitor", key)))
    b = read_signers(io.BytesIO(make_apk("com.android.system.update", key)))
    assert a.certificates == b.certificates


def test_sha256_is_streamed():
    data = make_apk("com.x.y", make_key("k"), filler=3_000_000)
    assert sha256_stream(io.BytesIO(data), chunk=4096) == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize(
    "data",
    [b"", b"not a zip", b"PK\x05\x06" + b"\0" * 18, b"PK\x05\x06" + b"\0" * 12 + struct.pack("<I", 999) + b"\0\0"],
)
def test_garbage_gives_errors_not_exceptions(data):
    result = read_signers(io.BytesIO(data))
    assert result.certificates == [] and result.errors


def test_a_damaged_signing_block_is_reported():
    apk = bytearray(make_apk("com.x.y", make_key("k"), ("v2",)))
    at = apk.find(b"APK Sig Block 42")
    apk[at - 8 : at] = struct.pack("<Q", 10**12)  # an impossible size
    result = read_signers(io.BytesIO(bytes(apk)))
    assert result.v2 == [] and any("signing block" in e for e in result.errors)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_scheme_block_parsers_never_crash(data):
    for parse in (parse_pairs, certs_from_scheme_block):
        try:
            parse(data)
        except ValueError:
            pass


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=4000), st.binary(min_size=1, max_size=8))
def test_corrupted_apks_never_crash(offset, junk):
    apk = bytearray(make_apk("com.x.y", make_key("k")))
    at = offset % len(apk)
    apk[at : at + len(junk)] = junk
    result = read_signers(io.BytesIO(bytes(apk)))
    assert isinstance(result.errors, list)
    try:
        signing_block(io.BytesIO(bytes(apk)))
    except ValueError:
        pass


@pytest.mark.skipif(shutil.which("apksigner") is None, reason="apksigner is absent (optional oracle)")
def test_apksigner_agrees(tmp_path):
    key = make_key("Oracle Signer")
    path = tmp_path / "app.apk"
    path.write_bytes(make_apk("com.example.oracle", key))
    out = subprocess.run(
        ["apksigner", "verify", "--min-sdk-version", "24", "--print-certs", "-v", str(path)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert out.returncode == 0, out.stdout + out.stderr
    assert f"certificate SHA-1 digest: {key.sha1.lower()}" in out.stdout
    assert f"certificate SHA-256 digest: {key.sha256.lower()}" in out.stdout
    ours = read_signers(io.BytesIO(path.read_bytes()))
    assert ours.certificates[0].sha1 == key.sha1
