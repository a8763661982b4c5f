"""The browser checks fit the rest of digisafe: registered, documented, linked to real guidance."""

from __future__ import annotations

import re
from pathlib import Path

from digisafe.checks import BUILTIN_CHECKS
from digisafe.checks.browser_accounts import BrowserAccountsCheck
from digisafe.checks.browser_extensions import BrowserExtensionsCheck
from digisafe.checks.browser_site_permissions import BrowserSitePermissionsCheck

from digisafe.core.check import validate_check_class
from digisafe.guidance.loader import load_guidance

CHECKS = (BrowserSitePermissionsCheck, BrowserAccountsCheck, BrowserExtensionsCheck)


def test_registered_valid_and_documented():
    for cls in CHECKS:
        assert cls in BUILTIN_CHECKS
        assert validate_check_class(cls) is None
        doc = cls.documentation()
        assert doc.startswith(cls.id) and "What to do" in doc and "False positives" in doc


def test_guidance_keys_used_by_the_checks_exist():
    guidance = load_guidance()
    for cls in CHECKS:
        source = Path(__import__(cls.__module__, fromlist=["x"]).__file__).read_text(encoding="utf-8")
        keys = set(re.findall(r'guidance="([^"]+)"', source))
        assert keys, cls.id
        for key in keys:
            assert guidance.item(key) is not None, key
            assert cls.id in guidance.item(key).checks, key
