"""Pull APKs and read who signed them: SHA-256 of the file (streamed while pulling) and the
signer certificates from the v1 and v2/v3 signatures.

Which apps are pulled is the audit's choice (``AndroidDevice.pull_policy``):
- ``suspicious`` (default): apps not installed by a known app store, and apps holding powerful
  access (accessibility, notification listener, device admin) or hidden from the launcher;
- ``all``: every app that is not part of the phone's system;
- ``none``: nothing (certificate matching is then skipped and the report says so).
An APK is spooled in memory up to 32 MB, then in a private temporary file deleted at once.
"""

from __future__ import annotations

import hashlib
import io
import tempfile
import time
from dataclasses import dataclass, field
from typing import Any, Iterable

from digisafe.android.apk import read_signers
from digisafe.android.collect import access, cached, device_of, packages
from digisafe.android.device import AndroidDevice
from digisafe.android.errors import AdbError, DeviceGone
from digisafe.android.snapshot import AppInfo, AppSignature, SpecialAccess

PULL_POLICIES = ("suspicious", "all", "none")
KNOWN_STORES = frozenset({
    "com.android.vending",  # Google Play
    "com.sec.android.app.samsungapps",  # Galaxy Store
    "com.huawei.appmarket", "com.xiaomi.market", "com.xiaomi.mipicks", "com.heytap.market", "com.oppo.market",
    "com.bbk.appstore", "com.amazon.venezia", "org.fdroid.fdroid", "com.google.android.packageinstaller.store",
})  # fmt: skip
SPOOL_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class SignatureSet:
    signatures: dict[str, AppSignature] = field(default_factory=dict)
    policy: str = "suspicious"
    skipped: tuple[str, ...] = ()  # packages not pulled (policy or no APK path)
    pulled_bytes: int = 0
    seconds: float = 0.0
    notes: tuple[str, ...] = ()


def from_store(app: AppInfo) -> bool:
    return app.installer in KNOWN_STORES


def wanted(apps: Iterable[AppInfo], special: SpecialAccess, policy: str) -> list[AppInfo]:
    powerful = (
        special.packages_with(special.accessibility) | special.packages_with(special.notification_listeners)
        | special.packages_with(special.device_admins) | {special.device_owner or ""}
    )  # fmt: skip
    chosen = []
    for app in apps:
        if app.system or policy == "none":
            continue
        if policy == "all" or not from_store(app) or app.package in powerful or app.has_launcher is False:
            chosen.append(app)
    return chosen


class ApkBuffer:
    """A pulled APK: in memory up to SPOOL_BYTES, then in a private temporary file (deleted on close).

    NOTE: tempfile.SpooledTemporaryFile has no seekable() before Python 3.11, and zipfile (which
    reads the v1 signature) needs it: on Python 3.9 and 3.10 every pull failed with AttributeError.
    """

    def __init__(self) -> None:
        self.file: Any = io.BytesIO()

    def write(self, data: bytes) -> None:
        if isinstance(self.file, io.BytesIO) and self.file.tell() + len(data) > SPOOL_BYTES:
            disk = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
            disk.write(self.file.getbuffer())
            self.file = disk
        self.file.write(data)

    def __enter__(self) -> ApkBuffer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.file.close()


def pull_one(device: AndroidDevice, app: AppInfo) -> AppSignature:
    digest = hashlib.sha256()
    with ApkBuffer() as spool:

        def sink(data: bytes) -> None:
            digest.update(data)
            spool.write(data)

        try:
            size = device.pull(app.apk_path, sink)
        except DeviceGone:
            raise
        except AdbError as exc:
            return AppSignature(app.package, app.apk_path, error=str(exc))
        signers = read_signers(spool.file)
    certs = signers.certificates
    return AppSignature(
        app.package, app.apk_path, digest.hexdigest(), size,
        tuple(c.sha1 for c in certs), tuple(c.sha256 for c in certs), tuple(signers.schemes),
        "; ".join(signers.errors) if not certs else "",
    )  # fmt: skip


def read_signatures(device: AndroidDevice, apps: list[AppInfo], policy: str) -> SignatureSet:
    started = time.monotonic()
    found: dict[str, AppSignature] = {}
    total = 0
    for app in apps:
        if not app.apk_path:
            continue
        signature = pull_one(device, app)
        found[app.package] = signature
        total += signature.size
    return SignatureSet(found, policy, (), total, time.monotonic() - started)


def signatures(ctx: Any) -> SignatureSet:
    def collect() -> SignatureSet:
        device = device_of(ctx)
        policy = getattr(device, "pull_policy", "suspicious")
        snapshot = packages(ctx)
        chosen = wanted(snapshot.apps.values(), access(ctx), policy)
        result = read_signatures(device, chosen, policy)
        skipped = tuple(sorted({a.package for a in snapshot.third_party()} - set(result.signatures)))
        return SignatureSet(result.signatures, policy, skipped, result.pulled_bytes, result.seconds)

    return cached(ctx, "android.signatures", collect)
