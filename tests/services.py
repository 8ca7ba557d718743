"""Finding the real services a test needs. A missing service skips the test with a reason,
unless REQUIRE_SERVICES=1 / REQUIRE_BROWSER=1 says it must be there (CI)."""

import asyncio
import os
import shutil
import socket
import threading
import time
from email import message_from_bytes, policy
from email.message import Message
from urllib.parse import urlparse

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _required(name: str) -> bool:
    return os.environ.get(name, "").lower() in ("1", "true", "yes")


def _missing(reason: str, required_by: str) -> None:
    if _required(required_by):
        pytest.fail(f"{reason} ({required_by}=1 says it must be there)", pytrace=False)
    pytest.skip(reason)


def _reachable(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=1):
            return True
    except OSError:
        return False


def redis_url() -> str:
    """The real Redis to use as Celery's broker in this test, or skip/fail."""
    url = os.environ.get("TEST_REDIS_URL", "")
    if not url or not _reachable(url):
        _missing(f"Redis is not reachable at {url or '(TEST_REDIS_URL unset)'}", "REQUIRE_SERVICES")
    return url


def require_postgresql(settings) -> None:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        _missing("this test needs PostgreSQL (set DATABASE_URL)", "REQUIRE_SERVICES")


def chromium_path() -> str:
    if not (os.path.exists(CHROMIUM) and shutil.which(CHROMIUM)):
        _missing(f"Chromium is not installed at {CHROMIUM}", "REQUIRE_BROWSER")
    return CHROMIUM


# -- this run's own Redis keys and Celery queue ------------------------------------------

# Set by tests/environment.py before the settings are read, and passed on to the
# processes a test starts.
RUN_ID = os.environ.get("TEST_RUN_ID", "")


def celery_queue() -> str:
    return os.environ["CELERY_TASK_DEFAULT_QUEUE"]


def redis_key_prefix() -> str:
    """This run's Redis key prefix (Celery's keys; use it for any other key a test makes)."""
    prefix = os.environ["CELERY_BROKER_KEY_PREFIX"]
    assert prefix.startswith("allas-test-"), prefix  # never an empty or shared prefix
    return prefix


def redis_delete_own_keys(url: str, prefix: str | None = None) -> int:
    """Deletes the keys this run made (those under its prefix) and nothing else."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
    try:
        keys = list(client.scan_iter(match=f"{prefix or redis_key_prefix()}*", count=500))
        if keys:
            client.delete(*keys)
        return len(keys)
    finally:
        client.close()


def use_broker(url: str | None) -> None:
    """Points this test process's Celery app at a broker (None: back to in-process).
    Celery caches its connection pools, so they are dropped with the old address."""
    from kombu import pools

    from allas.celery import app

    # Closes the old connections (not left for the garbage collector to warn about) and
    # forgets the pools, which kombu keeps by address.
    pools.reset()
    app.conf.broker_url = url or "memory://"
    app.conf.task_always_eager = url is None
    app._pool = None
    app.amqp._producer_pool = None


# -- a real SMTP server on loopback ------------------------------------------------------


def cache_unreachable(settings) -> None:
    """The cache pointed at a Redis nobody answers on: the discard port, where nothing
    listens, so every call fails at once, as with Redis down."""
    settings.CACHES = {
        "default": {
            "BACKEND": "allas.cache.DegradingRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }


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
    """aiosmtpd on a fixed loopback port, which can be stopped and started again.

    `refuse_rcpt` / `refuse_data`, when set (e.g. "451 4.3.0 Try again later"), are the
    server's answer to RCPT / DATA instead of accepting. With `hold_after` set, the session
    after that many messages waits at RCPT (before any message data) until `release()`: a
    client can be killed there having sent nothing. With `hold_in_data`, the next message is
    taken and the "250" answer held until `release()`: a client killed there has delivered
    it without knowing."""

    def __init__(self):
        self.port = free_port()
        self.messages: list[Message] = []
        self.refused = 0
        self.refuse_rcpt: str | None = None
        self.refuse_data: str | None = None
        self._controller = None
        self.hold_after: int | None = None
        self.hold_in_data = False
        self.holding = threading.Event()
        self._release = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.hold_after is not None and len(self.messages) >= self.hold_after:
            self.holding.set()
            while not self._release.is_set():
                await asyncio.sleep(0.05)
        if self.refuse_rcpt:
            self.refused += 1
            return self.refuse_rcpt
        envelope.rcpt_tos.append(address)
        return "250 OK"

    def release(self):
        self._release.set()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        if self.refuse_data:
            self.refused += 1
            return self.refuse_data
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        if self.hold_in_data:
            # The message is taken; the client waits for the "250" that tells it so.
            self.hold_in_data = False
            self.holding.set()
            while not self._release.is_set():
                await asyncio.sleep(0.05)
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


# -- a Redis server of the test's own ----------------------------------------------------


class RedisServer:
    """redis-server on a free loopback port, without persistence, started and stopped by
    the test: stopping it loses whatever it held, as a crashed broker does."""

    def __init__(self, directory):
        path = shutil.which("redis-server")
        if not path:
            _missing("redis-server is not installed", "REQUIRE_SERVICES")
        self.path = path
        self.directory = directory
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        import subprocess

        import redis

        self.process = subprocess.Popen(
            [self.path, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

        def answers():
            client = redis.Redis.from_url(self.url, socket_connect_timeout=0.5)
            try:
                return client.ping()
            except redis.RedisError:
                return False
            finally:
                client.close()

        wait_for(answers, timeout=20, what="redis-server to start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        self.process = None
