"""Real signed APKs, made at test time: a ZIP with a v1 JAR signature (MANIFEST.MF, CERT.SF and a
PKCS#7 SignedData in CERT.RSA) and an APK Signing Block with v2 and/or v3 signers, signed with
RSA keys generated here by `cryptography`. Built from the published format, so apksigner verifies
them (see test_apk.py's optional oracle test)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import struct
import zipfile
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID

V2_ID, V3_ID = 0x7109871A, 0xF05368C0
RSA_PKCS1_SHA256 = 0x0103
_KEYS: dict[str, tuple] = {}


@dataclass(frozen=True)
class SigningKey:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate

    @property
    def der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)

    @property
    def sha1(self) -> str:
        return hashlib.sha1(self.der).hexdigest().upper()

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.der).hexdigest().upper()


def make_key(common_name: str) -> SigningKey:
    """A self-signed RSA-2048 certificate (cached per name: key generation is slow)."""
    if common_name not in _KEYS:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
        now = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)
        cert = (
            x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now)
            .not_valid_after(now + dt.timedelta(days=9000)).sign(key, hashes.SHA256())
        )  # fmt: skip
        _KEYS[common_name] = (key, cert)
    return SigningKey(*_KEYS[common_name])


def _lp(data: bytes) -> bytes:
    return struct.pack("<I", len(data)) + data


def _seq(items) -> bytes:
    return _lp(b"".join(_lp(i) for i in items))


def _v1_files(entries: dict[str, bytes], key: SigningKey, v2_too: bool) -> dict[str, bytes]:
    def b64(data: bytes) -> str:
        return base64.b64encode(hashlib.sha256(data).digest()).decode()

    sections = {n: f"Name: {n}\r\nSHA-256-Digest: {b64(d)}\r\n\r\n".encode() for n, d in entries.items()}
    manifest = b"Manifest-Version: 1.0\r\nCreated-By: digisafe tests\r\n\r\n" + b"".join(sections.values())
    head = "Signature-Version: 1.0\r\nCreated-By: digisafe tests\r\n"
    if v2_too:
        head += "X-Android-APK-Signed: 2\r\n"
    sf = (head + f"SHA-256-Digest-Manifest: {b64(manifest)}\r\n\r\n").encode()
    sf += b"".join(f"Name: {n}\r\nSHA-256-Digest: {b64(s)}\r\n\r\n".encode() for n, s in sections.items())
    options = [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.NoAttributes]
    signature = (
        pkcs7.PKCS7SignatureBuilder().set_data(sf).add_signer(key.cert, key.key, hashes.SHA256())
        .sign(serialization.Encoding.DER, options)
    )  # fmt: skip
    return {"META-INF/MANIFEST.MF": manifest, "META-INF/CERT.SF": sf, "META-INF/CERT.RSA": signature}


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED if name.endswith(".arsc") else zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return out.getvalue()


def _chunk_digest(parts: list[bytes]) -> bytes:
    digests = []
    for part in parts:
        for i in range(0, len(part), 1 << 20):
            chunk = part[i : i + (1 << 20)]
            digests.append(hashlib.sha256(b"\xa5" + struct.pack("<I", len(chunk)) + chunk).digest())
    return hashlib.sha256(b"\x5a" + struct.pack("<I", len(digests)) + b"".join(digests)).digest()


def _signer(key: SigningKey, digest: bytes, v3: bool) -> bytes:
    signed = _seq([struct.pack("<I", RSA_PKCS1_SHA256) + _lp(digest)]) + _seq([key.der])
    if v3:  # v3 signed data: digests, certificates, minSdk, maxSdk, attributes
        signed += struct.pack("<II", 24, 0x7FFFFFFF)
    signed += _seq([])
    signature = key.key.sign(signed, padding.PKCS1v15(), hashes.SHA256())
    spki = serialization.PublicFormat.SubjectPublicKeyInfo
    public = key.cert.public_key().public_bytes(serialization.Encoding.DER, spki)
    body = _lp(signed)
    if v3:
        body += struct.pack("<II", 24, 0x7FFFFFFF)
    return body + _seq([struct.pack("<I", RSA_PKCS1_SHA256) + _lp(signature)]) + _lp(public)


def _with_block(apk: bytes, key: SigningKey, schemes: tuple[str, ...]) -> bytes:
    eocd_at = apk.rfind(b"PK\x05\x06")
    cd_offset = struct.unpack_from("<I", apk, eocd_at + 16)[0]
    entries, central, eocd = apk[:cd_offset], apk[cd_offset:eocd_at], apk[eocd_at:]
    digest = _chunk_digest([entries, central, eocd])  # the EOCD's CD offset is the block's offset: unchanged here
    pairs = b""
    for scheme in schemes:
        v3 = scheme == "v3"
        value = _lp(_lp(_signer(key, digest, v3)))
        pair = struct.pack("<I", V3_ID if v3 else V2_ID) + value
        pairs += struct.pack("<Q", len(pair)) + pair
    size = len(pairs) + 8 + 16
    block = struct.pack("<Q", size) + pairs + struct.pack("<Q", size) + b"APK Sig Block 42"
    new_eocd = eocd[:16] + struct.pack("<I", cd_offset + len(block)) + eocd[20:]
    return entries + block + central + new_eocd


def make_apk(package: str, key: SigningKey, schemes: tuple[str, ...] = ("v1", "v2", "v3"), filler: int = 0) -> bytes:
    """A signed APK for ``package``; ``filler`` adds that many incompressible bytes (size tests)."""
    import os

    entries = {
        "AndroidManifest.xml": f"<manifest package='{package}'/>".encode(),
        "classes.dex": b"dex\n035\0" + package.encode() * 20,
        "resources.arsc": b"\x02\x00\x0c\x00" + b"\0" * 64,
    }
    if filler:
        entries["assets/filler.bin"] = os.urandom(filler)
    files = dict(entries)
    if "v1" in schemes:
        files.update(_v1_files(entries, key, v2_too=any(s in schemes for s in ("v2", "v3"))))
    apk = _zip(files)
    block_schemes = tuple(s for s in schemes if s in ("v2", "v3"))
    return _with_block(apk, key, block_schemes) if block_schemes else apk
