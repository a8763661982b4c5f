"""Typed snapshots of a phone: what collectors produce and checks judge. Plain frozen data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

# Permissions that let an app watch a person (fine/background location, microphone, messages,
# calls, contacts, camera). Checks judge them; the names are Android's.
WATCHING_PERMISSIONS = {
    "android.permission.ACCESS_FINE_LOCATION": "precise location",
    "android.permission.ACCESS_BACKGROUND_LOCATION": "location in the background",
    "android.permission.RECORD_AUDIO": "microphone",
    "android.permission.READ_SMS": "text messages",
    "android.permission.RECEIVE_SMS": "incoming text messages",
    "android.permission.READ_CALL_LOG": "call history",
    "android.permission.PROCESS_OUTGOING_CALLS": "outgoing calls",
    "android.permission.READ_CONTACTS": "contacts",
    "android.permission.CAMERA": "camera",
}


@dataclass(frozen=True)
class AppInfo:
    package: str
    uid: int | None = None
    version_name: str = ""
    version_code: str = ""
    installer: str | None = None  # None: no installer recorded (adb or a file manager without one)
    initiating_installer: str | None = None
    first_install: str = ""  # as the phone prints it (phone-local time)
    last_update: str = ""
    system: bool = False
    apk_path: str = ""  # base.apk (pm list packages -f)
    requested: tuple[str, ...] = ()
    granted: frozenset[str] = frozenset()
    has_launcher: bool | None = None  # None: not known (dump cut short)
    enabled: bool = True
    installed: bool = True

    @property
    def watching(self) -> list[str]:
        return [WATCHING_PERMISSIONS[p] for p in WATCHING_PERMISSIONS if p in self.granted]

    def evidence(self) -> dict[str, object]:
        return {
            "package": self.package,
            "version": self.version_name or self.version_code,
            "installer": self.installer or "none recorded",
            "first_install": self.first_install,
            "last_update": self.last_update,
            "system": self.system,
        }


@dataclass(frozen=True)
class PackageSnapshot:
    apps: Mapping[str, AppInfo]
    complete: bool = True
    notes: tuple[str, ...] = ()

    def third_party(self) -> list[AppInfo]:
        return [a for a in self.apps.values() if not a.system]


@dataclass(frozen=True)
class SpecialAccess:
    """Powerful access the user (or someone holding the phone) granted to apps."""

    accessibility: tuple[str, ...] = ()  # enabled services, "pkg/class"
    notification_listeners: tuple[str, ...] = ()
    device_admins: tuple[str, ...] = ()
    device_owner: str | None = None  # package
    profile_owners: tuple[str, ...] = ()
    battery_exempt: frozenset[str] = frozenset()  # user-added exemptions only
    install_unknown: frozenset[str] = frozenset()  # apps allowed to install other apps
    notes: tuple[str, ...] = ()

    def packages_with(self, components: tuple[str, ...]) -> set[str]:
        return {c.split("/", 1)[0] for c in components if c}


@dataclass(frozen=True)
class AdbKey:
    fingerprint: str  # MD5 of the key, colon hex, as Android shows it
    label: str  # the "user@host" the computer sent
    last_connection: str | None = None  # ISO 8601 UTC, Android 11+


@dataclass(frozen=True)
class PhoneState:
    """getprop and settings, plus what the shell says about root."""

    props: Mapping[str, str] = field(default_factory=dict)
    global_settings: Mapping[str, str] = field(default_factory=dict)
    secure_settings: Mapping[str, str] = field(default_factory=dict)
    su_paths: tuple[str, ...] = ()
    shell_uid: str = ""
    adb_keys: tuple[AdbKey, ...] = ()
    adb_keys_known: bool = True  # False when `dumpsys adb` could not be read
    current_key: str | None = None  # fingerprint of the key this computer used, when Android says
    notes: tuple[str, ...] = ()

    def prop(self, name: str) -> str:
        return self.props.get(name, "").strip()


@dataclass(frozen=True)
class Account:
    type: str
    name: str


@dataclass(frozen=True)
class AppSignature:
    package: str
    apk_path: str
    apk_sha256: str = ""
    size: int = 0
    cert_sha1: tuple[str, ...] = ()
    cert_sha256: tuple[str, ...] = ()
    schemes: tuple[str, ...] = ()
    error: str = ""
