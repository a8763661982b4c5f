"""Fake phones that answer like real Android 10-15 devices, written from the documented output
formats (AOSP dump code and the Android developer documentation), not copied from any project.

``Phone(...).fake()`` gives a FakePhone for the fake adb server: every read-only command the
audit sends has an answer in the format of that Android release, and each app has a real APK
signed with its own test key.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass, field

from digisafe.android.allowlist import SU_PATHS
from tests.android.apkmaker import make_apk, make_key
from tests.android.fakeadb import FakePhone

SDK = {10: 29, 11: 30, 12: 31, 13: 33, 14: 34, 15: 35}


@dataclass
class App:
    package: str
    version: str = "1.0"
    installer: str | None = "com.android.vending"
    system: bool = False
    launcher: bool = True
    launcher_disabled: bool = False  # the app turned its own launcher icon off
    granted: tuple[str, ...] = ()
    accessibility: str | None = None  # service class
    listener: str | None = None
    admin: str | None = None  # device-admin receiver class
    battery_exempt: bool = False
    install_unknown: bool = False
    signer: str = ""  # signing key name (default: the package)
    first_install: str = "2024-03-01 10:00:00"
    last_update: str = "2024-06-02 11:30:00"
    uid: int = 0


@dataclass
class Phone:
    serial: str = "R58M40ABCDE"
    android: int = 14
    model: str = "SM-S901B"
    maker: str = "samsung"
    patch: str = "2024-05-01"
    apps: list[App] = field(default_factory=list)
    global_settings: dict[str, str] = field(default_factory=dict)
    secure_settings: dict[str, str] = field(default_factory=dict)
    props: dict[str, str] = field(default_factory=dict)
    adb_keys: list[tuple[str, str, int | None]] = field(default_factory=list)  # (base64 key, label, last ms)
    accounts: list[tuple[str, str]] = field(default_factory=list)  # (name, type)
    device_owner: str | None = None
    su: tuple[str, ...] = ()
    shell_uid: str = "uid=2000(shell) gid=2000(shell) groups=2000(shell),1004(input),1007(log) context=u:r:shell:s0"
    apks: bool = True

    def __post_init__(self) -> None:
        base = [
            App("com.android.settings", "14", installer=None, system=True),
            App("com.android.systemui", "14", installer=None, system=True, launcher=False),
            App("com.google.android.gms", "24.20.15", installer=None, system=True, launcher=False),
            App("com.android.vending", "41.2.21", installer=None, system=True),
        ]
        names = {a.package for a in self.apps}
        self.apps = [a for a in base if a.package not in names] + self.apps
        for number, app in enumerate(self.apps):
            app.uid = app.uid or (1000 if app.package == "com.android.settings" else 10100 + number)

    # -- individual outputs -------------------------------------------------------------------
    def apk_path(self, app: App) -> str:
        if app.system:
            return f"/system/priv-app/{app.package.split('.')[-1].title()}/{app.package.split('.')[-1].title()}.apk"
        tag = base64.urlsafe_b64encode(hashlib.sha1(app.package.encode()).digest()[:9]).decode()
        if self.android == 10:
            return f"/data/app/{app.package}-{tag}==/base.apk"
        return f"/data/app/~~{tag}==/{app.package}-{tag[::-1]}==/base.apk"

    def getprop(self) -> bytes:
        props = {
            "ro.product.model": self.model, "ro.product.manufacturer": self.maker,
            "ro.build.version.release": str(self.android), "ro.build.version.sdk": str(SDK[self.android]),
            "ro.build.version.security_patch": self.patch, "ro.build.tags": "release-keys",
            "ro.build.type": "user", "ro.debuggable": "0", "ro.secure": "1", "ro.boot.verifiedbootstate": "green",
            "ro.boot.flash.locked": "1", "ro.boot.vbmeta.device_state": "locked", "ro.serialno": self.serial,
            "persist.sys.timezone": "Europe/London", "ro.crypto.state": "encrypted",
        }  # fmt: skip
        props.update(self.props)
        return "".join(f"[{k}]: [{v}]\n" for k, v in sorted(props.items())).encode()

    def settings(self, namespace: str) -> bytes:
        if namespace == "global":
            values = {"adb_enabled": "1", "development_settings_enabled": "1", "package_verifier_user_consent": "1",
                      "verifier_verify_adb_installs": "1", "airplane_mode_on": "0", "stay_on_while_plugged_in": "0"}  # fmt: skip  # noqa: E501
            values.update(self.global_settings)
        else:
            a11y = ":".join(f"{a.package}/{a.accessibility}" for a in self.apps if a.accessibility)
            listeners = ":".join(f"{a.package}/{a.listener}" for a in self.apps if a.listener)
            values = {"location_mode": "3", "enabled_accessibility_services": a11y or "null",
                      "accessibility_enabled": "1" if a11y else "0", "enabled_notification_listeners": listeners,
                      "android_id": "9774d56d682e549c", "bluetooth_name": "Galaxy S22", "install_non_market_apps": "1"}  # fmt: skip  # noqa: E501
            values.update(self.secure_settings)
        return "".join(f"{k}={v}\n" for k, v in values.items()).encode()

    def pm_list(self) -> bytes:
        rows = []
        for app in self.apps:
            installer = app.installer or "null"
            rows.append(f"package:{self.apk_path(app)}={app.package}  installer={installer} uid:{app.uid}\n")
        return "".join(rows).encode()

    def _resolver(self) -> list[str]:
        out = ["Activity Resolver Table:", "  Non-Data Actions:", "      android.intent.action.MAIN:"]
        for app in self.apps:
            if app.launcher:
                digest = hashlib.md5(app.package.encode()).hexdigest()
                out += [f"        {digest[:7]} {app.package}/.MainActivity filter {digest[7:14]}",
                        '          Action: "android.intent.action.MAIN"',
                        '          Category: "android.intent.category.LAUNCHER"']  # fmt: skip
            elif app.accessibility:
                digest = hashlib.md5(app.package.encode()).hexdigest()
                out += [f"        {digest[:7]} {app.package}/.SetupActivity filter {digest[7:14]}",
                        '          Action: "android.intent.action.MAIN"']  # fmt: skip
        out += ["      android.intent.action.VIEW:", "        1a2b3c4 com.android.settings/.SubSettings filter 5d6e7f8",
                '          Action: "android.intent.action.VIEW"', '          Category: "android.intent.category.DEFAULT"', ""]  # fmt: skip  # noqa: E501
        return out

    def _package_block(self, app: App) -> list[str]:
        flags = "SYSTEM HAS_CODE ALLOW_CLEAR_USER_DATA" if app.system else "HAS_CODE ALLOW_CLEAR_USER_DATA ALLOW_BACKUP"
        out = [f"  Package [{app.package}] ({hashlib.md5(app.package.encode()).hexdigest()[:7]}):",
               f"    userId={app.uid}", f"    pkg=Package{{3f2a1b {app.package}}}",
               f"    codePath={self.apk_path(app).rsplit('/', 1)[0]}", "    primaryCpuAbi=arm64-v8a",
               f"    versionCode={int(hashlib.md5(app.version.encode()).hexdigest()[:4], 16)} minSdk=26 targetSdk={SDK[self.android]}",  # noqa: E501
               f"    versionName={app.version}", f"    flags=[ {flags} ]", f"    timeStamp={app.last_update}",
               f"    firstInstallTime={app.first_install}", f"    lastUpdateTime={app.last_update}"]  # fmt: skip
        if self.android >= 11:
            out.append(f"    installerPackageName={app.installer or 'null'}")
            out.append(f"    initiatingPackageName={app.installer or 'null'}")
        elif app.installer:
            out.append(f"    installerPackageName={app.installer}")
        out.append("    signatures=PackageSignatures{5c1e2d version:2, signatures:[8e7f6a5b], past signatures:[]}")
        requested = ["android.permission.INTERNET", *app.granted]
        out += ["    requested permissions:"] + [f"      {p}" for p in requested]
        out += ["    install permissions:", "      android.permission.INTERNET: granted=true"]
        out.append("    User 0: ceDataInode=4242 installed=true hidden=false suspended=false distractionFlags=0 "
                   "stopped=false notLaunched=false enabled=0 instant=false virtual=false")  # fmt: skip
        out.append("      gids=[3003]")
        if app.granted:
            out.append("      runtime permissions:")
            out += [f"        {p}: granted=true, flags=[ USER_SET|USER_SENSITIVE_WHEN_GRANTED ]" for p in app.granted]
        if app.launcher_disabled:
            out += ["      disabledComponents:", f"        {app.package}.MainActivity"]
        return out

    def dumpsys_package(self) -> bytes:
        out = ["Database versions:", "  Internal:", "    sdkVersion=34 databaseVersion=3", "",
               "Verifiers:", "  Required: com.android.vending (uid=10096)", ""]  # fmt: skip
        out += self._resolver()
        out += ["Key Set Manager:", "  [com.android.settings]", "      Signing KeySets: 1", "", "Packages:"]
        for app in self.apps:
            out += self._package_block(app)
        out += ["", "Hidden system packages:", "  Package [com.google.android.gms] (1a2b3c):", "    userId=10111",
                "    versionName=ancient", "", "Queries:", "  system apps queryable: false"]  # fmt: skip
        return ("\n".join(out) + "\n").encode()

    def dumpsys_accessibility(self) -> bytes:
        enabled = [f"{a.package}/{a.package}.{a.accessibility.lstrip('.')}" for a in self.apps if a.accessibility]
        if self.android >= 14:
            services = ", ".join("{" + c + "}" for c in enabled)
            body = [f"  Enabled services:{services}" if enabled else "  Enabled services:{}"]
        else:
            body = ["  Enabled services:{" + ", ".join("{" + c + "}" for c in enabled) + "}"]
        lines = ["ACCESSIBILITY MANAGER (dumpsys accessibility)", "", "currentUserId=0", "User state[",
                 "  attributes:{id=0, touchExplorationEnabled=false, serviceHandlesDoubleTap=false}",
                 "  installed services: {"]  # fmt: skip
        lines += [f"    {i} : {c}" for i, c in enumerate(enabled)] + ["  }", "  Bound services:{}", *body,
                                                                      "  Binding services:{}", "]"]  # fmt: skip
        return ("\n".join(lines) + "\n").encode()

    def dumpsys_notification(self) -> bytes:
        listeners = [f"{a.package}/{a.package}.{a.listener.lstrip('.')}" for a in self.apps if a.listener]
        lines = ["Current Notification Manager state:", "  Notification List:", "", "  Notification listeners:",
                 f"    All notification listeners ({len(listeners)}) enabled for current profiles:"]  # fmt: skip
        lines += [f"      {c}" for c in listeners]
        lines += ["    Live notification listeners (0):", "", "  Policy access:", "    allowed=[]"]
        return ("\n".join(lines) + "\n").encode()

    def dumpsys_device_policy(self) -> bytes:
        lines = ["Current Device Policy Manager state:", "  Immutable state:", "    mHasFeature=true", ""]
        if self.device_owner:
            lines += ["  Device Owner: ", f"    admin=ComponentInfo{{{self.device_owner}/.Admin}}", "    name=",
                      f"    package={self.device_owner}", "    User ID: 0", ""]  # fmt: skip
        lines += ["  Enabled Device Admins (User 0, provisioningState: 0):"]
        for app in self.apps:
            if app.admin:
                lines += [f"    {app.package}/{app.admin}:", f"      uid={app.uid}", "      testOnlyAdmin=false",
                          "      policies:", "        watch-login", "        wipe-data", "        force-lock"]  # fmt: skip  # noqa: E501
        lines += ["", "  Encryption Status: per-user"]
        return ("\n".join(lines) + "\n").encode()

    def dumpsys_adb(self) -> bytes:
        user_keys = "\n".join(f"{k} {label}" for k, label, _ in self.adb_keys)
        lines = ["ADB MANAGER STATE (dumpsys adb):", "{", "  debugging_manager={", "    connected_to_adb=true"]
        if self.adb_keys:
            raw = base64.b64decode(self.adb_keys[-1][0])
            md5 = hashlib.md5(raw).hexdigest().upper()
            lines.append("    last_key_received=" + ":".join(md5[i : i + 2] for i in range(0, 32, 2)))
        lines.append(f"    user_keys={user_keys}")
        if self.android >= 11:
            xml = ["<?xml version='1.0' encoding='utf-8' standalone='yes' ?>", '<keyStore version="1">']
            xml += [f'<adbKey key="{k} {label}" lastConnection="{ms}" />' for k, label, ms in self.adb_keys if ms]
            lines.append("    keystore=" + "\n".join(xml + ["</keyStore>"]))
        lines += ["  }", "}"]
        return ("\n".join(lines) + "\n").encode()

    def dumpsys_account(self) -> bytes:
        lines = ["User UserInfo{0:Owner:c13}:", f"  Accounts: {len(self.accounts)}"]
        lines += [f"    Account {{name={name}, type={type_}}}" for name, type_ in self.accounts]
        lines += ["", "  Active Sessions: 0", ""]
        return ("\n".join(lines) + "\n").encode()

    def deviceidle(self) -> bytes:
        rows = ["system-excidle,com.android.phone,1001", "system,com.google.android.gms,10111"]
        rows += [f"user,{a.package},{a.uid}" for a in self.apps if a.battery_exempt]
        return ("\n".join(rows) + "\n").encode()

    def appops(self) -> bytes:
        names = [a.package for a in self.apps if a.install_unknown]
        return ("\n".join(names) + "\n").encode() if names else b"No operations.\n"

    # -- the fake ---------------------------------------------------------------------------------
    def commands(self) -> dict[str, bytes]:
        cmds = {
            "getprop": self.getprop(), "settings list global": self.settings("global"),
            "settings list secure": self.settings("secure"), "pm list packages -f -i -U": self.pm_list(),
            "dumpsys package": self.dumpsys_package(), "dumpsys accessibility": self.dumpsys_accessibility(),
            "dumpsys notification": self.dumpsys_notification(), "dumpsys device_policy": self.dumpsys_device_policy(),
            "dumpsys adb": self.dumpsys_adb(), "dumpsys account": self.dumpsys_account(),
            "dumpsys deviceidle whitelist": self.deviceidle(),
            "appops query-op REQUEST_INSTALL_PACKAGES allow": self.appops(), "id": self.shell_uid.encode() + b"\n",
        }  # fmt: skip
        for path in SU_PATHS:
            cmds[f"ls -d {path}"] = (path + "\n").encode() if path in self.su else b""
        for app in self.apps:
            cmds[f"pm path {app.package}"] = f"package:{self.apk_path(app)}\n".encode()
        return cmds

    def fake(self, **kw) -> FakePhone:
        cmds = self.commands()
        missing = {f"ls -d {p}": 1 for p in SU_PATHS if p not in self.su}
        errors = {f"ls -d {p}": f"ls: {p}: No such file or directory\n".encode() for p in SU_PATHS if p not in self.su}
        files = {}
        if self.apks:
            for app in self.apps:
                if not app.system:
                    files[self.apk_path(app)] = make_apk(app.package, make_key(app.signer or app.package))
        token = self.model.replace("-", "_").replace(" ", "_")  # adb prints no spaces in these fields
        details = {"product": token.lower(), "model": token, "device": token.lower(), "transport_id": "1"}
        return FakePhone(self.serial, cmds, files, details=details, exit_codes=missing, stderr=errors, **kw)


def adb_key(seed: str) -> str:
    """A base64 adb public key blob (the real format starts 'QAAAA': a 0x40-word RSA key struct)."""
    body = b"\x40\x00\x00\x00" + hashlib.sha512(seed.encode()).digest() * 8
    return base64.b64encode(body).decode()
