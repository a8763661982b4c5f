"""Both directions with real child processes (copies of /bin/sleep under telling names), found
through the real process table: covert stalkerware, a keylogger, a remote-access tool and a
program hiding under a system program's name are reported; ordinary names are not."""

from __future__ import annotations

import shutil
import sys
import time

import pytest
from digisafe.checks.monitoring_processes import MonitoringProcessesCheck

from digisafe.core.model import Severity
from digisafe.system.files import RealFiles
from digisafe.system.processes import PsutilProcesses
from tests.monitoring.conftest import run_check

pytestmark = [
    pytest.mark.system,
    pytest.mark.skipif(sys.platform != "linux" or shutil.which("sleep") is None, reason="needs Linux and sleep"),
]


def settle() -> None:
    time.sleep(0.1)  # let exec() finish so the processes carry their new names


def by_pid(findings):
    return {f.evidence.get("pid"): f for f in findings}


def test_keylogger_remote_access_and_disguise_found_ordinary_names_not(make_ctx, spawn):
    keylogger, remote, disguised = spawn("logkeys"), spawn("teamviewerd"), spawn("sshd")
    ordinary = [spawn(n) for n in ("firefox", "gnome-shell", "pipewire", "code", "slack")]
    settle()
    ctx = make_ctx(platform="linux", processes=PsutilProcesses(), files=RealFiles())
    found = by_pid(run_check(MonitoringProcessesCheck, ctx)[0])
    assert found[keylogger.pid].evidence["product"] == "logkeys"
    assert found[keylogger.pid].severity >= Severity.MEDIUM  # a keylogger (from unverified facts: one step down)
    assert found[remote.pid].evidence["product"] == "teamviewer"
    assert found[remote.pid].severity is Severity.MEDIUM and "did not install" in found[remote.pid].detail
    assert "disguised" in found[disguised.pid].title and found[disguised.pid].severity is Severity.HIGH
    assert not any(child.pid in found for child in ordinary)


def test_covert_stalkerware_name_is_found_and_outranks_remote_access(make_ctx, spawn):
    """SentryPC's own program names are Windows names; a listing from Windows is read the same way,
    so the real processes are matched with the Windows rules here."""
    spy, remote, ordinary = spawn("spcviewer.exe"), spawn("AnyDesk.exe"), spawn("OneDrive.exe")
    settle()
    ctx = make_ctx(platform="windows", processes=PsutilProcesses())
    found = by_pid(run_check(MonitoringProcessesCheck, ctx)[0])
    assert found[spy.pid].evidence["product"] == "sentrypc" and found[spy.pid].severity is Severity.HIGH
    assert found[remote.pid].evidence["product"] == "anydesk"
    assert found[spy.pid].severity > found[remote.pid].severity
    assert ordinary.pid not in found
