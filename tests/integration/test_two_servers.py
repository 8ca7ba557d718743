"""Two web servers behind one address, as in production: two gunicorn processes on their
own ports, each with two workers, share one PostgreSQL database and one Redis. A change
made through one shows at once to a visitor of the other, whose page cache held the page
before, and on the pages kept for a signed-in person there; a session made by logging in
on one is valid on the other; failed logins counted on one are refused on the other too.

The database is the test database (created and migrated for the run, emptied after the
test); the Redis is a server this test starts on its own port and stops, with every key
in it: the machine's Redis is not touched."""

import os
import re
import subprocess
import sys
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest

from allas.models import Locality
from tests.factories import PASSWORD, UserFactory
from tests.integration.conftest import ROOT, _database_url
from tests.integration.test_redis_down import RedisServer
from tests.proposals.conftest import make_proposal
from tests.services import free_port, require_postgresql, wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

WRONG = "fel-losenord-123"
LIMITED = "Du har försökt logga in för många gånger"


class WebServer:
    """gunicorn serving the portal with the production settings, behind the proxy's one
    address (SITE_URL), on a port of its own."""

    def __init__(self, name, *, database_url, redis_url, site_url, log_path):
        self.name = name
        self.port = free_port()
        env = {
            **os.environ,
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": site_url,
            # The proxy ends TLS; these tests speak plain HTTP to the servers.
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_COOKIES": "false",
            "DATABASE_URL": database_url,
            # Cache (pages, sessions' rate limits, the content version) and broker.
            "REDIS_URL": f"{redis_url}/0",
            "CACHE_REDIS_URL": "",
            "CELERY_BROKER_URL": f"{redis_url}/1",
            "PAGE_CACHE_SECONDS": "600",
        }
        self.log_path = log_path
        self.log = open(log_path, "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "allas.wsgi", "--workers", "2"]
            + ["--threads", "2", "--worker-class", "gthread"]
            + ["--bind", f"127.0.0.1:{self.port}", "--timeout", "60"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_for(self._up, timeout=60, what=f"gunicorn {name} to answer")

    def _up(self):
        assert self.process.poll() is None, self.log_path.read_text()
        try:
            return self.request("GET", "/healthz")[0] == 200
        except OSError:
            return False

    def request(self, method, path, *, body=None, headers=None):
        """(status, [(header, value), ...], text), without following a redirect."""
        conn = HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.getheaders(), response.read().decode()
        finally:
            conn.close()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=20)
        self.log.close()


class Browser:
    """One person's browser: its cookies go to whichever server the proxy picks, as they
    would behind the one address (a cookie is the host's, whatever the port)."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def send(self, server, method, path, form=None):
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            form = {"csrfmiddlewaretoken": self.csrf_token, **form}
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        status, response_headers, text = server.request(method, path, body=body, headers=headers)
        for name, value in response_headers:
            if name.lower() == "set-cookie":
                for morsel in SimpleCookie(value).values():
                    if morsel["max-age"] == "0" or not morsel.value:
                        self.cookies.pop(morsel.key, None)
                    else:
                        self.cookies[morsel.key] = morsel.value
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
        if token:
            self.csrf_token = token.group(1)
        return status, dict(response_headers), text

    def get(self, server, path):
        return self.send(server, "GET", path)

    def post(self, server, path, form):
        return self.send(server, "POST", path, form)

    def log_in(self, server, email, password):
        status, _, _ = self.get(server, "/konto/login/")
        assert status == 200
        return self.post(server, "/konto/login/", {"login": email, "password": password})


@pytest.fixture
def shared_redis(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    # Stopped without saving: every key the servers made goes with it.
    server.stop()


@pytest.fixture
def two_servers(settings, shared_redis, tmp_path):
    """Servers A and B, one database and one Redis."""
    require_postgresql(settings)
    # The servers' own hasher list (the tests' fast one is not in it).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    database_url = _database_url(settings)
    servers = []
    try:
        for name in ("a", "b"):
            servers.append(
                WebServer(
                    name,
                    database_url=database_url,
                    redis_url=shared_redis.url,
                    site_url="http://127.0.0.1",
                    log_path=tmp_path / f"gunicorn-{name}.log",
                )
            )
        yield servers
    finally:
        for server in servers:
            server.stop()


def test_a_change_through_one_server_shows_at_once_on_the_other(two_servers, shared_redis):
    a, b = two_servers
    resident = UserFactory(display_name="Boende i Storebro")
    storebro = Locality.objects.get(slug="storebro")

    visitor = Browser()
    assert visitor.get(b, "/forslag/")[0] == 200
    # Written behind the servers' back (this process renews only its own memory's
    # version), so B still serves the page it stored: B's page cache holds it.
    make_proposal(resident, title="Skrivet bakom ryggen")
    status, _, page = visitor.get(b, "/forslag/")
    assert status == 200 and "Skrivet bakom ryggen" not in page
    assert shared_redis.keys("*visitor-page*")

    # The resident logs in on A and proposes there, through the form.
    person = Browser()
    status, headers, _ = person.log_in(a, resident.email, PASSWORD)
    assert status == 302 and "sessionid" in person.cookies, headers
    assert person.get(a, "/forslag/nytt/")[0] == 200
    status, headers, _ = person.post(
        a,
        "/forslag/nytt/",
        {"locality": storebro.pk, "title": "Bänkar vid ån", "body": "Några bänkar att vila på."},
    )
    assert status == 302, headers

    # The visitor on B sees it at once, and what was written behind its back with it.
    status, _, page = visitor.get(b, "/forslag/")
    assert status == 200
    assert "Bänkar vid ån" in page and "Skrivet bakom ryggen" in page
    assert "Bänkar vid ån" in visitor.get(a, "/forslag/")[2]

    # Pages kept for the signed-in resident on B show what was written through A at once:
    # the list under the content version, their own ort page under the writes version.
    for _ in range(2):
        status, _, page = person.get(b, "/forslag/")
        assert status == 200 and "Bänkar vid ån" in page and "Boende i Storebro" in page
        assert "Följ Storebro" in person.get(b, "/orter/storebro/")[2]
    assert shared_redis.keys("*signed-in-page*")
    assert person.post(a, "/orter/storebro/folj/", {})[0] == 302
    for _ in range(2):  # the first shows the message too
        status, _, page = person.get(b, "/orter/storebro/")
        assert status == 200 and "Sluta följa Storebro" in page

    # The session made on A is valid on B: the profile page knows the resident there.
    status, _, page = person.get(b, "/konto/profil/")
    assert status == 200 and "Boende i Storebro" in page
    assert visitor.get(b, "/konto/profil/")[0] == 302  # a visitor is sent to log in
    # And signing out on B ends it on A.
    assert person.post(b, "/konto/logout/", {})[0] == 302
    assert person.get(a, "/konto/profil/")[0] == 302


def test_failed_logins_counted_on_one_server_hold_on_the_other(two_servers):
    a, b = two_servers
    owner = UserFactory()
    stranger = Browser()
    for attempt in range(5):
        status, _, page = stranger.log_in(a, owner.email, WRONG)
        assert status == 200 and LIMITED not in page, attempt
    # The sixth try, from the same place, reaches B: refused, the right password too.
    status, _, page = stranger.log_in(b, owner.email, PASSWORD)
    assert status == 200 and LIMITED in page
    assert "sessionid" not in stranger.cookies
    status, _, page = stranger.log_in(a, owner.email, PASSWORD)
    assert status == 200 and LIMITED in page
