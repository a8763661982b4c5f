"""Parsers for SSH server access: ``authorized_keys`` lines (with the fingerprints ``ssh-keygen -l``
prints, certificates included) and where ``sshd_config`` makes sshd look for keys."""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass
from typing import Iterable

_KEY_TYPE = re.compile(r"^(ssh-(rsa|dss|ed25519|ed448)|ecdsa-sha2-nistp\d+|sk-[a-z0-9-]+@openssh\.com"
                       r"|[a-z0-9-]+-cert-v01@openssh\.com|x509v3-[a-z0-9-]+)$")


@dataclass(frozen=True)
class AuthorizedKey:
    line: int
    key_type: str
    fingerprint: str  # "SHA256:..." as ssh-keygen -l prints it, or "" when the key data is damaged
    comment: str
    options: tuple[str, ...]
    problem: str = ""  # why the line could not be fully understood


def _ssh_strings(blob: bytes, count: int) -> list[bytes] | None:
    """The first ``count`` length-prefixed fields of an SSH wire-format blob, or None if short."""
    fields, at = [], 0
    for _ in range(count):
        if at + 4 > len(blob):
            return None
        size = int.from_bytes(blob[at:at + 4], "big")
        if at + 4 + size > len(blob):
            return None
        fields.append(blob[at + 4:at + 4 + size])
        at += 4 + size
    return fields


# Certificate type -> (the certified key's plain type, number of key fields after the nonce).
_CERT_KEYS = {
    "ssh-rsa-cert-v01@openssh.com": ("ssh-rsa", 2),
    "ssh-ed25519-cert-v01@openssh.com": ("ssh-ed25519", 1),
    "ecdsa-sha2-nistp256-cert-v01@openssh.com": ("ecdsa-sha2-nistp256", 2),
    "ecdsa-sha2-nistp384-cert-v01@openssh.com": ("ecdsa-sha2-nistp384", 2),
    "ecdsa-sha2-nistp521-cert-v01@openssh.com": ("ecdsa-sha2-nistp521", 2),
    "sk-ssh-ed25519-cert-v01@openssh.com": ("sk-ssh-ed25519@openssh.com", 2),
    "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com": ("sk-ecdsa-sha2-nistp256@openssh.com", 3),
}


def _plain_key_of_certificate(blob: bytes) -> bytes | None:
    """The certified public key inside an OpenSSH certificate, in plain public-key wire format."""
    head = _ssh_strings(blob, 1)
    known = _CERT_KEYS.get(head[0].decode("ascii", "replace")) if head else None
    if known is None:
        return None
    plain_type, count = known
    fields = _ssh_strings(blob, 2 + count)  # type, nonce, then the key's own fields
    if fields is None:
        return None
    encoded = plain_type.encode("ascii")
    return len(encoded).to_bytes(4, "big") + encoded + b"".join(
        len(f).to_bytes(4, "big") + f for f in fields[2:])


def ssh_fingerprint(blob_b64: str) -> str | None:
    """The SHA256 fingerprint ssh-keygen shows: base64 (no padding) of SHA-256 over the key blob."""
    try:
        blob = base64.b64decode(blob_b64, validate=True)
    except (binascii.Error, ValueError):
        return None
    if not blob:
        return None
    # NOTE: for a certificate ssh-keygen -l fingerprints the certified key, not the whole certificate.
    blob = _plain_key_of_certificate(blob) or blob
    digest = base64.b64encode(hashlib.sha256(blob).digest()).decode("ascii").rstrip("=")
    return "SHA256:" + digest


def _blob_type(blob_b64: str) -> str | None:
    """The key type written inside the blob (a length-prefixed string), to spot mismatched lines."""
    try:
        blob = base64.b64decode(blob_b64, validate=True)
    except (binascii.Error, ValueError):
        return None
    if len(blob) < 4:
        return None
    size = int.from_bytes(blob[:4], "big")
    if size > 64 or len(blob) < 4 + size:
        return None
    return blob[4:4 + size].decode("ascii", "replace")


def _split_options(line: str) -> tuple[str, str]:
    """Split a leading options field (which may hold quoted spaces) from the rest of the line."""
    quoted = False
    for index, char in enumerate(line):
        if char == '"' and (index == 0 or line[index - 1] != "\\"):
            quoted = not quoted
        elif char in " \t" and not quoted:
            return line[:index], line[index:].strip()
    return line, ""


def _option_list(field_text: str) -> tuple[str, ...]:
    items, current, quoted = [], "", False
    for char in field_text:
        if char == '"':
            quoted = not quoted
        if char == "," and not quoted:
            items.append(current)
            current = ""
        else:
            current += char
    items.append(current)
    return tuple(x.strip() for x in items if x.strip())


def parse_authorized_keys(text: str) -> list[AuthorizedKey]:
    """Every key line in an authorized_keys file (comments and blank lines skipped)."""
    keys = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        options: tuple[str, ...] = ()
        first = line.split(None, 1)[0]
        if not _KEY_TYPE.match(first):
            option_text, line = _split_options(line)
            options = _option_list(option_text)
        parts = line.split(None, 2)
        if len(parts) < 2 or not _KEY_TYPE.match(parts[0]):
            keys.append(AuthorizedKey(number, parts[0] if parts else "", "", "", options,
                                      "not a key line sshd would accept"))
            continue
        key_type, blob = parts[0], parts[1]
        comment = parts[2].strip() if len(parts) > 2 else ""
        fingerprint = ssh_fingerprint(blob)
        problem = ""
        inside = _blob_type(blob)
        if fingerprint is None:
            problem = "the key data is damaged (not valid base64)"
        elif inside is None:
            problem = "the key data is damaged (it does not start with a key type)"
        elif inside != key_type:
            problem = f"the key data says {inside!r}, not {key_type!r}"
        keys.append(AuthorizedKey(number, key_type, fingerprint or "", comment, options, problem))
    return keys


def option_value(options: Iterable[str], name: str) -> str | None:
    """The value of an option such as from="..." or command="...", unquoted; None when absent."""
    for option in options:
        key, sep, value = option.partition("=")
        if key.strip().lower() == name and sep:
            value = value.strip()
            return value[1:-1] if len(value) >= 2 and value[0] == value[-1] == '"' else value
    return None


def sshd_includes(text: str) -> list[tuple[str, list[str]]]:
    """Each line of an sshd_config with the file patterns of its ``Include`` keyword ([] for others)."""
    found = []
    for raw in (text or "").splitlines():
        parts = raw.strip().split()
        is_include = len(parts) > 1 and parts[0].lower() == "include"
        found.append((raw, [p.strip('"') for p in parts[1:]] if is_include else []))
    return found


@dataclass(frozen=True)
class SshdKeySources:
    files: tuple[str, ...]  # AuthorizedKeysFile entries, as written ('.ssh/authorized_keys', '%h/...')
    command: str  # AuthorizedKeysCommand, "" when not set


def parse_sshd_key_sources(text: str) -> SshdKeySources:
    """Where sshd looks for keys: the global AuthorizedKeysFile / AuthorizedKeysCommand lines.

    Settings inside ``Match`` blocks apply only to some logins and are ignored here.
    """
    files: tuple[str, ...] = ()
    command = ""
    for raw in (text or "").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split(None, 1)
        keyword = parts[0].lower()
        if keyword == "match":
            break
        value = parts[1].strip() if len(parts) > 1 else ""
        # NOTE: sshd uses the first value it meets for a keyword.
        if keyword == "authorizedkeysfile" and not files:
            files = tuple(value.split())
        elif keyword == "authorizedkeyscommand" and not command and value.lower() != "none":
            command = value
    return SshdKeySources(files, command)
