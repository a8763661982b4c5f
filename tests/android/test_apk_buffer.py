"""The pulled-APK buffer: memory up to SPOOL_BYTES, then a private temporary file; zipfile (the v1
signature reader) must be able to read it on every supported Python. (tempfile's
SpooledTemporaryFile has no seekable() before 3.11: every pull failed there.)"""

from __future__ import annotations

import io
import zipfile

import pytest

from digisafe.android import collect_apks


def a_zip(size: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("classes.dex", b"\0" * size)
        archive.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n")
    return out.getvalue()


@pytest.mark.parametrize("size, on_disk", [(1_000, False), (50_000, True)])
def test_the_buffer_spills_to_disk_and_stays_readable(monkeypatch, size, on_disk):
    monkeypatch.setattr(collect_apks, "SPOOL_BYTES", 10_000)
    data = a_zip(size)
    with collect_apks.ApkBuffer() as buffer:
        for start in range(0, len(data), 4096):  # pulled in chunks, as sync RECV delivers them
            buffer.write(data[start:start + 4096])
        assert isinstance(buffer.file, io.BytesIO) is not on_disk
        with zipfile.ZipFile(buffer.file) as archive:
            assert archive.read("META-INF/MANIFEST.MF").startswith(b"Manifest-Version")
        buffer.file.seek(0)
        assert buffer.file.read() == data
    assert buffer.file.closed
