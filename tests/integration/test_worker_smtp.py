"""A real Celery worker on the real Redis broker delivers the outbox to a real SMTP server."""

import signal

import pytest

from allas import services
from allas.models import OutboundEmail
from allas.tasks import deliver_email, outbox_sweep
from tests.integration.conftest import use_broker, wait_for

pytestmark = [pytest.mark.services, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def status_of(row):
    return OutboundEmail.objects.values_list("status", flat=True).get(pk=row.pk)


def test_a_worker_delivers_an_outbox_email_to_the_smtp_server(smtp_server, start_worker):
    start_worker()
    row = services.email_queue(
        to="anna@example.se", subject="Välkommen till Allas Vimmerby", body_text="Hej Anna!"
    )
    wait_for(lambda: status_of(row) == "sent", what="the e-mail to be sent")
    [message] = smtp_server.messages
    assert message["To"] == "anna@example.se"
    assert message["Subject"] == "Välkommen till Allas Vimmerby"
    parts = {part.get_content_type() for part in message.walk()}
    assert {"text/plain", "text/html"} <= parts


def test_with_smtp_down_the_row_is_retried_then_left_to_the_sweep_which_sends_it_once(
    smtp_server, start_worker
):
    start_worker()
    smtp_server.stop()
    row = services.email_queue(to="erik@example.se", subject="Påminnelse", body_text="Hej Erik!")

    def retries_used():
        row.refresh_from_db()
        return row.attempts == 3 and row.status == "retrying"

    # The first try and one retry per configured delay (1 s, 1 s); then it waits for
    # the sweep, with the time of its next try.
    wait_for(retries_used, timeout=60, what="the task's retries to be used up")
    assert row.next_attempt_at is not None
    assert "Connection refused" in row.last_error or "ConnectionRefused" in row.last_error
    assert smtp_server.messages == []

    smtp_server.start()
    outbox_sweep.delay()
    wait_for(lambda: status_of(row) == "sent", what="the sweep to deliver the row")
    # Repeated sweeps and a redelivered task find nothing left to do.
    outbox_sweep.delay()
    deliver_email.delay(row.pk)
    deliver_email.delay(row.pk)
    marker = services.email_queue(to="x@example.se", subject="Sist i kön", body_text=".")
    wait_for(lambda: status_of(marker) == "sent", what="the queue to drain")
    assert smtp_server.subjects().count("Påminnelse") == 1
    row.refresh_from_db()
    assert row.attempts == 4 and row.last_error == ""


def test_emails_queued_while_the_broker_is_down_are_sent_by_the_sweep(
    smtp_server, start_worker, broker
):
    # The broker is unreachable when the e-mail is written: the change still succeeds.
    use_broker("redis://127.0.0.1:1/0")
    row = services.email_queue(to="sara@example.se", subject="Inbjudan", body_text="Hej!")
    assert status_of(row) == "queued"
    use_broker(broker)

    start_worker()
    OutboundEmail.objects.filter(pk=row.pk).update(next_attempt_at=row.created_at)
    outbox_sweep.delay()
    wait_for(lambda: status_of(row) == "sent", what="the sweep to deliver the lost row")
    assert smtp_server.subjects() == ["Inbjudan"]


def test_a_worker_killed_after_the_server_took_the_message_causes_one_duplicate_shown_in_admin(
    settings, smtp_server, start_worker, staff_client
):
    """The one way to a duplicate (docs/email.md): the server has the message, the worker
    dies before it hears "250" and marks the row sent. The row stays "sending", shown as
    "may have been sent", and is sent again when its claim runs out."""
    settings.OUTBOX_STALE_SECONDS = 0
    env = {"OUTBOX_CLAIM_SECONDS": "4"}
    worker = start_worker(**env)
    smtp_server.hold_in_data = True
    row = services.email_queue(to="dubbel@example.se", subject="Kanske två", body_text="Hej!")
    assert smtp_server.holding.wait(timeout=60)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    smtp_server.release()
    assert status_of(row) == "sending" and smtp_server.subjects() == ["Kanske två"]
    page = staff_client.get("/admin/allas/outboundemail/").content.decode()
    assert "Kan ha skickats" in page

    start_worker(**env)

    def sent_again():
        outbox_sweep.delay()
        return status_of(row) == "sent"

    wait_for(sent_again, timeout=60, interval=1, what="the row to be sent again")
    assert smtp_server.subjects() == ["Kanske två", "Kanske två"]
