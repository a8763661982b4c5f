"""`log export`: PDF (text extracted), HTML, CSV, and the folder of decrypted attachments."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import stat

import pytest

from digisafe.records.export_files import safe_name
from digisafe.records.store import LogStore
from tests.records.conftest import entry

PHOTO = os.urandom(300_000)


@pytest.fixture
def filled(log_dir, tmp_path):
    with LogStore.open(log_dir) as store:
        store.add_entry(entry("He sent a parcel <script>alert(1)</script> to my work", exact_words="=HYPERLINK(1)",
                              witnesses="Priya at reception", impact="Frightened; I changed my hours"))
        store.add_attachment(io.BytesIO(PHOTO), lambda size, sha: {"name": "../../parcel photo.jpg", "size": size,
                                                                     "sha256": sha, "entry": 1})
        store.add_entry(entry("Text from 07700 900123 saying \u201cI see you\u201d"))
    return log_dir


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_pdf_timeline_has_times_hashes_and_the_warning(filled, run, tmp_path) -> None:
    from pypdf import PdfReader

    out = tmp_path / "timeline.pdf"
    done = run("log", "export", "--folder", str(filled), "--format", "pdf", "--paper", "letter", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "may be disclosed to the other side in court" in done.stderr
    assert _mode(out) == 0o600
    reader = PdfReader(str(out))
    text = "".join(page.extract_text() for page in reader.pages)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)  # Letter
    for expected in ("Incident and evidence log", "may be disclosed", "Priya at reception", "parcel photo.jpg",
                     hashlib.sha256(PHOTO).hexdigest(), "Hash chain: intact", '"I see you"', "Files #2"):
        assert expected in " ".join(text.split()), expected


def test_html_is_escaped_and_csv_is_safe_for_spreadsheets(filled, run, tmp_path) -> None:
    html, table = tmp_path / "t.html", tmp_path / "t.csv"
    assert run("log", "export", "--folder", str(filled), "--format", "html", "-o", str(html)).returncode == 0
    page = html.read_text(encoding="utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "size:A4" in page and "\u201cI see you\u201d" in page
    assert run("log", "export", "--folder", str(filled), "--format", "csv", "-o", str(table)).returncode == 0
    rows = list(csv.DictReader(table.open(encoding="utf-8", newline="")))
    assert [r["kind"] for r in rows] == ["entry", "attachment", "entry"]
    assert rows[0]["exact_words"] == "'=HYPERLINK(1)"  # not run as a formula
    assert rows[1]["file_sha256"] == hashlib.sha256(PHOTO).hexdigest() and rows[1]["file_entry"] == "1"


def test_attachments_folder_with_manifest(filled, run, tmp_path) -> None:
    folder = tmp_path / "for-police"
    done = run("log", "export", "--folder", str(filled), "--format", "csv", "-o", str(tmp_path / "t.csv"),
               "--attachments", str(folder))
    assert done.returncode == 0, done.stderr
    assert _mode(folder) == 0o700
    assert sorted(p.name for p in folder.iterdir()) == ["0002-parcel photo.jpg", "manifest.json"]
    assert (folder / "0002-parcel photo.jpg").read_bytes() == PHOTO
    assert _mode(folder / "0002-parcel photo.jpg") == 0o600
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["chain_intact"] is True and "disclosed" in manifest["warning"]
    assert manifest["files"][0]["sha256"] == hashlib.sha256(PHOTO).hexdigest()
    again = run("log", "export", "--folder", str(filled), "--format", "csv", "-o", str(tmp_path / "u.csv"),
                "--attachments", str(folder))
    assert again.returncode == 2 and "already exists" in again.stderr


def test_a_damaged_attachment_is_left_out_and_named(filled, run, tmp_path) -> None:
    import sqlite3

    conn = sqlite3.connect(filled / "store.sqlite", isolation_level=None)
    data = bytes(conn.execute("SELECT data FROM chunks WHERE seq = 2").fetchone()[0])
    conn.execute("UPDATE chunks SET data = ? WHERE seq = 2", (data[:100] + bytes([data[100] ^ 1]) + data[101:],))
    conn.close()
    folder = tmp_path / "out"
    done = run("log", "export", "--folder", str(filled), "--format", "html", "-o", str(tmp_path / "t.html"),
               "--attachments", str(folder))
    assert done.returncode == 2
    assert "digisafe: error: #2: the attached file's encrypted data was changed" in done.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["manifest.json"]  # no half-written file
    assert "He sent a parcel" in (tmp_path / "t.html").read_text()  # the rest is still exported


@pytest.mark.parametrize("name,expected", [
    ("../../etc/passwd", "0007-passwd"), ("C:\\x\\a:b?.txt", "0007-C_x_a_b_.txt"), ("...", "0007-file"),
    ("bad\\xff.txt", "0007-bad_xff.txt"), ("we ird\\name.txt", "0007-we ird_name.txt"), ("..\\..", "0007-_"),
])
def test_safe_names(name, expected) -> None:
    """A backslash is part of a name (stored names are base names; undecodable bytes are kept as
    \\xff): it becomes _ like any character Windows refuses, never a folder that drops the name."""
    assert safe_name(7, name) == expected


def test_an_undecodable_file_name_exports_recognisably(log_dir, run, env, tmp_path) -> None:
    import os

    from tests.records.test_odd_input import _run_bytes

    if os.name != "posix":
        pytest.skip("file names are bytes only on POSIX")
    odd = os.path.join(os.fsencode(tmp_path), b"bad\xff.txt")
    with open(odd, "wb") as handle:
        handle.write(b"evidence")
    added = _run_bytes(env, b"log", b"attach", b"--folder", os.fsencode(log_dir), odd)
    assert added.returncode == 0, added.stderr
    folder = tmp_path / "files"
    done = run("log", "export", "--folder", str(log_dir), "-o", str(tmp_path / "t.csv"), "--attachments", str(folder))
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["0001-bad_xff.txt", "manifest.json"]
    assert (folder / "0001-bad_xff.txt").read_bytes() == b"evidence"
