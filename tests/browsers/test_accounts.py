from __future__ import annotations

import json

import pytest
from digisafe.checks.browser_accounts import BrowserAccountsCheck

from digisafe.core.model import Finding, Limitation, Severity, Status
from tests.browsers import builders as b


def run(ctx):
    items = list(BrowserAccountsCheck().run(ctx))
    return ([i for i in items if isinstance(i, Finding)], [i.message for i in items if isinstance(i, Limitation)])


def signed_in_prefs(email: str, *, sync: bool) -> dict:
    return b.preferences(
        account_info=[{"account_id": "1234567890", "accept_user_cookie_settings": False, "email": email,
                       "full_name": "Ann Example", "gaia": "1234567890", "given_name": "Ann",
                       "hd": "NO_HOSTED_DOMAIN", "is_supervised_child": 0, "locale": "en-GB",
                       "picture_url": "https://lh3.googleusercontent.com/a/x"}],
        google={"services": {"account_id": "1234567890", "consented_to_sync": sync, "last_account_id": "1234567890",
                             "last_gaia_id": "1234567890", "last_signed_in_username": email,
                             "last_username": email, "signin_scoped_device_id": "abc"}},
        sync={"has_setup_completed": sync, "requested": sync},
    )


@pytest.mark.parametrize("platform", ["linux", "darwin", "windows"])
def test_synced_chrome_profile_names_the_account(make_ctx, platform):
    ctx = make_ctx(platform=platform)
    home = ctx.files.home
    b.chrome_profile(home, platform, "Default", signed_in_prefs("ann@example.com", sync=True))
    b.chrome_profile(home, platform, "Profile 1", signed_in_prefs("shared@example.com", sync=False))
    b.chrome_profile(home, platform, "Profile 2", b.preferences())  # signed out
    b.write_json(home / b.CHROME_DIRS[platform] / "Local State", b.local_state({
        "Default": {"name": "Ann", "user_name": "ann@example.com", "gaia_name": "Ann Example",
                    "gaia_id": "1234567890", "is_consented_primary_account": True},
        "Profile 1": {"name": "Family", "user_name": "shared@example.com"},
        "Profile 2": {"name": "Person 3"},
    }))

    findings, limits = run(ctx)

    by_profile = {f.evidence["profile"]: f for f in findings}
    assert set(by_profile) == {"Ann", "Family"}
    synced = by_profile["Ann"]
    assert synced.title == "Google Chrome (profile 'Ann') syncs with the Google account ann@example.com"
    assert "history" in synced.detail and "passwords" in synced.detail and "open tabs" in synced.detail
    assert synced.severity is Severity.LOW and synced.guidance == "accounts.browser-sync"
    assert synced.evidence["stored"]["is_consented_primary_account"] is True
    family = by_profile["Family"]
    assert "is signed in to the Google account shared@example.com" in family.title
    assert family.severity is Severity.INFO
    assert limits == []


def test_edge_profile_is_a_microsoft_account(make_ctx):
    ctx = make_ctx(platform="windows")
    home = ctx.files.home
    b.chrome_profile(home, "windows", "Default", b.preferences(), dirs=b.EDGE_DIRS)
    b.write_json(home / b.EDGE_DIRS["windows"] / "Local State", b.local_state({"Default": {
        "name": "Profile 1", "user_name": "ann@outlook.example", "edge_account_type": 1,
        "is_consented_primary_account": True}}))
    findings, _ = run(ctx)
    assert [f.title for f in findings] == [
        "Microsoft Edge (profile 'Profile 1') syncs with the Microsoft account ann@outlook.example"]


def test_firefox_signed_in_user_without_tokens_in_evidence(make_ctx):
    ctx = make_ctx(platform="linux")
    profile = b.firefox_profile(ctx.files.home, "linux", "q.default-release")
    b.write_signed_in_user(profile, "ann@example.org")
    b.append_prefs(profile, {"services.sync.username": "ann@example.org"})

    findings, _ = run(ctx)

    assert [f.title for f in findings] == [
        "Firefox (profile 'q.default-release') syncs with the Mozilla account ann@example.org"]
    dumped = json.dumps(findings[0].to_dict())
    assert "SECRET-SESSION-TOKEN" not in dumped and "0123456789abcdef" not in dumped


def test_truncated_preferences_falls_back_to_local_state(make_ctx):
    ctx = make_ctx(platform="linux")
    home = ctx.files.home
    prefs = json.dumps(signed_in_prefs("ann@example.com", sync=True))
    (home / b.CHROME_DIRS["linux"] / "Default").mkdir(parents=True)
    (home / b.CHROME_DIRS["linux"] / "Default" / "Preferences").write_text(prefs[: len(prefs) // 2])
    b.write_json(home / b.CHROME_DIRS["linux"] / "Local State", b.local_state({"Default": {
        "name": "Ann", "user_name": "ann@example.com", "is_consented_primary_account": True}}))

    result = b.result_of(BrowserAccountsCheck, ctx)

    assert result.status is Status.FINDINGS
    assert result.findings[0].evidence["accounts"] == ["ann@example.com"]
    assert any("being written" in m or "damaged" in m for m in result.limitations)


def test_signed_out_everywhere_passes(make_ctx):
    ctx = make_ctx(platform="darwin")
    b.chrome_profile(ctx.files.home, "darwin", "Default", b.preferences())
    b.firefox_profile(ctx.files.home, "darwin", "Profiles/a.default")
    result = b.result_of(BrowserAccountsCheck, ctx)
    assert result.status is Status.PASS


def test_brave_sync_chain_without_copying_the_seed(make_ctx):
    ctx = make_ctx(platform="linux")
    prefs = b.preferences(brave_sync_v2={"seed": "djEwSECRETSEEDBYTES==", "v1_migrated": True})
    b.chrome_profile(ctx.files.home, "linux", "Default", prefs, dirs={"linux": ".config/BraveSoftware/Brave-Browser"})
    findings, _ = run(ctx)
    assert [f.title for f in findings] == ["Brave (profile 'Default') is joined to a Brave Sync chain"]
    assert "SECRETSEED" not in json.dumps(findings[0].to_dict())


def test_signed_in_without_sync_named_only_by_last_signed_in_username(make_ctx):
    # Chromium 12x+ writes google.services.last_signed_in_username for a signed-in (not syncing)
    # profile; with Local State and account_info missing it is the only place the email is.
    ctx = make_ctx(platform="linux")
    home = ctx.files.home
    services = {"account_id": "111", "last_signed_in_username": "quiet@example.com"}
    b.chrome_profile(home, "linux", "Default", b.preferences(google={"services": services}))
    b.chrome_profile(home, "linux", "Profile 1", b.preferences(
        google={"services": {"last_signed_in_username": "gone@example.com"}}))  # signed out since
    findings, _ = run(ctx)
    assert [f.evidence["accounts"] for f in findings] == [["quiet@example.com"]]
