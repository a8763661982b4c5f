"""The encryption layer with the real `cryptography` primitives."""

from __future__ import annotations

import json

import pytest

from digisafe.records import crypto
from digisafe.records.reader import UnlockedLog
from digisafe.records.store import FILE_NAME, LogStore
from tests.records.conftest import PASSPHRASE, entry


def test_adding_needs_no_passphrase_and_nothing_is_stored_in_the_clear(log_dir) -> None:
    secret_words = "the blue van outside number 42 again"
    with LogStore.open(log_dir) as store:  # no passphrase given anywhere
        store.add_entry(entry(secret_words, exact_words="I know where you live"))
    raw = (log_dir / FILE_NAME).read_bytes()
    for text in (secret_words, "I know where you live", "Europe/London", "what_happened"):
        assert text.encode() not in raw
    assert sorted(p.name for p in log_dir.iterdir()) == [FILE_NAME]  # no journal, no temp file left


def test_passphrase_is_normalised_nfc(tmp_path) -> None:
    composed, decomposed = "caf\u00e9 au lait tous les jours", "cafe\u0301 au lait tous les jours"
    with LogStore.create(tmp_path / "log", composed, kdf=crypto.TEST_ONLY_KDF) as store:
        UnlockedLog.unlock(store, decomposed)


def test_a_body_opens_only_with_its_own_place(log_dir) -> None:
    keys = crypto.keys_for_new_record(LogStore.open(log_dir).header.public)
    sealed = crypto.seal_body(keys, b'{"a": 1}', b"place-1")
    store = LogStore.open(log_dir)
    private = UnlockedLog.unlock(store, PASSPHRASE).private
    assert crypto.open_body(private, sealed, b"place-1")[1] == b'{"a": 1}'
    with pytest.raises(crypto.Undecryptable):
        crypto.open_body(private, sealed, b"place-2")  # moved to another record number


def test_chunks_detect_reordering_and_a_missing_last_chunk(log_dir) -> None:
    store = LogStore.open(log_dir)
    private = UnlockedLog.unlock(store, PASSPHRASE).private
    keys = crypto.keys_for_new_record(store.header.public)
    chunks = [crypto.seal_chunk(keys, i, i == 2, bytes([i]) * 10, b"aad") for i in range(3)]
    reader = crypto.keys_for_reading(private, keys.ephemeral)
    assert crypto.open_chunk(reader, 1, False, chunks[1], b"aad") == b"\x01" * 10
    with pytest.raises(crypto.Undecryptable):
        crypto.open_chunk(reader, 0, False, chunks[1], b"aad")  # swapped
    with pytest.raises(crypto.Undecryptable):
        crypto.open_chunk(reader, 1, True, chunks[1], b"aad")  # cut after chunk 1: it is not the last


def test_scrypt_parameters_out_of_range_are_refused() -> None:
    raw = json.dumps({"log_n": 40, "r": 8, "p": 1, "salt": "00"}).encode()
    with pytest.raises(ValueError):
        crypto.KdfParams.from_json(raw)
