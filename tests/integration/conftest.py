"""Real processes for integration tests: an SMTP server on loopback and a Celery worker on
the real Redis broker, both talking to the test database."""

import asyncio
import os
import socket
import subprocess
import sys
import threading
import time
from email import message_from_bytes, policy
from email.message import Message
from pathlib import Path

import pytest

from tests.services import redis_url

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, timeout=30.0, interval=0.1, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class SmtpServer:
    """aiosmtpd on a fixed loopback port, which can be stopped and started again. With
    `hold_after` set, the session after that many messages waits at RCPT (before any
    message data) until `release()`: a client can be killed there having sent nothing."""

    def __init__(self):
        self.port = free_port()
        self.messages: list[Message] = []
        self._controller = None
        self.hold_after: int | None = None
        self.holding = threading.Event()
        self._release = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.hold_after is not None and len(self.messages) >= self.hold_after:
            self.holding.set()
            while not self._release.is_set():
                await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    def release(self):
        self._release.set()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def start(self):
        from aiosmtpd.controller import Controller

        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self):
        if self._controller:
            self._controller.stop()
            self._controller = None

    def subjects(self) -> list[str]:
        return [str(m["Subject"]) for m in self.messages]


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


def use_broker(url: str | None) -> None:
    """Points this test process's Celery app at a broker (None: back to in-process).
    Celery caches its connection pools, so they are dropped with the old address."""
    from allas.celery import app

    app.conf.broker_url = url
    app.conf.task_always_eager = url is None
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker(settings):
    """The real Redis, on a database of its own, as the broker of this test process too."""
    import redis

    url = redis_url().rsplit("/", 1)[0] + "/14"
    redis.Redis.from_url(url).flushdb()
    use_broker(url)
    settings.CELERY_BROKER_URL = url
    yield url
    use_broker(None)


@pytest.fixture
def start_worker(broker, settings, smtp_server, tmp_path):
    """Starts a Celery worker process; returns a function that starts one (again)."""
    workers = []

    def start(**extra_env):
        env = {
            **os.environ,
            "DEBUG": "false",
            "DATABASE_URL": _database_url(settings),
            "CELERY_BROKER_URL": broker,
            "REDIS_URL": "",
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_server.port}",
            "EMAIL_TIMEOUT": "5",
            "OUTBOX_RETRY_DELAYS": "1,1",
            "OUTBOX_SWEEP_RETRY_AFTER": "0",
            **extra_env,
        }
        log = open(tmp_path / f"worker{len(workers)}.log", "w")  # noqa: SIM115
        index = len(workers)
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
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        workers.append((process, log))
        wait_for(
            lambda: "ready" in (tmp_path / f"worker{index}.log").read_text(),
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
        log.close()
