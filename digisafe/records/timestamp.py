"""`digisafe log timestamp`: an RFC 3161 trusted timestamp of the log's head hash.

The request (TimeStampReq) is a few fixed DER fields, built here; the answer is read only as far
as needed to check that the authority granted it for *our* hash and nonce and to show its time.
The signed token is then kept in the log as a file (so the chain covers it too). We do not check
the authority's signature ourselves: `openssl ts -verify` does that (docs/records.md), with the
authority's certificate, which only the person and the police can choose to trust.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from digisafe.records.errors import LogError

SHA256_OID = bytes.fromhex("0609608648016503040201")  # 2.16.840.1.101.3.4.2.1, DER with tag and length
MAX_RESPONSE = 64 * 1024


def _tlv(tag: int, body: bytes) -> bytes:
    n = len(body)
    if n < 0x80:
        return bytes([tag, n]) + body
    size = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(size)]) + size + body


def _integer(value: int) -> bytes:
    return _tlv(0x02, value.to_bytes(value.bit_length() // 8 + 1, "big"))


def build_request(digest: bytes, nonce: int) -> bytes:
    """TimeStampReq { version 1, messageImprint { sha256, digest }, nonce, certReq TRUE }."""
    imprint = _tlv(0x30, _tlv(0x30, SHA256_OID + b"\x05\x00") + _tlv(0x04, digest))
    return _tlv(0x30, _integer(1) + imprint + _integer(nonce) + b"\x01\x01\xff")


def new_nonce() -> int:
    return int.from_bytes(os.urandom(8), "big")


def _read(data: bytes, at: int) -> tuple[int, int, int]:
    """(tag, start of body, end of body) of the DER element at ``at``; ValueError if cut short."""
    if at + 2 > len(data):
        raise ValueError("cut short")
    tag, first = data[at], data[at + 1]
    at += 2
    if first & 0x80:
        count = first & 0x7F
        if count == 0 or count > 4 or at + count > len(data):
            raise ValueError("bad length")
        length, at = int.from_bytes(data[at:at + count], "big"), at + count
    else:
        length = first
    if at + length > len(data):
        raise ValueError("cut short")
    return tag, at, at + length


def _children(data: bytes, start: int, end: int) -> list[tuple[int, int, int, int]]:
    """(tag, element start, body start, end) of each element between ``start`` and ``end``."""
    out, at = [], start
    while at < end:
        tag, body, stop = _read(data, at)
        out.append((tag, at, body, stop))
        at = stop
    return out


@dataclass(frozen=True)
class Granted:
    token: bytes  # the signed TimeStampToken (CMS ContentInfo), DER
    gen_time: str  # the authority's time, as it wrote it (GeneralizedTime, UTC)


def _inside(data: bytes, element: tuple[int, int, int, int], index: int) -> tuple[int, int, int, int]:
    return _children(data, element[2], element[3])[index]


def _tst_info(data: bytes, token: tuple[int, int, int, int]) -> bytes:
    """ContentInfo -> [0] SignedData -> encapContentInfo -> [0] OCTET STRING -> TSTInfo (DER)."""
    signed = _inside(data, _inside(data, token, 1), 0)
    octets = _inside(data, _inside(data, _inside(data, signed, 2), 1), 0)
    return data[octets[2]:octets[3]]


def parse_response(data: bytes, digest: bytes, nonce: int) -> Granted:
    """Check the authority granted a timestamp for ``digest`` and ``nonce``; LogError otherwise."""
    try:
        _tag, start, end = _read(data, 0)
        parts = _children(data, start, end)
        status = _inside(data, parts[0], 0)
        code = int.from_bytes(data[status[2]:status[3]], "big")
        if code not in (0, 1):
            raise LogError(f"the timestamp authority refused the request (status {code})")
        if len(parts) < 2:
            raise ValueError("no token")
        token = data[parts[1][1]:parts[1][3]]
        info = _tst_info(data, parts[1])
        fields = _children(info, *_read(info, 0)[1:])
        hashed_at = _inside(info, fields[2], 1)
        hashed = info[hashed_at[2]:hashed_at[3]]
        if fields[4][0] != 0x18:
            raise ValueError("no time")
        gen = info[fields[4][2]:fields[4][3]].decode("ascii")
        nonces = [info[b:e] for t, _s, b, e in fields[5:] if t == 0x02]
    except (ValueError, IndexError, UnicodeDecodeError):
        raise LogError("the timestamp authority's answer is not a valid RFC 3161 response") from None
    if hashed != digest:
        raise LogError("the timestamp authority answered for a different hash; nothing was added")
    if not nonces or int.from_bytes(nonces[0], "big") != nonce:
        raise LogError("the timestamp authority's answer does not carry our nonce (replayed?); nothing was added")
    return Granted(token, gen)



def request_timestamp(url: str, digest: bytes, timeout: float = 30.0) -> Granted:
    """POST a request to the authority at ``url`` (the only network use of the log). Plain http is
    allowed: the answer is signed, and many authorities only serve http."""
    import requests

    if not url.lower().startswith(("http://", "https://")):
        raise LogError(f"--tsa {url!r}: give the authority's http:// or https:// address")
    nonce = new_nonce()
    try:
        with requests.post(url, data=build_request(digest, nonce), timeout=(10, timeout), stream=True,
                           headers={"Content-Type": "application/timestamp-query"}) as resp:
            if resp.status_code != 200:
                raise LogError(f"the timestamp authority answered HTTP {resp.status_code}; nothing was added")
            body = b""
            for part in resp.iter_content(8192):
                body += part
                if len(body) > MAX_RESPONSE:
                    raise LogError("the timestamp authority's answer is too large; nothing was added")
    except requests.exceptions.RequestException as exc:
        raise LogError(f"cannot reach the timestamp authority {url}: {type(exc).__name__}") from None
    return parse_response(body, digest, nonce)
