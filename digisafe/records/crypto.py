"""Encryption for the incident log, built only from the `cryptography` package's primitives.

- At `log init` an X25519 key pair is made. The public key is kept in the clear; the private key
  is kept wrapped with ChaCha20-Poly1305 under a key derived from the passphrase with scrypt
  (memory-hard; the parameters are stored with the log so they can be raised later).
- Every record (an entry or an attachment) is sealed to the public key: a fresh ephemeral X25519
  key, the shared secret through HKDF-SHA256 gives that record's own keys. This is the way age's
  X25519 recipients and HPKE's base mode (RFC 9180) work, made of standard parts only. So adding
  needs no passphrase and reading does.
- An attachment is encrypted in chunks of CHUNK bytes, each its own ChaCha20-Poly1305 message
  whose nonce is the chunk's index and a last-chunk flag (the STREAM construction age uses): a
  reordered, dropped or cut-off chunk fails to decrypt.

NOTE: HPKE itself is in `cryptography` only from version 46; we support 41+ (Python 3.9 wheels).
"""

from __future__ import annotations

import json
import os
import unicodedata
from dataclasses import asdict, dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

CHUNK = 1 << 20  # plaintext bytes per attachment chunk
TAG = 16
ZERO_NONCE = bytes(12)  # only ever used with a key that encrypts exactly one message
KEY_AAD = b"digisafe-log key v1"


class WrongPassphrase(Exception):
    """The passphrase does not open the log's key."""


class Undecryptable(Exception):
    """A record or chunk fails its authentication: it was changed, damaged or moved."""


@dataclass(frozen=True)
class KdfParams:
    """scrypt cost: N = 2**log_n, memory about 128 * r * N bytes."""

    log_n: int
    r: int
    p: int

    def to_json(self, salt: bytes) -> bytes:
        return json.dumps({**asdict(self), "salt": salt.hex()}, sort_keys=True).encode()

    @staticmethod
    def from_json(raw: bytes) -> tuple[KdfParams, bytes]:
        data = json.loads(raw)
        params = KdfParams(int(data["log_n"]), int(data["r"]), int(data["p"]))
        if not (10 <= params.log_n <= 24 and 1 <= params.r <= 32 and 1 <= params.p <= 16):
            raise ValueError("scrypt parameters out of range")
        return params, bytes.fromhex(data["salt"])


# 2**18 x 8 = 256 MiB and about a second on a laptop: age's default passphrase cost.
PRODUCTION_KDF = KdfParams(18, 8, 1)
# TEST ONLY: passed explicitly to store.create() by the tests; the CLI never uses it.
TEST_ONLY_KDF = KdfParams(10, 8, 1)


def _passphrase_bytes(passphrase: str) -> bytes:
    # NFC so the same passphrase typed on macOS (decomposed accents) and Windows gives the same key.
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def _kek(passphrase: str, params: KdfParams, salt: bytes) -> bytes:
    kdf = Scrypt(salt=salt, length=32, n=2 ** params.log_n, r=params.r, p=params.p)
    return kdf.derive(_passphrase_bytes(passphrase))


@dataclass(frozen=True)
class NewKeys:
    public: bytes
    kdf_json: bytes
    wrapped: bytes


def new_keys(passphrase: str, params: KdfParams, store_id: bytes) -> NewKeys:
    private = X25519PrivateKey.generate()
    public = private.public_key().public_bytes_raw()
    salt = os.urandom(16)
    nonce = os.urandom(12)
    sealed = ChaCha20Poly1305(_kek(passphrase, params, salt)).encrypt(
        nonce, private.private_bytes_raw(), KEY_AAD + store_id + public)
    return NewKeys(public, params.to_json(salt), nonce + sealed)


def unlock(passphrase: str, kdf_json: bytes, wrapped: bytes, store_id: bytes, public: bytes) -> X25519PrivateKey:
    params, salt = KdfParams.from_json(kdf_json)
    try:
        raw = ChaCha20Poly1305(_kek(passphrase, params, salt)).decrypt(
            wrapped[:12], wrapped[12:], KEY_AAD + store_id + public)
    except InvalidTag:
        raise WrongPassphrase() from None
    private = X25519PrivateKey.from_private_bytes(raw)
    if private.public_key().public_bytes_raw() != public:
        raise WrongPassphrase()
    return private


def _derive(shared: bytes, ephemeral: bytes, public: bytes, label: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral + public,
                info=b"digisafe-log v1 " + label).derive(shared)


@dataclass(frozen=True)
class RecordKeys:
    """The keys of one record: ``ephemeral`` (stored first in its body), body key, chunk key."""

    ephemeral: bytes
    body: bytes
    chunks: bytes


def keys_for_new_record(public: bytes) -> RecordKeys:
    ephemeral = X25519PrivateKey.generate()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public))
    epk = ephemeral.public_key().public_bytes_raw()
    return RecordKeys(epk, _derive(shared, epk, public, b"body"), _derive(shared, epk, public, b"chunks"))


def keys_for_reading(private: X25519PrivateKey, ephemeral: bytes) -> RecordKeys:
    public = private.public_key().public_bytes_raw()
    try:
        shared = private.exchange(X25519PublicKey.from_public_bytes(ephemeral))
    except ValueError:
        raise Undecryptable() from None
    return RecordKeys(ephemeral, _derive(shared, ephemeral, public, b"body"),
                      _derive(shared, ephemeral, public, b"chunks"))


def seal_body(keys: RecordKeys, plaintext: bytes, aad: bytes) -> bytes:
    return keys.ephemeral + ChaCha20Poly1305(keys.body).encrypt(ZERO_NONCE, plaintext, aad)


def open_body(private: X25519PrivateKey, body: bytes, aad: bytes) -> tuple[RecordKeys, bytes]:
    if len(body) < 32 + TAG:
        raise Undecryptable()
    keys = keys_for_reading(private, body[:32])
    try:
        return keys, ChaCha20Poly1305(keys.body).decrypt(ZERO_NONCE, body[32:], aad)
    except InvalidTag:
        raise Undecryptable() from None


def chunk_nonce(index: int, last: bool) -> bytes:
    return index.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def seal_chunk(keys: RecordKeys, index: int, last: bool, plaintext: bytes, aad: bytes) -> bytes:
    return ChaCha20Poly1305(keys.chunks).encrypt(chunk_nonce(index, last), plaintext, aad)


def open_chunk(keys: RecordKeys, index: int, last: bool, ciphertext: bytes, aad: bytes) -> bytes:
    try:
        return ChaCha20Poly1305(keys.chunks).decrypt(chunk_nonce(index, last), ciphertext, aad)
    except InvalidTag:
        raise Undecryptable() from None
