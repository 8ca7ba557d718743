"""Degraded, not down: with the configured Redis stopped (cache and broker both), every
public page, logging in, signing up, proposing, supporting and commenting answer as usual;
the e-mails they cause wait in the outbox for the sweep, and /healthz says what is down.
A change made while Redis was down shows at once when it is back, though it comes back
with the pages it held before.

The Redis here is a server this test starts on its own port and stops; the machine's Redis
is not touched."""

import shutil
import signal
import subprocess
import time

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from allas import cache as degrading_cache
from allas.models import OutboundEmail
from proposals import services
from proposals.models import Comment, Proposal, Support
from tests.factories import PASSWORD, UserFactory
from tests.proposals.conftest import make_proposal
from tests.services import free_port, use_broker, wait_for

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


class RedisServer:
    """A redis-server of the test's own on a free port. With `persist`, stopping it saves
    its data to its directory and starting it again loads it, as a production Redis with
    snapshots does: what was cached before an outage is back after it."""

    def __init__(self, directory, persist=False):
        self.port = free_port()
        self.directory = directory
        self.persist = persist
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}"

    def start(self):
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is not installed")
        save = ["--save", "3600 1"] if self.persist else ["--save", ""]
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", *save]
            + ["--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
        )
        import redis

        wait_for(lambda: self._ping(redis), timeout=10, what="redis-server to start")

    def _ping(self, redis):
        try:
            return redis.Redis.from_url(self.url, socket_connect_timeout=0.2).ping()
        except redis.exceptions.ConnectionError:
            return False

    def stop(self):
        if self.process is not None:
            self.resume()
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def hang(self):
        """The process stays, holds its connections and answers nothing (SIGSTOP)."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        if self.process is not None:
            self.process.send_signal(signal.SIGCONT)

    def keys(self, pattern="*") -> list[bytes]:
        import redis

        client = redis.Redis.from_url(self.url, socket_timeout=5)
        try:
            return list(client.scan_iter(match=pattern, count=1000))
        finally:
            client.close()


@pytest.fixture
def redis_server(tmp_path, settings):
    server = RedisServer(tmp_path)
    server.start()
    settings.REDIS_URL = server.url + "/0"
    settings.CACHES = {
        "default": {
            "BACKEND": "allas.cache.DegradingRedisCache",
            "LOCATION": server.url + "/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.CELERY_BROKER_URL = server.url + "/1"
    # The visitors' page cache on, as in production with Redis.
    settings.PAGE_CACHE_SECONDS = 600
    use_broker(server.url + "/1")
    yield server
    use_broker(None)
    server.stop()
    caches["default"].close()


def test_with_redis_stopped_every_page_and_write_answers_and_mail_waits(client, redis_server):
    author = UserFactory(display_name="Författare")
    proposal = make_proposal(author)
    # Warm: the cache is in use while Redis runs, the visitors' page cache included.
    assert client.get("/forslag/").status_code == 200
    visitor = Client()
    assert proposal.title in visitor.get("/forslag/").content.decode()
    assert client.get("/healthz").json()["cache"] == "ok"

    redis_server.stop()

    health = client.get("/healthz")
    assert health.json()["cache"] == "error"
    assert health.json()["broker"] == "error"
    assert health.json()["database"] == "ok"
    for path in ("/", "/orter/", "/orter/storebro/", "/forslag/", f"/forslag/{proposal.pk}/"):
        assert client.get(path).status_code == 200, path
    for path in (
        "/mal/",
        "/mal/leva/",
        "/natverksmoten/",
        "/forslag/atom/",
        "/sok/?q=cykel",
        "/forslag/?q=cykel",
        "/tillganglighet/",
        "/personuppgifter/",
        "/konto/login/",
        "/konto/signup/",
        "/konto/password/reset/",
    ):
        assert client.get(path).status_code == 200, path

    # Logging in with a wrong and then the right password: rate limits fail open.
    wrong = client.post("/konto/login/", {"login": author.email, "password": "fel-fel-fel-1"})
    assert wrong.status_code == 200
    login = client.post("/konto/login/", {"login": author.email, "password": PASSWORD})
    assert login.status_code == 302

    # Proposing, supporting and commenting.
    response = client.post(
        "/forslag/nytt/",
        {"locality": proposal.locality_id, "title": "Ny lekplats", "body": "Vid skolan."},
    )
    assert response.status_code == 302
    new = Proposal.objects.get(title="Ny lekplats")
    assert client.get(response["Location"]).status_code == 200

    supporter = UserFactory()
    client.force_login(supporter)
    assert client.post(f"/forslag/{proposal.pk}/stod/").status_code == 302
    assert Support.objects.filter(user=supporter, proposal=proposal).exists()
    commented = client.post(f"/forslag/{new.pk}/kommentera/", {"body": "Bra idé!"})
    assert commented.status_code == 302
    assert Comment.objects.filter(proposal=new, body="Bra idé!").exists()
    assert client.get(commented["Location"]).status_code == 200
    client.logout()
    # A visitor sees the proposal made while Redis was down: no stored page is served.
    assert "Ny lekplats" in visitor.get("/forslag/").content.decode()

    # Signing up: the verification e-mail is written and waits for the sweep.
    signup = client.post(
        "/konto/signup/",
        {
            "email": "ny.boende@example.se",
            "display_name": "Ny Boende",
            "password1": "Ett-bra-losenord-2026",
            "password2": "Ett-bra-losenord-2026",
        },
    )
    assert signup.status_code == 302
    waiting = OutboundEmail.objects.get(to="ny.boende@example.se")
    assert waiting.status != OutboundEmail.Status.SENT
    assert waiting.sent_at is None


def cache_pages_in(server, settings, monkeypatch):
    """The portal's cache and visitors' page cache in this Redis, as in production."""
    settings.CACHES = {
        "default": {
            "BACKEND": "allas.cache.DegradingRedisCache",
            "LOCATION": server.url + "/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.PAGE_CACHE_SECONDS = 600
    settings.CELERY_BROKER_URL = ""
    # A short pause after a failure, so that the test sees Redis asked again soon.
    monkeypatch.setattr(degrading_cache, "PAUSE_SECONDS", 0.3, raising=False)
    use_broker(None)


@pytest.fixture
def stopped_redis(tmp_path, settings, monkeypatch):
    """A Redis that keeps its data over a restart, as the portal's page cache."""
    server = RedisServer(tmp_path, persist=True)
    server.start()
    cache_pages_in(server, settings, monkeypatch)
    yield server
    server.stop()
    caches["default"].close()


def visitor_page(path):
    with CaptureQueriesContext(connection) as ctx:
        response = Client().get(path)
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


def test_a_proposal_removed_while_redis_was_stopped_is_not_served_after_it_is_back(
    stopped_redis, coordinator
):
    author = UserFactory(display_name="Författare")
    proposal = make_proposal(author, title="Belysning längs cykelvägen")
    pages = ["/forslag/", f"/forslag/{proposal.pk}/", "/orter/storebro/"]
    for path in pages:
        visitor_page(path)
        content, queries = visitor_page(path)
        assert "Belysning" in content and queries == 0  # stored

    stopped_redis.stop()  # saves what it holds, as it would on a restart
    services.moderate(by=coordinator, decision="remove", reason="Spam", proposal=proposal)
    assert "Belysning" not in visitor_page("/forslag/")[0]
    stopped_redis.start()  # the same port, the old version and pages loaded again
    assert stopped_redis.keys("*visitor-page*")

    for attempt in range(3):
        assert "Belysning" not in visitor_page("/forslag/")[0], attempt
        assert "Belysning" not in visitor_page("/orter/storebro/")[0], attempt
        time.sleep(0.4)  # past the pause: Redis is asked again
    # The page cache works again, with the new content.
    visitor_page("/forslag/")
    content, queries = visitor_page("/forslag/")
    assert "Belysning" not in content and queries == 0
