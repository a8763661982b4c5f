from __future__ import annotations

import base64
import os
import shutil
import subprocess

import pytest
from digisafe.checks.linux_remote_access import LinuxRemoteAccessCheck

from digisafe.core.context import CommandResult, ProcessInfo
from digisafe.core.model import Finding, Limitation, Severity
from digisafe.settings.linux import parse_is_active
from digisafe.settings.ssh import option_value, parse_authorized_keys, ssh_fingerprint
from tests.fakes import FakeCommands, FakeProcesses

UNITS = ("ssh.service", "ssh.socket", "sshd.service", "sshd.socket", "gnome-remote-desktop.service", "xrdp.service")
NO_KEY = CommandResult(1, "", "No such schema “org.gnome.desktop.remote-desktop.rdp”\n")


def ed25519_line(comment: str, seed: bytes = b"k") -> tuple[str, bytes]:
    """A well-formed ssh-ed25519 public key line (length-prefixed type + 32-byte key)."""
    key = (seed * 32)[:32]
    blob = len(b"ssh-ed25519").to_bytes(4, "big") + b"ssh-ed25519" + (32).to_bytes(4, "big") + key
    return f"ssh-ed25519 {base64.b64encode(blob).decode()} {comment}", blob


def outputs(units: dict[str, str] | None = None, rdp: str = "false", vnc: str = "false",
            user_service: str = "inactive"):
    states = {u: "inactive" for u in UNITS}
    states.update(units or {})
    return {
        ("systemctl", "is-active", *UNITS): CommandResult(3, "\n".join(states[u] for u in UNITS) + "\n"),
        ("systemctl", "--user", "is-active", "gnome-remote-desktop"): CommandResult(3, user_service + "\n"),
        ("gsettings", "get", "org.gnome.desktop.remote-desktop.rdp", "enable"): rdp + "\n",
        ("gsettings", "get", "org.gnome.desktop.remote-desktop.vnc", "enable"): vnc + "\n",
        ("gsettings", "get", "org.gnome.desktop.remote-desktop.rdp", "view-only"): "false\n",
        ("gsettings", "get", "org.gnome.desktop.remote-desktop.vnc", "view-only"): "true\n",
    }


def run(ctx):
    items = list(LinuxRemoteAccessCheck().run(ctx))
    return [i for i in items if isinstance(i, Finding)], [i.message for i in items if isinstance(i, Limitation)]


def test_fingerprint_matches_the_sha256_of_the_blob():
    line, blob = ed25519_line("alice@laptop")
    [key] = parse_authorized_keys(line)
    import hashlib
    expected = "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")
    assert key.fingerprint == expected and key.comment == "alice@laptop" and key.problem == ""


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="ssh-keygen not installed")
def test_fingerprint_agrees_with_ssh_keygen(tmp_path):
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "me@x", "-f", str(tmp_path / "k")], check=True)
    pub = (tmp_path / "k.pub").read_text()
    shown = subprocess.run(["ssh-keygen", "-lf", str(tmp_path / "k.pub")], capture_output=True, text=True).stdout
    [key] = parse_authorized_keys(pub)
    assert key.fingerprint == shown.split()[1]


def test_options_with_quoted_spaces_and_commas():
    line, _ = ed25519_line("backup")
    text = f'# comment\n\nfrom="10.0.0.1,*.example.com",command="rsync --server a b",no-pty {line}\n'
    [key] = parse_authorized_keys(text)
    assert key.line == 3
    assert option_value(key.options, "from") == "10.0.0.1,*.example.com"
    assert option_value(key.options, "command") == "rsync --server a b"
    assert "no-pty" in key.options


def test_damaged_key_lines_are_kept_with_a_problem():
    keys = parse_authorized_keys("ssh-rsa !!!notbase64 x\ngarbage line here\n")
    assert [bool(k.problem) for k in keys] == [True, True]
    assert ssh_fingerprint("") is None


def test_mismatched_type_is_flagged():
    line, _ = ed25519_line("c")
    [key] = parse_authorized_keys(line.replace("ssh-ed25519", "ssh-rsa", 1))
    assert "ssh-ed25519" in key.problem


def test_is_active_pairs_units_and_states():
    assert parse_is_active(["a", "b"], "active\ninactive\n") == {"a": "active", "b": "inactive"}


def test_quiet_laptop_reports_nothing(make_ctx):
    findings, limits = run(make_ctx(commands=FakeCommands(outputs())))
    assert findings == []
    assert limits == ["only this account's SSH keys were read; other accounts' keys need administrator rights"]


def test_ssh_socket_activation_and_keys(make_ctx, tmp_path):
    ssh = tmp_path / "home/.ssh"
    ssh.mkdir(parents=True)
    line, _ = ed25519_line("ex@their-laptop")
    (ssh / "authorized_keys").write_text(line + "\n")
    findings, _ = run(make_ctx(commands=FakeCommands(outputs({"ssh.socket": "active"}))))
    titles = [f.title for f in findings]
    assert "The SSH remote login server is on" in titles
    key = next(f for f in findings if "ex@their-laptop" in f.title)
    assert key.severity is Severity.MEDIUM
    assert key.evidence["fingerprint"].startswith("SHA256:")
    assert key.guidance == "laptop"


def test_key_with_ssh_off_is_low(make_ctx, tmp_path):
    ssh = tmp_path / "home/.ssh"
    ssh.mkdir(parents=True)
    (ssh / "authorized_keys2").write_text(ed25519_line("old")[0])
    findings, _ = run(make_ctx(commands=FakeCommands(outputs())))
    assert [f.severity for f in findings] == [Severity.LOW]


def test_gnome_remote_desktop_enabled(make_ctx):
    findings, _ = run(make_ctx(commands=FakeCommands(outputs(rdp="true", user_service="active"))))
    [f] = findings
    assert f.severity is Severity.HIGH and "control" in f.title
    assert f.evidence["user_service"] == "active"


def test_vnc_view_only_says_watch(make_ctx):
    findings, _ = run(make_ctx(commands=FakeCommands(outputs(vnc="true"))))
    [f] = findings
    assert f.title.endswith("can watch this screen")


def test_screen_sharing_process_reported(make_ctx):
    procs = FakeProcesses([ProcessInfo(pid=4242, name="x11vnc", exe="/usr/bin/x11vnc", cmdline=("x11vnc", "-forever"))])
    findings, _ = run(make_ctx(commands=FakeCommands(outputs()), processes=procs))
    [f] = findings
    assert f.evidence["pid"] == 4242 and f.severity is Severity.HIGH


def test_without_systemctl_or_gsettings_says_so_and_uses_processes(make_ctx):
    procs = FakeProcesses([ProcessInfo(pid=1, name="sshd")])
    findings, limits = run(make_ctx(commands=FakeCommands({}), processes=procs))
    assert any("system services not read" in m for m in limits)
    assert any("GNOME Remote Desktop settings not read" in m for m in limits)
    assert [f.title for f in findings] == ["The SSH remote login server is on"]


def test_missing_schema_is_not_a_limitation(make_ctx):
    out = outputs()
    out[("gsettings", "get", "org.gnome.desktop.remote-desktop.rdp", "enable")] = NO_KEY
    findings, limits = run(make_ctx(commands=FakeCommands(out)))
    assert findings == [] and len(limits) == 1


def test_admin_reads_other_accounts_keys(make_ctx, tmp_path):
    other = tmp_path / "root/home/bob/.ssh"
    other.mkdir(parents=True)
    (other / "authorized_keys").write_text(ed25519_line("mallory")[0])
    findings, limits = run(make_ctx(commands=FakeCommands(outputs()), is_admin=True))
    assert limits == []
    assert [f.evidence["comment"] for f in findings] == ["mallory"]
    assert findings[0].evidence["file"].endswith(os.path.join("bob", ".ssh", "authorized_keys"))


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="ssh-keygen not installed")
def test_every_key_type_and_certificate_agrees_with_ssh_keygen(tmp_path):
    # Real keys and a real certificate from ssh-keygen, in an authorized_keys file with options.
    lines = []
    for kind, extra in (("rsa", ["-b", "2048"]), ("ecdsa", ["-b", "384"]), ("ed25519", [])):
        subprocess.run(["ssh-keygen", "-q", "-t", kind, *extra, "-N", "", "-C", f"{kind}@x", "-f",
                        str(tmp_path / kind)], check=True)
        lines.append(f'from="10.0.0.1",command="echo \\"hi there\\"" {(tmp_path / f"{kind}.pub").read_text().strip()}')
    subprocess.run(["ssh-keygen", "-q", "-s", str(tmp_path / "ed25519"), "-I", "cert", "-n", "me",
                    str(tmp_path / "rsa.pub")], check=True)
    certificate = tmp_path / "rsa-cert.pub"
    lines.append(certificate.read_text().strip())
    keys = parse_authorized_keys("\n".join(lines) + "\n")
    shown = [subprocess.run(["ssh-keygen", "-lf", str(path)], capture_output=True, text=True).stdout.split()[1]
             for path in (tmp_path / "rsa.pub", tmp_path / "ecdsa.pub", tmp_path / "ed25519.pub", certificate)]
    assert [k.fingerprint for k in keys] == shown  # a certificate shows its certified key's fingerprint
    assert [k.problem for k in keys] == [""] * 4
    assert keys[3].key_type == "ssh-rsa-cert-v01@openssh.com" and keys[0].options[0] == 'from="10.0.0.1"'


def test_garbage_key_data_is_flagged():
    [key] = parse_authorized_keys("ssh-rsa AAAAbroken== odd\n")
    assert key.problem.startswith("the key data is damaged")


def test_sshd_config_include_drop_in_is_followed(make_ctx, tmp_path):
    # Debian/Ubuntu: sshd_config starts with an Include; a drop-in's first value wins.
    etc = tmp_path / "root/etc/ssh"
    (etc / "sshd_config.d").mkdir(parents=True)
    (etc / "keys").mkdir()
    (etc / "sshd_config").write_text("Include /etc/ssh/sshd_config.d/*.conf\nAuthorizedKeysFile .ssh/authorized_keys\n")
    (etc / "sshd_config.d/50-extra.conf").write_text("AuthorizedKeysFile .ssh/authorized_keys /etc/ssh/keys/%u\n")
    (etc / "sshd_config.d/not-included.txt").write_text("AuthorizedKeysCommand /bin/never\n")
    (etc / "keys/sam").write_text(ed25519_line("planted")[0])
    ctx = make_ctx(commands=FakeCommands(outputs()), environ={"USER": "sam", "HOME": str(tmp_path / "home")})
    findings, limits = run(ctx)
    assert [f.evidence["comment"] for f in findings] == ["planted"]
    assert not any("AuthorizedKeysCommand" in m for m in limits)


def test_sshd_config_extra_key_files(make_ctx, tmp_path):
    from digisafe.settings.ssh import parse_sshd_key_sources

    config = ("# global\nAuthorizedKeysFile .ssh/authorized_keys /etc/ssh/keys/%u %h/.config/keys %t\n"
              "AuthorizedKeysCommand /usr/bin/fetch-keys %u\nMatch User backup\n  AuthorizedKeysFile /x\n")
    assert parse_sshd_key_sources(config).files[1] == "/etc/ssh/keys/%u"
    etc = tmp_path / "root/etc/ssh"
    (etc / "keys").mkdir(parents=True)
    (etc / "sshd_config").write_text(config)
    (etc / "keys/sam").write_text(ed25519_line("via-etc")[0])
    (tmp_path / "home/.config").mkdir(parents=True)
    (tmp_path / "home/.config/keys").write_text(ed25519_line("via-home", b"z")[0])
    ctx = make_ctx(commands=FakeCommands(outputs()), environ={"USER": "sam", "HOME": str(tmp_path / "home")})
    findings, limits = run(ctx)
    assert sorted(f.evidence["comment"] for f in findings) == ["via-etc", "via-home"]
    assert any("%t" in m for m in limits) and any("AuthorizedKeysCommand" in m for m in limits)


def test_vino_without_prompt(make_ctx):
    out = outputs()
    out[("gsettings", "get", "org.gnome.Vino", "prompt-enabled")] = "false\n"
    out[("gsettings", "get", "org.gnome.Vino", "view-only")] = "false\n"
    procs = FakeProcesses([ProcessInfo(pid=5, name="vino-server")])
    [f], _ = run(make_ctx(commands=FakeCommands(out), processes=procs))
    assert "without asking" in f.detail
    assert f.evidence["org.gnome.Vino"] == {"prompt-enabled": False, "view-only": False, "require-encryption": None}


def test_systemctl_without_systemd_is_a_limitation(make_ctx):
    out = outputs()
    out[("systemctl", "is-active", *UNITS)] = CommandResult(
        1, "", "System has not been booted with systemd as init system (PID 1). Can't operate.\n")
    findings, limits = run(make_ctx(commands=FakeCommands(out)))
    assert findings == []
    assert any("not been booted with systemd" in m for m in limits)
