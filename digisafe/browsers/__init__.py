"""Browser profiles, read safely: discovery (Chromium family and Firefox on Linux, macOS and
Windows), snapshot readers for live JSON and SQLite files, and pure parsers for each browser's
site permissions, signed-in accounts and extensions. The checks DS-BRW-010/020/030 use these."""
