"""Auditing an Android phone over USB through the standard adb server, read-only.

- transport: ``adb`` (host protocol client), ``wire``, ``sync``, ``server`` (find/start adb),
  ``device`` (AndroidDevice: the only handle checks' collectors get), ``allowlist`` (every command);
- pure parsers of what phones print (``parsers_*``) and of APK signatures (``apk``);
- collectors that turn a phone into typed snapshots (``collect``, ``snapshot``).

See docs/phone.md.
"""
