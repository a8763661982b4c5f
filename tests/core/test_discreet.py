"""The audit on the real machine leaves no file behind and opens no network connection."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

GUARD = '''
import os, socket
_marker = os.environ["DIGISAFE_TEST_NET_MARKER"]

def _refuse(self, address, *args):
    if getattr(self, "family", None) in (socket.AF_INET, socket.AF_INET6):
        with open(_marker, "a") as handle:
            handle.write(repr(address) + "\\n")
        raise OSError("network use is not allowed in this test")
    return _original(self, address, *args)

_original = socket.socket.connect
socket.socket.connect = _refuse
socket.socket.connect_ex = _refuse
'''


@pytest.mark.system
def test_audit_writes_nothing_and_connects_nowhere(tmp_path) -> None:
    home = tmp_path / "home"
    (home / "Pictures").mkdir(parents=True)
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(GUARD)
    marker = tmp_path / "network-attempts.txt"
    env = {k: v for k, v in os.environ.items() if k != "XDG_RUNTIME_DIR"}
    env.update(HOME=str(home), PYTHONPATH=str(guard), DIGISAFE_TEST_NET_MARKER=str(marker), NO_COLOR="1")
    done = subprocess.run([sys.executable, "-m", "digisafe", "audit", "--format", "json"], env=env,
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr
    assert '"schema_version"' in done.stdout
    assert not marker.exists(), marker.read_text()
    left = sorted(str(p.relative_to(home)) for p in home.rglob("*"))
    assert left == ["Pictures"], left  # no cache, log or settings file in the user's home
    assert sorted(p.name for p in tmp_path.iterdir()) == ["guard", "home"]


@pytest.mark.system
@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this OS")
def test_planted_fifos_never_hang_the_audit_or_a_photo_scan(tmp_path) -> None:
    """A named pipe where a photo, an autostart entry or an SSH key file should be must not block."""
    home = tmp_path / "home"
    for rel in ("Pictures/holiday.jpg", ".config/autostart/helper.desktop", ".ssh/authorized_keys"):
        (home / rel).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(home / rel)
    env = {**os.environ, "HOME": str(home), "NO_COLOR": "1"}
    audit = subprocess.run([sys.executable, "-m", "digisafe", "audit", "--format", "json"], env=env,
                           capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert audit.returncode in (0, 1), audit.stderr
    scan = subprocess.run([sys.executable, "-m", "digisafe", "photos", "scan", str(home / "Pictures"),
                           "--format", "json"], env=env, capture_output=True, text=True, timeout=60)
    assert scan.returncode in (0, 4), scan.stderr  # 4: something could not be read, which is the FIFO
    assert "holiday.jpg" in scan.stdout
