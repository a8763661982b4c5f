"""Parsers for local user accounts: Linux /etc/passwd, /etc/group, /etc/login.defs and /etc/shadow;
macOS ``dscl`` output. (Windows ``net`` output is parsed in ``windows.py``.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ADMIN_GROUPS = ("sudo", "wheel", "admin")
_NO_LOGIN_SHELLS = {"nologin", "false", "sync", "shutdown", "halt", "true"}


@dataclass(frozen=True)
class PasswdEntry:
    name: str
    uid: int
    gid: int
    gecos: str
    home: str
    shell: str

    @property
    def can_log_in(self) -> bool:
        return bool(self.shell) and self.shell.rsplit("/", 1)[-1] not in _NO_LOGIN_SHELLS


def parse_passwd(text: str) -> list[PasswdEntry]:
    entries = []
    for line in (text or "").splitlines():
        fields = line.split(":")
        if len(fields) < 7 or not fields[0] or fields[0].startswith(("#", "+", "-")):
            continue
        try:
            uid, gid = int(fields[2]), int(fields[3])
        except ValueError:
            continue
        entries.append(PasswdEntry(fields[0], uid, gid, fields[4], fields[5], fields[6].strip()))
    return entries


def parse_group(text: str) -> dict[str, tuple[int | None, list[str]]]:
    """group name -> (gid, listed members)."""
    groups: dict[str, tuple[int | None, list[str]]] = {}
    for line in (text or "").splitlines():
        fields = line.split(":")
        if len(fields) < 4 or not fields[0] or fields[0].startswith("#"):
            continue
        gid = int(fields[2]) if fields[2].strip().isdigit() else None
        groups[fields[0]] = (gid, [m.strip() for m in fields[3].split(",") if m.strip()])
    return groups


def uid_min(login_defs: str) -> int:
    """UID_MIN from /etc/login.defs (1000 when absent or odd)."""
    match = re.search(r"^\s*UID_MIN\s+(\d+)", login_defs or "", re.MULTILINE)
    return int(match.group(1)) if match else 1000


def admin_members(passwd: list[PasswdEntry], groups: dict[str, tuple[int | None, list[str]]]) -> dict[str, list[str]]:
    """user -> admin groups they belong to, by listing or by primary group."""
    found: dict[str, list[str]] = {}
    for group in ADMIN_GROUPS:
        if group not in groups:
            continue
        gid, members = groups[group]
        names = set(members) | {p.name for p in passwd if gid is not None and p.gid == gid}
        for name in names:
            found.setdefault(name, []).append(group)
    return found


def locked_accounts(shadow: str) -> set[str]:
    """Accounts whose password field is locked or empty-of-hash ('!', '*', '!!'): no password sign-in."""
    locked = set()
    for line in (shadow or "").splitlines():
        fields = line.split(":")
        if len(fields) >= 2 and fields[0] and fields[1].startswith(("!", "*")):
            locked.add(fields[0])
    return locked


def parse_dscl_ids(text: str) -> dict[str, int]:
    """``dscl . list /Users UniqueID``: 'name   501' per line."""
    users = {}
    for line in (text or "").splitlines():
        parts = line.split()
        if len(parts) == 2 and re.fullmatch(r"-?\d+", parts[1]):
            users[parts[0]] = int(parts[1])
    return users


def parse_dscl_members(text: str) -> list[str]:
    """``dscl . read /Groups/admin GroupMembership``: 'GroupMembership: root sam' (may wrap lines)."""
    _, sep, rest = (text or "").partition("GroupMembership:")
    if not sep:
        return []
    members = []
    for line in rest.splitlines():
        if re.match(r"^\S+:", line.strip()) and not line.startswith(" "):
            break  # the next attribute
        members.extend(line.split())
    return members


def _first(value: object) -> str:
    """dslocal plists store every attribute as a list of strings."""
    if isinstance(value, list) and value:
        value = value[0]
    return value.strip() if isinstance(value, str) else ""


def dslocal_user(data: object) -> dict[str, int]:
    """/var/db/dslocal/nodes/Default/users/<name>.plist: {'name': [..], 'uid': ['501']} -> {name: uid}."""
    if not isinstance(data, dict):
        return {}
    name, uid = _first(data.get("name")), _first(data.get("uid"))
    if not name or not re.fullmatch(r"-?\d+", uid):
        return {}
    return {name: int(uid)}


def dslocal_group_members(data: object) -> list[str]:
    """/var/db/dslocal/nodes/Default/groups/admin.plist: 'users' lists the member names."""
    users = data.get("users") if isinstance(data, dict) else None
    return [u for u in users if isinstance(u, str)] if isinstance(users, list) else []
