"""Installed-program inventories: Windows Uninstall keys, macOS application bundles, Linux packages
(dpkg, rpm's SQLite database, flatpak, snap). Collected read-only; judged by DS-PROC-030."""
