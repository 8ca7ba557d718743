"""Finding the real services a test needs. A missing service skips the test with a reason,
unless REQUIRE_SERVICES=1 / REQUIRE_BROWSER=1 says it must be there (CI)."""

import os
import shutil
import socket
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
