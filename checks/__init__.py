"""The built-in checks, listed explicitly. IDs are stable forever and never reused.

This folder installs as ``digisafe.checks``. Add a new check by writing one small module here and
appending its class to ``BUILTIN_CHECKS`` (keep the list sorted by ID). The list itself is
registered under the ``digisafe.checks`` entry-point group in setup.py, exactly as a plugin would be.
"""

from __future__ import annotations

from digisafe.checks.android_app_behaviour import AndroidAppBehaviourCheck
from digisafe.checks.android_debugging import AndroidDebuggingCheck
from digisafe.checks.android_install_safety import AndroidInstallSafetyCheck
from digisafe.checks.android_integrity import AndroidIntegrityCheck
from digisafe.checks.android_known_apps import AndroidKnownAppsCheck
from digisafe.checks.android_sharing import AndroidSharingCheck
from digisafe.checks.browser_accounts import BrowserAccountsCheck
from digisafe.checks.browser_extensions import BrowserExtensionsCheck
from digisafe.checks.browser_site_permissions import BrowserSitePermissionsCheck
from digisafe.checks.input_capture import InputCaptureCheck
from digisafe.checks.installed_programs import InstalledProgramsCheck
from digisafe.checks.linux_location import LinuxLocationCheck
from digisafe.checks.linux_remote_access import LinuxRemoteAccessCheck
from digisafe.checks.local_accounts import LocalAccountsCheck
from digisafe.checks.mac_find_my import FindMyMacCheck
from digisafe.checks.mac_location import MacLocationServicesCheck
from digisafe.checks.mac_mdm import MacManagementCheck
from digisafe.checks.mac_remote_access import MacRemoteAccessCheck
from digisafe.checks.macos_tcc import MacPrivacyGrantsCheck
from digisafe.checks.monitoring_installed import MonitoringInstalledCheck
from digisafe.checks.monitoring_processes import MonitoringProcessesCheck
from digisafe.checks.network_traces import NetworkTracesCheck
from digisafe.checks.photo_location import PhotoLocationCheck
from digisafe.checks.remote_listeners import RemoteAccessListenersCheck
from digisafe.checks.sessions import LoginSessionsCheck
from digisafe.checks.web_traces import WebTracesCheck
from digisafe.checks.win_accounts import WindowsAccountsCheck
from digisafe.checks.win_location import WindowsPrivacyConsentCheck
from digisafe.checks.win_remote_access import WindowsRemoteAccessCheck

BUILTIN_CHECKS = [
    LocalAccountsCheck,  # DS-ACCT-010
    AndroidKnownAppsCheck,  # DS-AND-010
    AndroidAppBehaviourCheck,  # DS-AND-020
    AndroidDebuggingCheck,  # DS-AND-030
    AndroidInstallSafetyCheck,  # DS-AND-040
    AndroidIntegrityCheck,  # DS-AND-050
    AndroidSharingCheck,  # DS-AND-060
    BrowserSitePermissionsCheck,  # DS-BRW-010
    BrowserAccountsCheck,  # DS-BRW-020
    BrowserExtensionsCheck,  # DS-BRW-030
    WebTracesCheck,  # DS-BRW-040
    InputCaptureCheck,  # DS-INPUT-010
    MacPrivacyGrantsCheck,  # DS-INPUT-020
    LinuxLocationCheck,  # DS-LOC-010
    FindMyMacCheck,  # DS-MAC-010
    MacManagementCheck,  # DS-MAC-020
    MacRemoteAccessCheck,  # DS-MAC-030
    MacLocationServicesCheck,  # DS-MAC-040
    RemoteAccessListenersCheck,  # DS-NET-010
    NetworkTracesCheck,  # DS-NET-020
    PhotoLocationCheck,  # DS-PHOTO-010
    MonitoringProcessesCheck,  # DS-PROC-010
    MonitoringInstalledCheck,  # DS-PROC-020
    InstalledProgramsCheck,  # DS-PROC-030
    LinuxRemoteAccessCheck,  # DS-REM-010
    LoginSessionsCheck,  # DS-SESS-010
    WindowsPrivacyConsentCheck,  # DS-WIN-010
    WindowsAccountsCheck,  # DS-WIN-020
    WindowsRemoteAccessCheck,  # DS-WIN-030
]
