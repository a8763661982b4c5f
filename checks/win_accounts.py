"""DS-WIN-020: Find My Device, signed-in Microsoft and OneDrive accounts, work/school (MDM)
enrolment and Microsoft Family Safety on this Windows laptop.

What it looks at:
- Find My Device: ``LocationSyncEnabled`` under HKLM\\SOFTWARE\\Microsoft\\MdmCommon\\SettingValues
  or HKLM\\SOFTWARE\\Microsoft\\Settings\\FindMyDevice, and the policy
  HKLM\\SOFTWARE\\Policies\\Microsoft\\FindMyDevice ``AllowFindMyDevice`` (the place varies by build).
- Microsoft accounts signed in to this Windows account: the subkey names (email addresses) of
  HKCU\\Software\\Microsoft\\IdentityCRL\\StoredIdentities and ...\\UserExtendedProperties.
- OneDrive: HKCU\\Software\\Microsoft\\OneDrive\\Accounts\\* (``UserEmail``, ``UserFolder``,
  ``Business``).
- Device management: HKLM\\SOFTWARE\\Microsoft\\Enrollments\\<id> entries with a ``UPN`` or
  ``ProviderID`` (Intune shows as "MS DM Server"), MDM providers under
  HKLM\\SOFTWARE\\Microsoft\\PolicyManager\\Providers, and Microsoft Entra (Azure AD) join under
  HKLM\\SYSTEM\\CurrentControlSet\\Control\\CloudDomainJoin\\JoinInfo.
- Microsoft Family Safety: the monitoring program WpcMon.exe running for this account.

Why it matters: anyone who knows the password of the Microsoft account that Find My Device uses can
see this laptop's location at account.microsoft.com/devices, lock it or erase it. Files in OneDrive
are readable by anyone who can sign in to that account. A managed (enrolled) laptop can be given
settings and programs by the organisation that manages it. A Family Safety "organiser" can see web,
app and screen-time activity of the members of the family group.

False positives: your own Microsoft account (still reported, at a low level, because its password
protects your location); work or school laptops, which are managed on purpose.

Limits: Family Safety membership can only be confirmed at family.microsoft.com; the Find My Device
setting is not stored in the same place on every Windows build: when none is found the report says so.

What to do: check each account is yours and that nobody else knows its password; change passwords
only from a safe device. Leaving a family group or removing management may be noticed: talk to a
stalking advocate (ISAC) first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from digisafe.core.check import Check, CheckSkipped, Yielded
from digisafe.core.model import Confidence, Severity
from digisafe.core.platforms import Platform

if TYPE_CHECKING:
    from digisafe.core.context import Context
    from digisafe.settings.windows_collect import WindowsSnapshot

_FIND_MY = (
    (r"HKLM\SOFTWARE\Policies\Microsoft\FindMyDevice", "AllowFindMyDevice"),
    (r"HKLM\SOFTWARE\Microsoft\MdmCommon\SettingValues", "LocationSyncEnabled"),
    (r"HKLM\SOFTWARE\Microsoft\Settings\FindMyDevice", "LocationSyncEnabled"),
)
_IDENTITIES = (r"HKCU\Software\Microsoft\IdentityCRL\StoredIdentities",
               r"HKCU\Software\Microsoft\IdentityCRL\UserExtendedProperties")
_ONEDRIVE = r"HKCU\Software\Microsoft\OneDrive\Accounts"
_ENROLLMENTS = r"HKLM\SOFTWARE\Microsoft\Enrollments"
_PROVIDERS = r"HKLM\SOFTWARE\Microsoft\PolicyManager\Providers"
_JOIN = r"HKLM\SYSTEM\CurrentControlSet\Control\CloudDomainJoin\JoinInfo"
# What the collector copies: (key, how many levels of subkeys).
KEYS = (*((key, 0) for key, _name in _FIND_MY), *((key, 1) for key in _IDENTITIES),
        (_ONEDRIVE, 1), (_ENROLLMENTS, 1), (_PROVIDERS, 0), (_JOIN, 1))


def microsoft_accounts(registry) -> list[str]:  # noqa: ANN001
    from digisafe.settings.windows import reg_subkeys

    found: list[str] = []
    for key in _IDENTITIES:
        for name in reg_subkeys(registry, key):
            if "@" in name and name.lower() not in (x.lower() for x in found):
                found.append(name)
    return found


class WindowsAccountsCheck(Check):
    id = "DS-WIN-020"
    title = "Find My Device, Microsoft accounts, OneDrive and device management (Windows)"
    category = "accounts"
    platforms = frozenset({Platform.WINDOWS})
    why = "Whoever holds these accounts, or manages this laptop, can locate it or reach its files."

    def run(self, ctx: Context) -> Iterable[Yielded]:
        from digisafe.settings.windows_collect import collect_windows

        yield from self.judge(collect_windows(ctx, KEYS, processes=True))

    def judge(self, snap: WindowsSnapshot) -> Iterable[Yielded]:
        """Accounts, Find My Device, OneDrive, management and Family Safety from a copy of their
        registry keys and the running programs; no Context needed."""
        from digisafe.settings import advice

        if snap.registry is None:
            raise CheckSkipped("the Windows registry is not available; check Settings > Accounts by hand")
        accounts = microsoft_accounts(snap.registry)
        yield from self._find_my(snap, accounts)
        for email in accounts:
            yield self.finding(
                Severity.INFO,
                f"This Windows account is signed in to the Microsoft account {email}",
                subject=f"Microsoft account {email}",
                detail=f"Anyone who knows the password of {email} can see what it syncs (settings, passwords "
                "saved in Edge, OneDrive files, and this laptop in its device list).",
                confidence=Confidence.HIGH,
                evidence={"keys": list(_IDENTITIES), "account": email},
                advice=advice("Check that this account is yours and that nobody else knows its password."),
                guidance="accounts",
            )
        yield from self._onedrive(snap)
        yield from self._management(snap)
        yield from self._family_safety(snap)

    def _find_my(self, snap: WindowsSnapshot, accounts: list[str]) -> Iterable[Yielded]:
        from digisafe.settings import advice
        from digisafe.settings.windows import as_int, reg_values

        found = [(key, name, as_int(reg_values(snap.registry, key).get(name))) for key, name in _FIND_MY]
        known = [(key, name, value) for key, name, value in found if value is not None]
        if not known:
            yield self.limitation("the Find My Device setting was not found in the usual places; check Settings "
                                  "> Privacy & security > Find my device")
            return
        key, name, value = known[0]  # the policy (first) wins over the user's choice
        if value != 1:
            return
        who = ", ".join(accounts) if accounts else "the Microsoft account used on this laptop"
        yield self.finding(
            Severity.LOW,
            f"Find My Device is on: anyone who knows the password of {who} can see where this laptop is",
            subject="Find My Device",
            detail=f"Find My Device reports this laptop's location to {who}. Whoever can sign in to that "
            "account can see it on a map at account.microsoft.com/devices, lock it or erase it.",
            confidence=Confidence.MEDIUM,
            evidence={"key": key, "value_name": name, "value": value, "accounts": accounts},
            advice=advice("Make sure nobody else knows the account's password; change it from a safe device."),
            guidance="location-sharing",
        )

    def _onedrive(self, snap: WindowsSnapshot) -> Iterable[Yielded]:
        from digisafe.settings import advice
        from digisafe.settings.windows import as_int, as_text, reg_subkeys, reg_values

        for name in reg_subkeys(snap.registry, _ONEDRIVE):
            values = reg_values(snap.registry, rf"{_ONEDRIVE}\{name}")
            email = as_text(values.get("UserEmail"))
            if not email:
                continue
            business = as_int(values.get("Business")) == 1 or name.lower().startswith("business")
            folder = as_text(values.get("UserFolder"))
            yield self.finding(
                Severity.LOW,
                f"OneDrive copies files from this laptop to {email}" + (" (work or school)" if business else ""),
                subject=f"OneDrive {name}: {email}",
                detail=f"Files in {folder or 'the OneDrive folder'} are copied to the account {email}. Anyone "
                "who can sign in to it, or who it is shared with, can open them.",
                confidence=Confidence.HIGH,
                evidence={"key": rf"{_ONEDRIVE}\{name}", "UserEmail": email, "UserFolder": folder or None,
                          "Business": business},
                advice=advice("Check the account is yours and review what is shared at onedrive.live.com."),
                guidance="accounts",
            )

    def _management(self, snap: WindowsSnapshot) -> Iterable[Yielded]:
        from digisafe.settings import advice
        from digisafe.settings.windows import as_int, as_text, reg_subkeys, reg_values

        registry = snap.registry
        providers = reg_subkeys(registry, _PROVIDERS)
        for guid in reg_subkeys(registry, _ENROLLMENTS):
            values = reg_values(registry, rf"{_ENROLLMENTS}\{guid}")
            upn, provider = as_text(values.get("UPN")), as_text(values.get("ProviderID"))
            if not (upn or provider):
                continue  # Windows keeps empty bookkeeping keys here on every machine
            yield self.finding(
                Severity.HIGH,
                f"This laptop is enrolled in device management ({provider or 'unknown provider'})",
                subject=f"Enrollment {guid}",
                detail=f"It was enrolled for {upn or 'an unnamed account'}. The organisation behind it can "
                "install programs and change settings on this laptop.",
                confidence=Confidence.HIGH if provider else Confidence.MEDIUM,
                evidence={"key": rf"{_ENROLLMENTS}\{guid}", "UPN": upn or None, "ProviderID": provider or None,
                          "EnrollmentType": as_int(values.get("EnrollmentType")),
                          "EnrollmentState": as_int(values.get("EnrollmentState")), "mdm_providers": providers},
                advice=advice("If this is not a work or school laptop, note the account and provider."),
                guidance="laptop",
            )
        for thumb in reg_subkeys(registry, _JOIN):
            values = reg_values(registry, rf"{_JOIN}\{thumb}")
            email, tenant = as_text(values.get("UserEmail")), as_text(values.get("TenantId"))
            yield self.finding(
                Severity.MEDIUM,
                "This laptop is joined to an organisation's directory (Microsoft Entra ID)"
                + (f": {email}" if email else ""),
                subject=f"CloudDomainJoin {thumb}",
                detail="The organisation's administrators can sign in to, and set policies for, this laptop.",
                confidence=Confidence.HIGH,
                evidence={"key": rf"{_JOIN}\{thumb}", "UserEmail": email or None, "TenantId": tenant or None},
                advice=advice("If this is not a work or school laptop, note the account shown."),
                guidance="accounts",
            )

    def _family_safety(self, snap: WindowsSnapshot) -> Iterable[Yielded]:
        from digisafe.settings import advice

        running = [p for p in snap.processes if p.name.lower() in ("wpcmon.exe", "wpcmon")]
        if not running:
            return
        yield self.finding(
            Severity.MEDIUM,
            "Microsoft Family Safety monitoring is running on this account",
            subject="WpcMon.exe",
            detail="Family Safety's monitor is running. If this account is a member of a Microsoft family "
            "group, the group's organisers can see its web, app and screen-time activity. Only "
            "family.microsoft.com shows who the organisers are.",
            confidence=Confidence.MEDIUM,
            evidence={"processes": [{"name": p.name, "pid": p.pid, "user": p.username} for p in running]},
            advice=advice("From a safe device, check family.microsoft.com to see which family group this "
                          "account is in."),
            guidance="accounts",
        )
