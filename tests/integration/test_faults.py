"""At-least-once, under faults: 300 invitations through a real worker, a Redis and an SMTP
server the test starts itself, while the worker is killed three times, Redis is restarted
and the SMTP server answers "try again later" for 30 seconds. Everyone gets theirs; a
duplicate is possible only where a worker died between the server's acceptance and the
row's update, so there are at most as many as kills."""

import random
import signal
import threading
import time

import pytest
from django import db

from allas import tasks
from allas.models import OutboundEmail
from meetings import services
from tests.integration.conftest import wait_for
from tests.integration.test_meeting_invitations import network_of
from tests.meetings.conftest import make_meeting
from tests.services import RedisServer, use_broker

pytestmark = [pytest.mark.services, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

INVITATIONS = 300
REFUSING_SECONDS = 30


class Sweeper(threading.Thread):
    """celery beat's part: the outbox sweep every second, from this process."""

    def __init__(self):
        super().__init__(daemon=True)
        self.stopping = threading.Event()

    def run(self):
        try:
            while not self.stopping.wait(1):
                tasks.outbox_sweep.apply()
        finally:
            db.connection.close()

    def stop(self):
        self.stopping.set()
        self.join(timeout=30)


def test_300_invitations_survive_killed_workers_a_restarted_redis_and_a_refusing_smtp_server(
    settings, tmp_path, smtp_server, worker_factory
):
    rng = random.Random()
    redis = RedisServer(tmp_path)
    redis.start()
    use_broker(redis.url)
    settings.CELERY_BROKER_URL = redis.url
    # Rows whose task is lost with Redis are found by the sweep after 2 s, not 60.
    settings.OUTBOX_SWEEP_GRACE_SECONDS = 2
    settings.OUTBOX_CLAIM_SECONDS = 3
    env = {
        "OUTBOX_CLAIM_SECONDS": "3",
        "OUTBOX_RETRY_DELAYS": "1,2",
        "OUTBOX_SWEEP_RETRY_AFTER": "2",
        "OUTBOX_MAX_ATTEMPTS": "40",
    }
    network_of(INVITATIONS)
    meeting = make_meeting()
    services.invitations_build(meeting=meeting, by=None)

    def start():
        return worker_factory(redis.url, smtp_server.port, **env)

    def kill(process, when):
        wait_for(when, timeout=120, interval=0.02, what="the moment to kill the worker")
        time.sleep(rng.uniform(0, 0.3))  # anywhere in a delivery
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        return start()

    def delivered():
        return len(smtp_server.messages)

    sweeper = Sweeper()
    worker = start()
    sweeper.start()
    started = time.monotonic()
    try:
        assert services.invitations_send(meeting=meeting, by=None) == INVITATIONS
        first, second = rng.randint(10, 60), rng.randint(70, 110)
        worker = kill(worker, lambda: delivered() >= first)
        wait_for(lambda: delivered() >= second, timeout=120, what=f"{second} deliveries")
        # The SMTP server refuses for 30 s; meanwhile a kill and a Redis restart.
        smtp_server.refuse_rcpt = "451 4.3.0 Try again later"
        refusing_until = time.monotonic() + REFUSING_SECONDS
        refusals = rng.randint(1, 20)
        worker = kill(worker, lambda: smtp_server.refused >= refusals)
        time.sleep(rng.uniform(1, 5))
        redis.stop()
        time.sleep(2)
        redis.start()
        time.sleep(max(0, refusing_until - time.monotonic()))
        smtp_server.refuse_rcpt = None
        third = delivered() + rng.randint(5, 60)
        worker = kill(worker, lambda: delivered() >= third)

        def recipients():
            return {m["To"] for m in smtp_server.messages if "Inbjudan" in str(m["Subject"])}

        wait_for(
            lambda: len(recipients()) == INVITATIONS,
            timeout=240,
            interval=0.2,
            what="every invitation to arrive",
        )
        seconds = time.monotonic() - started
        # Rows left "sending" by a killed worker are sent again once their claim is over:
        # wait for every row to be sent before counting duplicates.
        wait_for(
            lambda: not OutboundEmail.objects.exclude(status="sent").exists(),
            timeout=60,
            what="every row to be marked sent",
        )
    finally:
        sweeper.stop()
        use_broker(None)
        redis.stop()
    invitations = [m["To"] for m in smtp_server.messages if "Inbjudan" in str(m["Subject"])]
    lost = INVITATIONS - len(set(invitations))
    duplicates = len(invitations) - len(set(invitations))
    print(
        f"\nfaults: 3 kills, 1 Redis restart, SMTP refusing {REFUSING_SECONDS} s "
        f"({smtp_server.refused} refusals): {INVITATIONS} invitations, lost {lost}, "
        f"duplicates {duplicates}, all delivered after {seconds:.1f} s"
    )
    assert lost == 0
    assert duplicates <= 3
