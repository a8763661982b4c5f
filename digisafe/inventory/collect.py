"""The inventory collector: the installed programs of this laptop, read-only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from digisafe.inventory.model import InstalledProgram, Inventory

if TYPE_CHECKING:
    from digisafe.core.context import Context


def _linux(ctx: Context) -> Inventory:
    from digisafe.core.sqlite_snapshot import UnreadableFile
    from digisafe.inventory import linux

    files = ctx.files
    programs: list[InstalledProgram] = []
    problems: list[str] = []
    status = files.path(linux.DPKG_STATUS)
    try:
        if status.is_file() and status.stat().st_size <= linux.MAX_STATUS_BYTES:
            programs += linux.parse_dpkg_status(status.read_text(encoding="utf-8", errors="replace"))
    except OSError as exc:
        problems.append(f"could not read {linux.DPKG_STATUS} ({exc.strerror or exc})")
    rpm_read = False
    for name in linux.RPM_SQLITE:
        path = files.path(name)
        if path.is_file():
            try:
                programs += linux.rpm_programs(path, name)
                rpm_read = True
            except UnreadableFile as exc:
                problems.append(f"rpm packages not checked: {exc}")
            break
    if not rpm_read:
        for name in linux.RPM_OTHER:
            if files.path(name).is_file():
                problems.append(
                    f"rpm packages not checked: {name} is in a format only rpm itself can read; list them by "
                    "hand with `rpm -qa --qf '%{NAME} %{VENDOR}\\n'` and look for monitoring software"
                )
                break
    for name in linux.FLATPAK_APPS:
        programs += linux.flatpak_apps(files.path(name), name)
    programs += linux.snap_apps(files.path(linux.SNAPS))
    looked = (linux.DPKG_STATUS, *linux.RPM_SQLITE, *linux.FLATPAK_APPS, linux.SNAPS)
    return Inventory(tuple(programs), looked, tuple(problems))


def _windows(ctx: Context) -> Inventory:
    from digisafe.inventory.windows import UNINSTALL_KEYS, uninstall_programs

    if ctx.registry is None:
        why = "the Windows registry could not be read: installed programs not checked"
        return Inventory((), UNINSTALL_KEYS, (why,))
    return Inventory(tuple(uninstall_programs(ctx.registry)), UNINSTALL_KEYS)


def _macos(ctx: Context) -> Inventory:
    from digisafe.inventory.macos import application_bundles

    programs, looked = application_bundles(ctx.files)
    return Inventory(tuple(programs), tuple(looked))


def collect_inventory(ctx: Context) -> Inventory:
    """Installed programs for the context's platform (one reading per audit)."""
    readers = {"windows": _windows, "macos": _macos, "linux": _linux}

    def read() -> Inventory:
        if ctx.files is None and ctx.registry is None:
            return Inventory((), (), ("installed programs cannot be listed on this subject",))
        return readers.get(str(ctx.platform.value), _linux)(ctx)

    return ctx.cached("inventory.installed", read)
