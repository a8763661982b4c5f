"""An export is plaintext: `log export` refuses to write it (or the decrypted attachments) inside the
log folder, which people copy and hand over as the encrypted log (it wrote store/files/... there)."""

from __future__ import annotations

import io

from digisafe.records.store import LogStore
from tests.records.conftest import entry


def test_export_inside_the_log_folder_is_refused(log_dir, run, tmp_path) -> None:
    with LogStore.open(log_dir) as store:
        store.add_entry(entry("He waited outside"))
        store.add_attachment(io.BytesIO(b"screenshot"), lambda size, sha: {"name": "s.png", "size": size,
                                                                            "sha256": sha, "entry": 1})
    before = sorted(p.name for p in log_dir.iterdir())
    for args in (["-o", str(log_dir / "t.pdf")], ["-o", str(tmp_path / "t.pdf"), "--attachments", str(log_dir / "f")]):
        done = run("log", "export", "--folder", str(log_dir), *args)
        assert done.returncode == 2 and "inside the log folder" in done.stderr, done.stderr
    assert sorted(p.name for p in log_dir.iterdir()) == before
    done = run("log", "export", "--folder", str(log_dir), "-o", str(tmp_path / "t.pdf"), "--attachments",
               str(tmp_path / "files"))
    assert done.returncode == 0 and (tmp_path / "files").is_dir()
