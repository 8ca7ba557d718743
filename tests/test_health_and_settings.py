"""/healthz and the settings' promises: refuse to start without a secret, deploy-ready."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.services import redis_url

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


def test_healthz_says_ok_with_no_broker_configured(client, settings):
    settings.CELERY_BROKER_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "broker": "not configured",
        "cache": "not configured",
        "periodic": "never",
    }
    assert "no-cache" in response["Cache-Control"]


def test_healthz_answers_503_when_the_configured_broker_is_unreachable(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "database": "ok",
        "broker": "error",
        "cache": "not configured",
        "periodic": "never",
    }


@pytest.mark.services
def test_healthz_says_ok_with_the_real_redis_broker(client, settings):
    settings.CELERY_BROKER_URL = redis_url()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "broker": "ok",
        "cache": "not configured",
        "periodic": "never",
    }


def test_healthz_answers_503_when_the_database_is_down(client, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise ConnectionError("database is down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["database"] == "error"


def _manage(*args, **env):
    # Only the process environment a server would have (browser tests add DJANGO_ALLOW_…).
    dropped = ("SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_without_debug_and_without_secret_key_the_portal_refuses_to_start():
    result = _manage("check", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_check_deploy_is_clean_with_production_settings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="x7#Lq9vPz2@kW4mN8rT1yB6cH3jF5dG0sA-eU_iO+pQ=lZ^bX&nM*vC%",
        ALLOWED_HOSTS="allas.vimmerby.se",
        SITE_URL="https://allas.vimmerby.se",
        SECURE_SSL_REDIRECT="true",
        SECURE_COOKIES="true",
        STATIC_MANIFEST="true",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_every_response_carries_the_security_headers(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "default-src 'self'" in csp
    assert "unsafe-inline" not in csp and "http" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_pages_load_nothing_from_another_origin(client):
    import re

    for path in ["/", "/orter/storebro/", "/konto/signup/", "/tillganglighet/"]:
        content = client.get(path).content.decode()
        sources = re.findall(r'(?:src|href)="([^"]+)"', content)
        loaded = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', content)
        assert all(s.startswith("/") for s in loaded), loaded
        assert sources  # the regex found something to check
