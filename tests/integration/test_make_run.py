"""`make run` on the embedded default: no PostgreSQL, no Redis, no SMTP."""

import os
import signal
import subprocess
import urllib.request

import pytest

from tests.integration.conftest import ROOT, free_port, wait_for

pytestmark = pytest.mark.slow


def test_make_run_serves_the_swedish_home_page_with_no_services(tmp_path):
    port = free_port()
    # Only what a newcomer's shell has: no database, broker or mail server configured.
    env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
    }
    log = open(tmp_path / "run.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        ["make", "run", f"PORT={port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )

    def home():
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                return response.status, response.read().decode()
        except OSError:
            assert process.poll() is None, (tmp_path / "run.log").read_text()
            return None

    try:
        status, content = wait_for(home, timeout=240, interval=0.5, what="make run to serve /")
        assert status == 200
        assert '<html lang="sv">' in content
        assert "Allas Vimmerby" in content
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            assert response.read() == b'{"database": "ok", "broker": "not configured"}'
        output = (tmp_path / "run.log").read_text()
        assert "personal@allas.example" in output  # the demo staff account is ready
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()
