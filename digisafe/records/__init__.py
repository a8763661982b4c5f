"""The incident and evidence log (`digisafe log`, issue 14; docs/records.md).

Other commands add their report or manifest with ``add_attachment_from_bytes(log_dir, data, name)``
(no passphrase needed: records are sealed to the log's public key).
"""

from __future__ import annotations

from digisafe.records.api import add_attachment_from_bytes, add_attachment_from_stream

__all__ = ["add_attachment_from_bytes", "add_attachment_from_stream"]
