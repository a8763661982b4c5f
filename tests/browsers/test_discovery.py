from __future__ import annotations

from pathlib import Path

import pytest

from digisafe.browsers.discovery import discover, parse_profiles_ini
from tests.browsers import builders as b

PLATFORMS = ["linux", "darwin", "windows"]


@pytest.mark.parametrize("platform", PLATFORMS)
def test_chromium_profiles_from_local_state_on_each_os(make_ctx, tmp_path, platform):
    ctx = make_ctx(platform=platform)
    home = ctx.files.home
    b.chrome_profile(home, platform, "Default", b.preferences())
    b.chrome_profile(home, platform, "Profile 1", b.preferences())
    b.write_json(home / b.CHROME_DIRS[platform] / "Local State",
                 b.local_state({"Default": {"name": "Person 1"}, "Profile 1": {"name": "Work"}}))
    (home / b.CHROME_DIRS[platform] / "System Profile").mkdir()
    (home / b.CHROME_DIRS[platform] / "System Profile" / "Preferences").write_text("{}")
    b.chrome_profile(home, platform, "Default", b.preferences(), dirs=b.EDGE_DIRS)

    found = discover(ctx)

    names = sorted((p.browser, p.name, p.path.name) for p in found.profiles)
    assert names == [("Google Chrome", "Person 1", "Default"), ("Google Chrome", "Work", "Profile 1"),
                     ("Microsoft Edge", "Default", "Default")]
    assert found.limitations == ()
    assert all(p.engine == "chromium" for p in found.profiles)


@pytest.mark.parametrize("platform", PLATFORMS)
def test_firefox_profiles_from_profiles_ini_on_each_os(make_ctx, platform):
    ctx = make_ctx(platform=platform)
    home = ctx.files.home
    root = home / b.FIREFOX_DIRS[platform]
    main = b.firefox_profile(home, platform, "Profiles/abcd1234.default-release")
    b.firefox_profile(home, platform, "Profiles/zzzz9999.default")
    hidden = b.firefox_profile(home, platform, "Profiles/qqqq0000.secret")  # not in profiles.ini
    (root / "profiles.ini").write_text(b.profiles_ini(
        [("default-release", "Profiles/abcd1234.default-release"), ("default", "Profiles/zzzz9999.default")],
        default="Profiles/abcd1234.default-release"))

    found = discover(ctx)

    by_path = {p.path: p for p in found.profiles}
    assert by_path[main].name == "default-release" and by_path[main].listed
    assert by_path[hidden].listed is False
    assert len(found.profiles) == 3


def test_snap_and_flatpak_firefox_and_snap_chromium(make_ctx):
    ctx = make_ctx(platform="linux")
    home = ctx.files.home
    snap_root = home / "snap/firefox/common/.mozilla/firefox"
    b.firefox_profile(home, "linux", "x1.default", root=snap_root)
    (snap_root / "profiles.ini").write_text(b.profiles_ini([("default", "x1.default")]))
    flat_root = home / ".var/app/org.mozilla.firefox/.mozilla/firefox"
    b.firefox_profile(home, "linux", "y2.default", root=flat_root)
    (flat_root / "profiles.ini").write_text(b.profiles_ini([("default", "y2.default")]))
    b.write_json(home / "snap/chromium/common/chromium/Default/Preferences", b.preferences())

    browsers = sorted(p.browser for p in discover(ctx).profiles)

    assert browsers == ["Chromium (Snap)", "Firefox (Flatpak)", "Firefox (Snap)"]


def test_windows_uses_localappdata_and_appdata_variables(make_ctx, tmp_path):
    ctx = make_ctx(platform="windows", environ={"LOCALAPPDATA": "/Users/ann/AppData/Local",
                                                "APPDATA": "/Users/ann/AppData/Roaming"})
    local = tmp_path / "root/Users/ann/AppData/Local"
    b.write_json(local / "BraveSoftware/Brave-Browser/User Data/Default/Preferences", b.preferences())
    roaming = tmp_path / "root/Users/ann/AppData/Roaming/Mozilla/Firefox"
    b.firefox_profile(ctx.files.home, "windows", "Profiles/a.default", root=roaming)
    (roaming / "profiles.ini").write_text(b.profiles_ini([("default", "Profiles/a.default")]))

    found = discover(ctx)

    assert sorted(p.browser for p in found.profiles) == ["Brave", "Firefox"]
    assert all(str(p.path).startswith(str(tmp_path / "root/Users/ann")) for p in found.profiles)


def test_windows_drive_path_in_variable_is_not_resolved_against_cwd(make_ctx):
    ctx = make_ctx(platform="windows", environ={"LOCALAPPDATA": r"C:\Users\ann\AppData\Local"})
    found = discover(ctx)
    assert found.profiles == ()
    assert found.looked_in and all(Path(p).is_absolute() for p in found.looked_in)


def test_opera_single_profile_in_data_folder(make_ctx):
    ctx = make_ctx(platform="linux")
    b.write_json(ctx.files.home / ".config/opera/Preferences", b.preferences())
    b.write_json(ctx.files.home / ".config/opera/Local State", b.local_state({}))
    found = discover(ctx)
    assert [(p.browser, p.path.name) for p in found.profiles] == [("Opera", "opera")]


def test_profiles_ini_parsing_absolute_and_odd_sections():
    text = ("[General]\nStartWithLastProfile=1\n\n[Profile0]\nName=a\nIsRelative=0\nPath=/data/ff/a\n\n"
            "[Profile1]\nIsRelative=1\nPath=Profiles\\b.default\n\n[Profile2]\nName=no-path\n")
    found = parse_profiles_ini(text)
    assert [(p.name, p.path, p.is_relative) for p in found] == [
        ("a", "/data/ff/a", False), ("b.default", "Profiles\\b.default", True)]


def test_profiles_ini_with_byte_order_mark_and_windows_line_ends(make_ctx):
    ctx = make_ctx(platform="windows")
    root = ctx.files.home / "AppData/Roaming/Mozilla/Firefox"
    (root / "Profiles/x.default-release").mkdir(parents=True)
    text = ("\ufeff[Install308046B0AF4A39CB]\r\nDefault=Profiles/x.default-release\r\nLocked=1\r\n\r\n"
            "[Profile0]\r\nName=default-release\r\nIsRelative=1\r\nPath=Profiles/x.default-release\r\n")
    (root / "profiles.ini").write_bytes(text.encode("utf-8"))
    found = discover(ctx)
    assert not found.limitations
    assert [(p.name, p.listed) for p in found.profiles] == [("default-release", True)]


def test_absolute_profile_path_maps_through_files(make_ctx, tmp_path):
    ctx = make_ctx(platform="linux")
    root = ctx.files.home / ".mozilla/firefox"
    root.mkdir(parents=True)
    elsewhere = tmp_path / "root/data/ff/a"
    elsewhere.mkdir(parents=True)
    (root / "profiles.ini").write_text("[Profile0]\nName=moved\nIsRelative=0\nPath=/data/ff/a\n")
    assert [p.path for p in discover(ctx).profiles] == [elsewhere]


def test_broken_index_files_are_limitations_not_errors(make_ctx):
    ctx = make_ctx(platform="linux")
    home = ctx.files.home
    b.chrome_profile(home, "linux", "Default", b.preferences())
    (home / b.CHROME_DIRS["linux"] / "Local State").write_text('{"profile": {"info_cache": {"Defau')
    root = home / b.FIREFOX_DIRS["linux"]
    b.firefox_profile(home, "linux", "k.default")
    (root / "profiles.ini").write_text("this is not\nan ini file [\n")

    found = discover(ctx)

    assert len(found.profiles) == 2  # both still found by looking at the folders
    assert any("Local State" in m for m in found.limitations)
    assert any("profiles.ini" in m for m in found.limitations)


def test_path_traversal_in_profiles_ini_is_ignored(make_ctx):
    ctx = make_ctx(platform="linux")
    root = ctx.files.home / ".mozilla/firefox"
    root.mkdir(parents=True)
    (root / "profiles.ini").write_text("[Profile0]\nName=x\nIsRelative=1\nPath=../../..\n")
    assert discover(ctx).profiles == ()


def test_discovery_is_shared_within_a_run(make_ctx):
    ctx = make_ctx(platform="linux")
    b.chrome_profile(ctx.files.home, "linux", "Default", b.preferences())
    assert discover(ctx) is discover(ctx)


def test_installs_ini_default_profile_is_found_and_listed(make_ctx):
    ctx = make_ctx(platform="windows")
    root = ctx.files.home / b.FIREFOX_DIRS["windows"]
    kept = b.firefox_profile(ctx.files.home, "windows", "Elsewhere/k.default-release")
    (root / "profiles.ini").write_text(b.profiles_ini([]))
    (root / "installs.ini").write_text("[308046B0AF4A39CB]\nDefault=Elsewhere/k.default-release\nLocked=1\n")
    found = discover(ctx)
    assert [(p.path, p.listed) for p in found.profiles] == [(kept, True)]


def test_install_section_in_profiles_ini_does_not_duplicate(make_ctx):
    ctx = make_ctx(platform="linux")
    root = ctx.files.home / b.FIREFOX_DIRS["linux"]
    b.firefox_profile(ctx.files.home, "linux", "a.default-release")
    (root / "profiles.ini").write_text(b.profiles_ini([("default-release", "a.default-release")],
                                                      default="a.default-release"))
    assert [p.name for p in discover(ctx).profiles] == ["default-release"]


def test_symlinked_data_folder_is_checked_once(make_ctx):
    ctx = make_ctx(platform="linux")
    home = ctx.files.home
    root = home / ".mozilla/firefox"
    b.firefox_profile(home, "linux", "a.default")
    (root / "profiles.ini").write_text(b.profiles_ini([("default", "a.default")]))
    (home / ".config/mozilla").mkdir(parents=True)
    (home / ".config/mozilla/firefox").symlink_to(root)
    assert [p.name for p in discover(ctx).profiles] == ["default"]
