"""Collectors: read the phone through its AndroidDevice (Context.device) and return typed
snapshots. Each collection runs once per audit (Context.cached) and is shared by the checks.

A collector never judges. When part of the phone could not be read it says so in the snapshot's
``notes`` (the checks turn notes into limitations); when the phone is gone it raises, and the
runner shows that check as failed with the one-line reason.
"""

from __future__ import annotations

from typing import Any, Callable, TypeVar

from digisafe.android import parse_dumpsys, parse_simple
from digisafe.android.allowlist import SU_PATHS
from digisafe.android.device import LARGE_MAX_OUTPUT, AndroidDevice
from digisafe.android.errors import AdbError, DeviceGone
from digisafe.android.parse_package import build_apps, parse_package_dump
from digisafe.android.snapshot import Account, PackageSnapshot, PhoneState, SpecialAccess

T = TypeVar("T")


class NoPhone(AdbError):
    """The audit has no phone to read (a check ran outside a phone audit)."""


def device_of(ctx: Any) -> AndroidDevice:
    device = getattr(ctx, "device", None)
    if device is None:
        raise NoPhone("no phone is connected to this audit")
    return device


def cached(ctx: Any, key: str, factory: Callable[[], T]) -> T:
    return ctx.cached(key, factory)


def _text(device: AndroidDevice, argv: list[str]) -> str:
    return device.run(argv).text


def _soft(device: AndroidDevice, argv: list[str], notes: list[str]) -> str:
    """Output of a command whose absence only narrows the audit (an odd or old phone): '' and a
    note on failure. A phone that went away still raises."""
    try:
        result = device.run_once(argv)
    except DeviceGone:
        raise
    except AdbError as exc:
        notes.append(f"`{' '.join(argv)}` could not be read ({exc})")
        return ""
    if result.truncated:
        notes.append(f"`{' '.join(argv)}` was cut at {len(result.stdout) // (1024 * 1024)} MB")
    return result.text


def read_packages(device: AndroidDevice) -> PackageSnapshot:
    listed = parse_simple.pm_list_packages(_text(device, ["pm", "list", "packages", "-f", "-i", "-U"]))
    notes: list[str] = []
    stream, lines = device.lines(["dumpsys", "package"], max_bytes=LARGE_MAX_OUTPUT)
    dump = parse_package_dump(parse_simple.lines(lines))
    complete = not stream.truncated
    if stream.truncated:
        notes.append(f"the package dump was cut at {LARGE_MAX_OUTPUT // (1024 * 1024)} MB: details of some apps are missing")  # noqa: E501
    if not dump.saw_packages:
        notes.append("the package dump had no package details (an unusual phone): permissions and dates are missing")
    return PackageSnapshot(build_apps(dump, listed, complete), complete and dump.saw_packages, tuple(notes))


def read_settings(device: AndroidDevice) -> tuple[dict[str, str], dict[str, str], list[str]]:
    notes: list[str] = []
    global_ = parse_simple.settings_list(_soft(device, ["settings", "list", "global"], notes))
    secure = parse_simple.settings_list(_soft(device, ["settings", "list", "secure"], notes))
    return global_, secure, notes


def read_state(device: AndroidDevice, settings: tuple[dict[str, str], dict[str, str], list[str]]) -> PhoneState:
    global_, secure, notes = settings[0], settings[1], list(settings[2])
    props = parse_simple.getprop(_soft(device, ["getprop"], notes))
    su = []
    for path in SU_PATHS:
        result = device.run(["ls", "-d", path])
        if result.exit_code == 0 and path in result.text:
            su.append(path)
    adb_text = _soft(device, ["dumpsys", "adb"], notes)
    keys, current = parse_dumpsys.adb_keys(adb_text)
    return PhoneState(
        props=props, global_settings=global_, secure_settings=secure, su_paths=tuple(su),
        shell_uid=parse_simple.uid_of_id(_soft(device, ["id"], notes)), adb_keys=tuple(keys),
        adb_keys_known="debugging_manager" in adb_text or bool(keys), current_key=current, notes=tuple(notes),
    )  # fmt: skip


def read_access(device: AndroidDevice, secure: dict[str, str]) -> SpecialAccess:
    notes: list[str] = []
    a11y = parse_simple.components(secure.get("enabled_accessibility_services", ""))
    a11y += parse_dumpsys.accessibility_enabled(_soft(device, ["dumpsys", "accessibility"], notes))
    listeners = parse_simple.components(secure.get("enabled_notification_listeners", ""))
    listeners += parse_dumpsys.notification_listeners(_soft(device, ["dumpsys", "notification"], notes))
    policy = parse_dumpsys.device_policy(_soft(device, ["dumpsys", "device_policy"], notes))
    idle = parse_simple.deviceidle_whitelist(_soft(device, ["dumpsys", "deviceidle", "whitelist"], notes))
    unknown = parse_simple.appops_query(
        _soft(device, ["appops", "query-op", "REQUEST_INSTALL_PACKAGES", "allow"], notes)
    )
    return SpecialAccess(
        accessibility=tuple(dict.fromkeys(_normal(c) for c in a11y)),
        notification_listeners=tuple(dict.fromkeys(_normal(c) for c in listeners)),
        device_admins=tuple(policy["admins"]),  # type: ignore[arg-type]
        device_owner=policy["device_owner"],  # type: ignore[arg-type]
        profile_owners=tuple(policy["profile_owners"]),  # type: ignore[arg-type]
        battery_exempt=frozenset(p for p, kind in idle.items() if kind == "user"),
        install_unknown=frozenset(unknown),
        notes=tuple(notes),
    )


def _normal(component: str) -> str:
    """``pkg/.Cls`` and ``pkg/pkg.Cls`` are the same component."""
    package, _, cls = component.partition("/")
    return f"{package}/{package + cls if cls.startswith('.') else cls}"


def read_accounts(device: AndroidDevice) -> tuple[list[Account], list[str]]:
    notes: list[str] = []
    return parse_dumpsys.accounts(_soft(device, ["dumpsys", "account"], notes)), notes


# -- shared per audit ---------------------------------------------------------------------------
def packages(ctx: Any) -> PackageSnapshot:
    return cached(ctx, "android.packages", lambda: read_packages(device_of(ctx)))


def _settings(ctx: Any) -> tuple[dict[str, str], dict[str, str], list[str]]:
    return cached(ctx, "android.settings", lambda: read_settings(device_of(ctx)))


def state(ctx: Any) -> PhoneState:
    return cached(ctx, "android.state", lambda: read_state(device_of(ctx), _settings(ctx)))


def access(ctx: Any) -> SpecialAccess:
    return cached(ctx, "android.access", lambda: read_access(device_of(ctx), _settings(ctx)[1]))


def accounts(ctx: Any) -> tuple[list[Account], list[str]]:
    return cached(ctx, "android.accounts", lambda: read_accounts(device_of(ctx)))
