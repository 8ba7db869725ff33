"""The systemd units and the nginx site in deploy/ are valid and say what docs/deploy.md says."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.deploy.serving import REPO

DEPLOY = REPO / "deploy"
UNITS = ("vha.service", "vha-backup.service", "vha-backup.timer")


def _localised(tmp_path: Path) -> list[Path]:
    """The units with /srv/vha pointed at this checkout and its venv, so verify can find them."""
    venv_bin = Path(sys.executable).parent
    out = []
    for name in UNITS:
        text = (DEPLOY / name).read_text()
        text = text.replace("/srv/vha/.venv/bin", str(venv_bin)).replace("/srv/vha", str(REPO))
        path = tmp_path / name
        path.write_text(text)
        out.append(path)
    return out


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_systemd_units_pass_systemd_analyze_verify(tmp_path):
    done = subprocess.run(
        ["systemd-analyze", "verify", *map(str, _localised(tmp_path))],
        capture_output=True,
        text=True,
        check=False,
    )
    problems = [
        line
        for line in (done.stdout + done.stderr).splitlines()
        # verify also reads the host's own units; only lines about ours count
        if any(name in line for name in UNITS)
    ]
    assert done.returncode == 0 and not problems, done.stdout + done.stderr


def _directives(text: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and not line.startswith("#"):
            found.setdefault(key.strip(), []).append(value.strip())
    return found


def test_the_service_runs_gunicorn_with_the_repository_config():
    unit = _directives((DEPLOY / "vha.service").read_text())
    assert unit["ExecStart"] == ["/srv/vha/.venv/bin/gunicorn -c deploy/gunicorn.conf.py"]
    assert unit["WorkingDirectory"] == ["/srv/vha"]
    assert unit["EnvironmentFile"] == ["/etc/vha/vha.env"]
    assert unit["Type"] == ["notify"]  # gunicorn tells systemd when it is ready
    assert unit["User"] == ["vha"]


def test_the_backup_timer_runs_the_backup_command_nightly():
    service = _directives((DEPLOY / "vha-backup.service").read_text())
    timer = _directives((DEPLOY / "vha-backup.timer").read_text())
    assert service["ExecStart"] == ["/srv/vha/.venv/bin/flask backup /var/backups/vha --keep 14"]
    assert timer["OnCalendar"] == ["*-*-* 02:30:00"]
    assert timer["Persistent"] == ["true"]


def _nginx_blocks(text: str) -> str:
    text = re.sub(r"#[^\n]*", "", text)
    assert text.count("{") == text.count("}"), "unbalanced braces"
    return text


def _nginx_directive(text: str, name: str) -> list[str]:
    return [m.strip() for m in re.findall(rf"(?:^|[;{{}}\s]){name}\s+([^;{{]*);", text)]


@pytest.mark.skipif(shutil.which("nginx") is None, reason="no nginx here: see the parse test")
def test_nginx_accepts_the_site(tmp_path):
    site = (DEPLOY / "nginx.conf").read_text()
    conf = tmp_path / "nginx.conf"
    conf.write_text(f"events {{}}\nhttp {{\n{site}\n}}\n")
    done = subprocess.run(["nginx", "-t", "-c", str(conf)], capture_output=True, text=True)
    # Certificates at the example paths do not exist here; everything else must parse.
    assert done.returncode == 0 or "ssl_certificate" in done.stderr, done.stderr


def test_nginx_terminates_tls_and_proxies_to_gunicorn_with_the_forwarded_headers():
    site = _nginx_blocks((DEPLOY / "nginx.conf").read_text())
    assert "443 ssl" in _nginx_directive(site, "listen")
    assert _nginx_directive(site, "return") == ["301 https://$host$request_uri"]
    assert _nginx_directive(site, "proxy_pass") == ["http://vha_app"]
    assert "127.0.0.1:8000" in _nginx_directive(site, "server")
    headers = _nginx_directive(site, "proxy_set_header")
    assert "X-Forwarded-For $remote_addr" in headers  # one trusted hop: TRUSTED_PROXIES=1
    assert "X-Forwarded-Proto $scheme" in headers
    assert 'Strict-Transport-Security "max-age=31536000" always' in _nginx_directive(
        site, "add_header"
    )
    assert _nginx_directive(site, "ssl_protocols") == ["TLSv1.2 TLSv1.3"]


def test_gunicorn_binds_where_nginx_proxies():
    namespace: dict[str, object] = {}
    exec(compile((DEPLOY / "gunicorn.conf.py").read_text(), "gunicorn.conf.py", "exec"), namespace)
    assert namespace["bind"] == "127.0.0.1:8000"
    assert namespace["preload_app"] is True
    assert namespace["timeout"] < 75  # nginx's proxy_read_timeout outlasts a worker's timeout
