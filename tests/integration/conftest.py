"""Real processes for integration tests: an SMTP server on loopback and a Celery worker on
the real Redis broker, both talking to the test database."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.services import (
    SmtpServer,
    free_port,
    redis_delete_own_keys,
    redis_url,
    use_broker,
    wait_for,
)

ROOT = Path(__file__).resolve().parents[2]

__all__ = ["ROOT", "SmtpServer", "free_port", "use_broker", "wait_for"]


@pytest.fixture
def smtp_server():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


def _database_url(settings) -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{db['NAME']}"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def broker(settings):
    """The real Redis as the broker of this test process too. The database is the one
    TEST_REDIS_URL names; this run's keys and queue have names of their own
    (tests/environment.py), and only those keys are deleted afterwards."""
    url = redis_url()
    use_broker(url)
    settings.CELERY_BROKER_URL = url
    yield url
    use_broker(None)
    redis_delete_own_keys(url)


def _worker_env(settings, broker_url: str, smtp_port: int, extra_env: dict) -> dict:
    return {
        **os.environ,
        "DEBUG": "false",
        "DATABASE_URL": _database_url(settings),
        "CELERY_BROKER_URL": broker_url,
        "REDIS_URL": "",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "EMAIL_TIMEOUT": "5",
        "OUTBOX_RETRY_DELAYS": "1,1",
        "OUTBOX_SWEEP_RETRY_AFTER": "0",
        **extra_env,
    }


@pytest.fixture
def worker_factory(settings, tmp_path):
    """Starts Celery worker processes on a given broker and SMTP port; all are stopped at
    the end of the test."""
    workers = []

    def start(broker_url: str, smtp_port: int, **extra_env):
        index = len(workers)
        log_path = tmp_path / f"worker{index}.log"
        log = open(log_path, "w")  # noqa: SIM115
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "allas",
                "worker",
                "--pool=solo",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "-l",
                "info",
            ],
            cwd=ROOT,
            env=_worker_env(settings, broker_url, smtp_port, extra_env),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        workers.append((process, log))
        wait_for(
            lambda: "ready" in log_path.read_text(),
            timeout=60,
            what="the Celery worker to start",
        )
        return process

    yield start
    for process, log in workers:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)
        log.close()


@pytest.fixture
def start_worker(broker, smtp_server, worker_factory):
    """Starts a Celery worker process on the broker and the SMTP server; returns a
    function that starts one (again)."""

    def start(**extra_env):
        return worker_factory(broker, smtp_server.port, **extra_env)

    return start
