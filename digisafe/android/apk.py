"""Who signed an APK: certificates from the v1 JAR signature and the v2/v3 APK Signing Block.

Pure: works on any seekable binary file object (a pulled APK spooled to memory or a private
temporary file), never on a phone. Every malformed input gives a result with ``errors`` filled in,
never an exception: a hostile APK must not stop the audit.

Formats (facts from the Android documentation "APK Signature Scheme v2/v3"):
- v1: ``META-INF/<name>.RSA|.DSA|.EC`` holds a PKCS#7 SignedData whose certificates are the signer's.
- v2/v3: just before the ZIP central directory lies the APK Signing Block: uint64 size, ID-value
  pairs (uint64 length, uint32 id, value), uint64 size again, then the magic ``APK Sig Block 42``.
  Block 0x7109871a is v2, 0xf05368c0 is v3 (0x1b93ad61 v3.1). Inside, every length is uint32 LE:
  signers -> signer -> signed data -> (digests, certificates (X.509 DER), ...).
"""

from __future__ import annotations

import hashlib
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import BinaryIO

V2_ID, V3_ID, V31_ID = 0x7109871A, 0xF05368C0, 0x1B93AD61
MAGIC = b"APK Sig Block 42"
MAX_BLOCK = 64 * 1024 * 1024
MAX_SIG_FILE = 1024 * 1024
_V1_BLOCK = re.compile(r"^META-INF/[^/]+\.(RSA|DSA|EC)$", re.I)


@dataclass(frozen=True)
class SignerCert:
    sha1: str  # upper-case hex, as Echap writes certificate fingerprints
    sha256: str
    subject: str = ""

    @classmethod
    def from_der(cls, der: bytes) -> SignerCert:
        return cls(hashlib.sha1(der).hexdigest().upper(), hashlib.sha256(der).hexdigest().upper(), _subject(der))  # noqa: S324 - a fingerprint, as feeds list it


def _subject(der: bytes) -> str:
    try:
        from cryptography import x509

        return x509.load_der_x509_certificate(der).subject.rfc4514_string()[:300]
    except (ValueError, TypeError):
        return ""


@dataclass
class ApkSigners:
    v1: list[SignerCert] = field(default_factory=list)
    v2: list[SignerCert] = field(default_factory=list)
    v3: list[SignerCert] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def schemes(self) -> list[str]:
        return [name for name in ("v1", "v2", "v3") if getattr(self, name)]

    @property
    def certificates(self) -> list[SignerCert]:
        """Each distinct signer certificate, newest scheme first."""
        seen: dict[str, SignerCert] = {}
        for cert in (*self.v3, *self.v2, *self.v1):
            seen.setdefault(cert.sha256, cert)
        return list(seen.values())


def read_signers(fh: BinaryIO) -> ApkSigners:
    result = ApkSigners()
    try:
        result.v1 = _v1(fh)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError, RuntimeError, zlib.error, struct.error, KeyError) as exc:  # noqa: E501
        result.errors.append(f"v1 signature unreadable: {exc}")
    try:
        blocks = signing_block(fh)
    except ValueError as exc:
        result.errors.append(f"APK Signing Block unreadable: {exc}")
        blocks = {}
    for block_id, name in ((V2_ID, "v2"), (V3_ID, "v3"), (V31_ID, "v3")):
        if block_id in blocks:
            try:
                getattr(result, name).extend(certs_from_scheme_block(blocks[block_id]))
            except ValueError as exc:
                result.errors.append(f"{name} signature unreadable: {exc}")
    if not result.certificates and not result.errors:
        result.errors.append("no signature found (neither v1 nor v2/v3)")
    return result


def _v1(fh: BinaryIO) -> list[SignerCert]:
    from cryptography.hazmat.primitives.serialization import Encoding, pkcs7

    fh.seek(0)
    certs: list[SignerCert] = []
    with zipfile.ZipFile(fh) as archive:
        for info in archive.infolist():
            if not _V1_BLOCK.match(info.filename) or info.file_size > MAX_SIG_FILE:
                continue
            data = archive.read(info)
            for cert in pkcs7.load_der_pkcs7_certificates(data):
                certs.append(SignerCert.from_der(cert.public_bytes(Encoding.DER)))
    return certs


def _eocd(fh: BinaryIO) -> tuple[int, int]:
    """(central directory offset, end of central directory offset)."""
    end = fh.seek(0, 2)
    tail_len = min(end, 65535 + 22)
    fh.seek(end - tail_len)
    tail = fh.read(tail_len)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise ValueError("not a ZIP file (no end of central directory)")
    cd_offset = struct.unpack_from("<I", tail, at + 16)[0]
    eocd_offset = end - tail_len + at
    if cd_offset > eocd_offset:
        raise ValueError("the central directory offset points past the end")
    return cd_offset, eocd_offset


def signing_block(fh: BinaryIO) -> dict[int, bytes]:
    """ID -> value of the APK Signing Block; {} when the APK has none (v1-only)."""
    cd_offset, _ = _eocd(fh)
    if cd_offset < 32:
        return {}
    fh.seek(cd_offset - 24)
    footer = fh.read(24)
    if len(footer) != 24 or footer[8:] != MAGIC:
        return {}
    size = struct.unpack_from("<Q", footer)[0]
    if size < 24 or size > MAX_BLOCK or size + 8 > cd_offset:
        raise ValueError("the signing block size is impossible")
    fh.seek(cd_offset - size - 8)
    block = fh.read(size + 8)
    if struct.unpack_from("<Q", block)[0] != size:
        raise ValueError("the two signing block sizes differ")
    return parse_pairs(block[8:-24])


def parse_pairs(data: bytes) -> dict[int, bytes]:
    pairs: dict[int, bytes] = {}
    pos = 0
    while pos < len(data):
        if len(data) - pos < 12:
            raise ValueError("a signing block entry is cut short")
        length = struct.unpack_from("<Q", data, pos)[0]
        if length < 4 or length > len(data) - pos - 8:
            raise ValueError("a signing block entry has an impossible length")
        block_id = struct.unpack_from("<I", data, pos + 8)[0]
        pairs.setdefault(block_id, data[pos + 12 : pos + 8 + length])
        pos += 8 + length
    return pairs


def _prefixed(data: bytes, pos: int) -> tuple[bytes, int]:
    if len(data) - pos < 4:
        raise ValueError("a length prefix is cut short")
    length = struct.unpack_from("<I", data, pos)[0]
    if length > len(data) - pos - 4:
        raise ValueError("a length-prefixed field runs past its container")
    return data[pos + 4 : pos + 4 + length], pos + 4 + length


def _sequence(data: bytes) -> list[bytes]:
    items, pos = [], 0
    while pos < len(data):
        item, pos = _prefixed(data, pos)
        items.append(item)
    return items


def certs_from_scheme_block(value: bytes) -> list[SignerCert]:
    """Certificates of every signer in a v2 or v3 block value (signatures are not verified here:
    the phone verified them at install; we only need to know who signed)."""
    signers_bytes, _ = _prefixed(value, 0)
    certs: list[SignerCert] = []
    for signer in _sequence(signers_bytes):
        signed_data, _ = _prefixed(signer, 0)
        _digests, pos = _prefixed(signed_data, 0)
        cert_seq, pos = _prefixed(signed_data, pos)
        for der in _sequence(cert_seq):
            certs.append(SignerCert.from_der(der))
    return certs


def sha256_stream(fh: BinaryIO, chunk: int = 1 << 20) -> str:
    fh.seek(0)
    digest = hashlib.sha256()
    for block in iter(lambda: fh.read(chunk), b""):
        digest.update(block)
    return digest.hexdigest()
