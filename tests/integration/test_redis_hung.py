"""A hung Redis (SIGSTOP: the server keeps its connections and answers nothing) slows no
page: gunicorn as in production, with one worker of four threads, keeps answering pages,
logins and /healthz, and the visitors' page cache shows no page from before a change made
while Redis did not answer.

The Redis here is a server this test starts on its own port; the machine's Redis is not
touched."""

import http.client
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest
from django.core.cache import caches

from allas import cache as degrading_cache
from allas import views
from proposals import services
from tests.factories import PASSWORD, UserFactory
from tests.integration.conftest import ROOT, _database_url
from tests.integration.test_redis_down import RedisServer, cache_pages_in, visitor_page
from tests.proposals.conftest import make_proposal
from tests.services import free_port, require_postgresql, wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

PAGES = ["/", "/orter/storebro/", "/forslag/", "/mal/", "/konto/login/"]


class Portal:
    """gunicorn serving the test database, with Redis as cache and broker."""

    def __init__(self, settings, redis_url, log_path):
        self.port = free_port()
        env = {
            **os.environ,
            "DEBUG": "false",
            "DATABASE_URL": _database_url(settings),
            "REDIS_URL": redis_url + "/0",
            "CELERY_BROKER_URL": redis_url + "/1",
            "PAGE_CACHE_SECONDS": "600",
        }
        self.log = open(log_path, "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "allas.wsgi", "--workers", "1"]
            + ["--threads", "4", "--worker-class", "gthread"]
            + ["--bind", f"127.0.0.1:{self.port}", "--timeout", "60"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_for(self._up, timeout=60, what="gunicorn to answer")

    def _up(self):
        try:
            return self.get("/healthz", timeout=5)[0] in (200, 503)
        except OSError:
            return False

    def request(self, method, path, *, body=None, headers=None, timeout=10):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read().decode()
        finally:
            conn.close()

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def timed(self, method, path, **kwargs):
        start = time.monotonic()
        answer = self.request(method, path, **kwargs)
        return time.monotonic() - start, answer

    def log_in(self, email, password):
        """The login form and its POST, as a browser sends them; returns the seconds
        both took and the POST's status."""
        start = time.monotonic()
        status, headers, page = self.get("/konto/login/")
        assert status == 200
        csrf = re.search(r"csrftoken=([^;]+)", headers["Set-Cookie"]).group(1)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = {"csrfmiddlewaretoken": token, "login": email, "password": password}
        status, headers, _ = self.request(
            "POST",
            "/konto/login/",
            body=urlencode(form),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={csrf}",
            },
        )
        return time.monotonic() - start, status, headers

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def portal(settings, redis_server, tmp_path):
    require_postgresql(settings)
    server = Portal(settings, redis_server.url, tmp_path / "gunicorn.log")
    yield server
    server.stop()


def test_with_redis_hung_pages_login_and_healthz_answer_at_once(portal, redis_server, settings):
    # The server's own hasher (the tests' fast one is not in its list).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    author = UserFactory(display_name="Författare")
    proposal = make_proposal(author)
    pages = [*PAGES, f"/forslag/{proposal.pk}/"]
    for path in pages:
        assert portal.get(path)[0] == 200, path
    assert proposal.title in portal.get("/forslag/")[2]  # now from the page cache
    status, _, body = portal.get("/healthz")
    assert status == 200 and '"broker": "ok"' in body and '"cache": "ok"' in body

    redis_server.hang()

    took, (status, _, body) = portal.timed("GET", "/healthz")
    assert took < 2, took
    assert status == 503
    assert '"broker": "error"' in body and '"database": "ok"' in body
    for path in pages:
        took, (status, _, body) = portal.timed("GET", path)
        assert status == 200 and took < 3, (path, took)
    assert proposal.title in portal.get("/forslag/")[2]
    took, status, headers = portal.log_in(author.email, PASSWORD)
    assert status == 302 and "sessionid=" in headers["Set-Cookie"], status
    assert took < 3, took

    # Eight health probes at once, more than the worker has threads, once nothing is known
    # of the failure any more (each would ask Redis): a page still answers.
    time.sleep(max(degrading_cache.PAUSE_SECONDS, views.HEALTH_ERROR_SECONDS) + 0.5)
    with ThreadPoolExecutor(max_workers=9) as pool:
        probes = [pool.submit(portal.timed, "GET", "/healthz") for _ in range(8)]
        time.sleep(0.2)
        took, (status, _, _) = portal.timed("GET", "/orter/storebro/")
        assert status == 200 and took < 3, took
        for probe in probes:
            took, (status, _, body) = probe.result()
            assert status == 503 and took < 3, took
            assert '"broker": "error"' in body

    redis_server.resume()

    def healthy():
        status, _, body = portal.get("/healthz")
        return status == 200 and '"broker": "ok"' in body and '"cache": "ok"' in body

    wait_for(healthy, timeout=15, what="/healthz to see Redis again")
    for path in pages:
        took, (status, _, _) = portal.timed("GET", path)
        assert status == 200 and took < 3, (path, took)


# -- no stale page after a hung Redis (in this process, against its own Redis) --------


@pytest.fixture
def hung_cache(settings, redis_server, monkeypatch):
    cache_pages_in(redis_server, settings, monkeypatch)
    yield redis_server
    caches["default"].close()


def test_a_proposal_removed_while_redis_hung_is_not_served_after_it_answers(
    hung_cache, coordinator
):
    author = UserFactory(display_name="Författare")
    proposal = make_proposal(author, title="Belysning längs cykelvägen")
    for path in ("/forslag/", "/orter/storebro/"):
        visitor_page(path)
        content, queries = visitor_page(path)
        assert "Belysning" in content and queries == 0  # stored

    hung_cache.hang()
    # A visitor meets the hung Redis first; then the proposal is removed.
    assert "Belysning" in visitor_page("/forslag/")[0]
    services.moderate(by=coordinator, decision="remove", reason="Spam", proposal=proposal)
    assert "Belysning" not in visitor_page("/forslag/")[0]
    hung_cache.resume()

    for attempt in range(3):
        for path in ("/forslag/", "/orter/storebro/"):
            assert "Belysning" not in visitor_page(path)[0], (attempt, path)
        time.sleep(0.4)  # past the pause: Redis is asked again
    # The page cache works again, with the new content.
    visitor_page("/forslag/")
    content, queries = visitor_page("/forslag/")
    assert "Belysning" not in content and queries == 0


def test_after_one_timeout_the_cache_leaves_a_hung_redis_alone_for_a_moment(hung_cache):
    from django.core.cache import cache

    cache.set("kept", 1)
    hung_cache.hang()
    start = time.monotonic()
    for _ in range(20):  # a page's worth of cache calls
        assert cache.get("kept") is None
    assert cache.add("lock", 1) is True  # rate limits fail open
    took = time.monotonic() - start
    assert took < 1.5, took  # one timeout, not twenty
    hung_cache.resume()
    time.sleep(0.4)  # past the pause
    assert cache.get("kept") == 1
