"""`digisafe photos strip --manifest M --log LOGDIR` adds the manifest, encrypted, to the log."""

from __future__ import annotations

import io

from digisafe.records.reader import UnlockedLog
from digisafe.records.store import LogStore
from tests.photos.photo_build import make_jpeg
from tests.records.conftest import PASSPHRASE


def test_strip_manifest_goes_into_the_log(log_dir, run, tmp_path) -> None:
    (tmp_path / "in").mkdir()
    photo = make_jpeg(tmp_path / "in" / "holiday.jpg")
    manifest = tmp_path / "manifest.json"
    done = run("photos", "strip", str(photo.parent), "--out", str(tmp_path / "clean"), "--manifest", str(manifest),
               "--log", str(log_dir), extra_env={"DIGISAFE_LOG_PASSPHRASE": ""})  # no passphrase needed
    assert done.returncode == 0, done.stderr
    assert "Added the manifest to the log as #1." in done.stderr
    with LogStore.open(log_dir) as store:
        log = UnlockedLog.unlock(store, PASSPHRASE)
        record = log.record(1)
        out = io.BytesIO()
        log.write_attachment(record, out)
    assert record.data["name"] == "manifest.json" and record.data["source"] == "digisafe photos strip --manifest"
    assert out.getvalue() == manifest.read_bytes()
    assert b"holiday.jpg" in out.getvalue()


def test_log_needs_a_manifest_and_an_existing_log(log_dir, run, tmp_path) -> None:
    photo = make_jpeg(tmp_path / "a.jpg")
    no_manifest = run("photos", "strip", str(photo), "--out", str(tmp_path / "c"), "--log", str(log_dir))
    assert no_manifest.returncode == 2 and "give --manifest FILE too" in no_manifest.stderr
    no_log = run("photos", "strip", str(photo), "--out", str(tmp_path / "c"), "--manifest", str(tmp_path / "m.json"),
                 "--log", str(tmp_path / "nowhere"))
    assert no_log.returncode == 2 and "no log in" in no_log.stderr
    assert not (tmp_path / "c").exists()  # refused before anything was written
