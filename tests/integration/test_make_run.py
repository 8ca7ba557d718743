"""`make run` on the embedded default: no PostgreSQL, no Redis, no SMTP."""

import json
import os
import re
import signal
import subprocess
import urllib.parse
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

        def health():
            url = f"http://127.0.0.1:{port}/healthz"
            with urllib.request.urlopen(url, timeout=5) as response:
                return json.loads(response.read())

        assert (health()["database"], health()["broker"]) == ("ok", "not configured")
        # The periodic loop runs beside the server: its sweep finishes, and keeps finishing.
        wait_for(lambda: health()["periodic"] == "ok", timeout=30, what="the first sweep")
        output = (tmp_path / "run.log").read_text()
        assert "personal@allas.example" in output  # the demo staff account is ready
        assert "NotRegistered" not in output and "Traceback" not in output

        # An e-mail written on this port links to this port (SITE_URL follows PORT).
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        with opener.open(f"http://127.0.0.1:{port}/tillganglighet/", timeout=10) as response:
            token = re.search(
                r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode()
            )
        form = {"csrfmiddlewaretoken": token.group(1), "kind": "other", "message": "Testar länken."}
        opener.open(
            f"http://127.0.0.1:{port}/tillganglighet/",
            data=urllib.parse.urlencode(form).encode(),
            timeout=10,
        ).close()
        link = f"http://127.0.0.1:{port}/admin/allas/accessibilityfeedback/"
        wait_for(
            lambda: link in (tmp_path / "run.log").read_text(),
            timeout=20,
            what="the e-mail with a link to this port on the console",
        )
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()
