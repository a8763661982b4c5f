"""DS-PROC-030 on real installed-program data for each laptop platform."""

from __future__ import annotations

from digisafe.checks.installed_programs import InstalledProgramsCheck

from digisafe.core.model import Confidence, Finding, Limitation, Severity
from digisafe.inventory.linux import parse_dpkg_status, rpm_header
from digisafe.inventory.windows import icon_program, install_date
from tests.fakes import FakeRegistry
from tests.inventory import builders as b


def _run(ctx):
    results = list(InstalledProgramsCheck().run(ctx))
    return [r for r in results if isinstance(r, Finding)], [r for r in results if isinstance(r, Limitation)]


def test_windows_uninstall_keys_of_all_three_places(make_ctx):
    extra = {
        b.UNINSTALL + r"\TeamViewer": b.uninstall_entry(
            "TeamViewer", "TeamViewer Germany GmbH", InstallLocation="C:\\Program Files\\TeamViewer",
            InstallDate="20260412", DisplayIcon='"C:\\Program Files\\TeamViewer\\TeamViewer.exe",0'),
        b.UNINSTALL32 + r"\{5A1B-SPYRIX}": b.uninstall_entry("Spyrix Personal Monitor", "Spyrix Inc.",
                                                               SystemComponent=1, InstallDate="20260501"),
        b.UNINSTALL_USER + r"\AnyDesk": b.uninstall_entry("AnyDesk", "philandro Software GmbH"),
        b.UNINSTALL + r"\KB5034441": {"InstallDate": "20260101"},  # an update without a name
    }
    ctx = make_ctx(platform="windows", registry=FakeRegistry(b.registry_tree(b.WINDOWS11_ORDINARY, extra)))
    found, _ = _run(ctx)
    by_product = {f.evidence["product"]: f for f in found}
    assert set(by_product) == {"teamviewer", "spyrix", "anydesk"}
    tv = by_product["teamviewer"]
    assert {"installed-program", "install-path", "publisher"} <= set(tv.evidence["signals"])
    assert tv.confidence is Confidence.HIGH and tv.severity is Severity.MEDIUM
    [entry] = tv.evidence["installed_programs"]
    assert entry["installed"] == "2026-04-12" and entry["program"] == "C:\\Program Files\\TeamViewer\\TeamViewer.exe"
    spy = by_product["spyrix"]
    assert spy.severity >= Severity.HIGH and "hidden from the list of apps" in spy.detail
    assert spy.evidence["installed_programs"][0]["source"].startswith(b.UNINSTALL32)


def test_ordinary_windows_11_programs_match_nothing(make_ctx):
    ctx = make_ctx(platform="windows", registry=FakeRegistry(b.registry_tree(b.WINDOWS11_ORDINARY)))
    assert _run(ctx) == ([], [])


def test_windows_without_registry_is_a_limitation(make_ctx):
    found, limits = _run(make_ctx(platform="windows", registry=None))
    assert not found and "registry could not be read" in limits[0].message


def test_macos_bundles_by_bundle_id_and_name(make_ctx):
    ctx = make_ctx(platform="macos")
    apps = ctx.files.path("/Applications")
    for name, bundle_id, shown in b.MACOS14_ORDINARY:
        folder = apps / name.rsplit("/", 1)[0] if "/" in name else apps
        b.app_bundle(folder, name.rsplit("/", 1)[-1], bundle_id, shown, binary=len(name) % 2 == 0)
    assert _run(ctx) == ([], [])
    b.app_bundle(apps, "TeamViewer", "com.teamviewer.TeamViewer", "TeamViewer", binary=True)
    b.app_bundle(ctx.files.home / "Applications", "Helper", "com.philandro.anydesk", "Helper")
    found, _ = _run(make_ctx(platform="macos"))
    by_product = {f.evidence["product"]: f for f in found}
    assert set(by_product) == {"teamviewer", "anydesk"}
    assert {"bundle-id", "installed-program", "install-path"} <= set(by_product["teamviewer"].evidence["signals"])
    assert by_product["anydesk"].evidence["signals"] == ["bundle-id"]  # renamed app, same bundle ID
    assert by_product["anydesk"].evidence["installed_programs"][0]["location"].endswith("/Applications/Helper.app")


def test_linux_dpkg_rpm_flatpak_snap(make_ctx):
    ctx = make_ctx(platform="linux")
    b.dpkg_status(ctx.files.path("/var/lib/dpkg/status"), [*b.UBUNTU2404_ORDINARY, ("teamviewer", "TeamViewer")],
                  removed=["anydesk"])
    b.rpmdb_sqlite(ctx.files.path("/var/lib/rpm/rpmdb.sqlite"),
                   [("bash", "Fedora Project", 1700000000), ("rustdesk", "RustDesk", 1760000000)])
    (ctx.files.path("/var/lib/flatpak/app") / "com.parsecgaming.parsec").mkdir(parents=True)
    (ctx.files.path("/var/lib/flatpak/app") / "org.mozilla.firefox").mkdir(parents=True)
    snaps = ctx.files.path("/var/lib/snapd/snaps")
    snaps.mkdir(parents=True)
    for name in ("firefox_4173.snap", "core22_1380.snap", "snapd_21759.snap"):
        (snaps / name).write_bytes(b"hsqs")
    found, limits = _run(ctx)
    by_product = {f.evidence["product"]: f for f in found}
    assert set(by_product) == {"teamviewer", "rustdesk", "parsec"}  # the removed AnyDesk is not installed
    assert by_product["rustdesk"].evidence["installed_programs"][0]["installed"] == "2025-10-09"
    assert not limits


def test_ordinary_ubuntu_packages_and_unreadable_rpm_formats(make_ctx):
    ctx = make_ctx(platform="linux")
    b.dpkg_status(ctx.files.path("/var/lib/dpkg/status"), b.UBUNTU2404_ORDINARY)
    berkeley = ctx.files.path("/var/lib/rpm/Packages")
    berkeley.parent.mkdir(parents=True)
    berkeley.write_bytes(b"\0" * 64)
    found, limits = _run(ctx)
    assert not found and "only rpm itself can read" in limits[0].message


def test_parsers_on_edge_values():
    assert install_date("20260412") == "2026-04-12" and install_date("2026/04/12") is None
    assert install_date("20261399") is None
    assert icon_program('"C:\\x\\tool.exe",0') == "C:\\x\\tool.exe" and icon_program("C:\\x\\a.ico") == ""
    assert [p.name for p in parse_dpkg_status("Package: a\nStatus: install ok installed\n\nPackage: b\n")] == ["a"]
    header = rpm_header(b.rpm_header_blob({1000: "tool", 1008: 1700000000, 1011: "Vendor"}))
    assert header == {1000: "tool", 1008: 1700000000, 1011: "Vendor"}


def test_a_phone_apps_name_on_a_laptop_program_is_not_a_match(make_ctx):
    from digisafe.indicators import load_database

    matcher = load_database().matcher("windows")
    assert matcher.program("Cerberus FTP Server 13") == []  # Cerberus: an Android app in Echap's list
    assert [m.product.id for m in matcher.program("Spyrix Free Keylogger")] == ["spyrix"]
