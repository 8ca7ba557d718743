"""The e-mail outbox: written with the change that causes it, delivered once, never lost."""

import smtplib
import socket
import threading
import time
from datetime import timedelta

import pytest
from django import db
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import transaction
from django.utils import timezone

from allas import outbox, services, tasks
from allas.models import AccessibilityFeedback, Locality, OutboundEmail, PeriodicJobRun
from tests.services import SmtpServer, free_port, use_broker

pytestmark = pytest.mark.django_db


def queue(**changes):
    return services.email_queue(
        **{
            "to": "anna@example.se",
            "subject": "Hej",
            "body_text": "Rad ett\nhttps://x.se",
            **changes,
        }
    )


@pytest.fixture
def smtp_down(monkeypatch):
    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)


def test_an_email_is_delivered_after_commit_with_text_and_html(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        row = queue()
        assert mail.outbox == []  # nothing leaves before the transaction commits
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == ("sent", 1, "")
    assert row.sent_at is not None
    [sent] = mail.outbox
    assert sent.to == ["anna@example.se"] and sent.subject == "Hej"
    html, mimetype = sent.alternatives[0]
    assert mimetype == "text/html"
    assert '<a href="https://x.se"' in html and "Rad ett<br>" in html


@pytest.mark.django_db(transaction=True)
def test_an_email_whose_change_is_rolled_back_is_never_written_or_sent():
    with pytest.raises(RuntimeError), transaction.atomic():
        queue()
        raise RuntimeError("the change failed")
    assert not OutboundEmail.objects.exists()
    assert mail.outbox == []


def test_delivering_the_same_row_twice_sends_it_once():
    row = queue()
    assert outbox.outbox_deliver(email_id=row.pk).outcome == "sent"
    assert outbox.outbox_deliver(email_id=row.pk).outcome == "skipped"
    assert tasks.deliver_email.apply(args=[row.pk]).get() == "skipped"
    assert len(mail.outbox) == 1


def test_a_row_claimed_by_another_worker_is_not_sent_again():
    row = queue()
    OutboundEmail.objects.filter(pk=row.pk).update(
        status="sending", claimed_until=timezone.now() + timedelta(minutes=5)
    )
    assert outbox.outbox_deliver(email_id=row.pk).outcome == "skipped"
    assert mail.outbox == []


def test_a_transient_error_with_retries_left_keeps_the_row_waiting(smtp_down):
    row = queue()
    delivery = outbox.outbox_deliver(email_id=row.pk, retry_in=30)
    row.refresh_from_db()
    assert delivery.outcome == "retry"
    assert (row.status, row.attempts) == ("retrying", 1)
    assert "SMTPServerDisconnected" in row.last_error
    assert row.next_attempt_at > timezone.now() + timedelta(seconds=20)


def test_after_the_tasks_last_try_the_row_waits_for_the_sweep_with_its_error(smtp_down, settings):
    settings.OUTBOX_SWEEP_RETRY_AFTER = 900
    row = queue()
    outbox.outbox_deliver(email_id=row.pk, retry_in=None)
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("retrying", 1)
    assert "Connection unexpectedly closed" in row.last_error
    assert row.next_attempt_at > timezone.now() + timedelta(seconds=800)


def test_a_permanent_refusal_is_failed_at_once_and_not_tried_again(monkeypatch):
    def refuse(self, messages):
        raise smtplib.SMTPRecipientsRefused({"anna@example.se": (550, b"No such user")})

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    row = queue()
    outbox.outbox_deliver(email_id=row.pk, retry_in=30)
    row.refresh_from_db()
    assert row.status == "failed" and row.next_attempt_at is None
    assert row.pk not in outbox.outbox_due_ids()


def test_after_the_maximum_number_of_attempts_the_sweep_gives_up(smtp_down, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    settings.OUTBOX_SWEEP_RETRY_AFTER = 0
    row = queue()
    outbox.outbox_deliver(email_id=row.pk)
    assert row.pk in outbox.outbox_due_ids()
    outbox.outbox_deliver(email_id=row.pk)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.next_attempt_at) == ("failed", 2, None)
    assert row.pk not in outbox.outbox_due_ids()


def test_in_process_delivery_does_not_retry_in_a_loop_but_leaves_the_row_to_the_sweep(
    smtp_down,
):
    row = queue()
    assert tasks.deliver_email.apply(args=[row.pk]).get() == "retry"
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("retrying", 1)


def test_the_sweep_picks_lost_failed_and_abandoned_rows_but_not_fresh_or_sent_ones():
    now = timezone.now()
    fresh = queue(subject="fresh")
    lost = queue(subject="lost")
    failed_due = queue(subject="failed")
    abandoned = queue(subject="abandoned")
    sent = queue(subject="sent")
    OutboundEmail.objects.filter(pk=lost.pk).update(next_attempt_at=now - timedelta(seconds=1))
    OutboundEmail.objects.filter(pk=failed_due.pk).update(
        status="retrying", next_attempt_at=now - timedelta(seconds=1)
    )
    OutboundEmail.objects.filter(pk=abandoned.pk).update(
        status="sending", claimed_until=now - timedelta(seconds=1)
    )
    OutboundEmail.objects.filter(pk=sent.pk).update(status="sent", next_attempt_at=None)
    assert sorted(outbox.outbox_due_ids()) == sorted([lost.pk, failed_due.pk, abandoned.pk])
    assert fresh.pk not in outbox.outbox_due_ids()

    assert tasks.outbox_sweep.apply().get() == 3
    assert sorted(m.subject for m in mail.outbox) == ["abandoned", "failed", "lost"]
    assert outbox.outbox_due_ids() == []


def test_a_dedup_key_makes_an_email_exist_once():
    first = queue(dedup_key="reminder:1:rsvp")
    second = queue(dedup_key="reminder:1:rsvp", subject="Another")
    assert first.pk == second.pk
    assert OutboundEmail.objects.count() == 1


def test_attachments_are_delivered(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queue(
            attachments=[
                {"filename": "mote.ics", "content": "BEGIN:VCALENDAR", "mimetype": "text/calendar"}
            ]
        )
    [sent] = mail.outbox
    assert sent.attachments[0][0] == "mote.ics"


def test_templated_emails_are_rendered_in_the_recipients_language():
    feedback = AccessibilityFeedback.objects.create(kind="other", message="Hej")
    sv = services.email_send_templated(
        to="a@example.se",
        template="accessibility_feedback",
        context={"feedback": feedback},
        language="sv",
    )
    en = services.email_send_templated(
        to="b@example.se",
        template="accessibility_feedback",
        context={"feedback": feedback},
        language="en",
    )
    assert "Återkoppling om tillgänglighet" in sv.subject
    assert "Accessibility feedback" in en.subject
    assert sv.body_html and sv.body_text and en.body_html


def test_the_outbox_is_read_only_in_the_admin(staff_client):
    row = queue()
    assert staff_client.get("/admin/allas/outboundemail/").status_code == 200
    assert staff_client.get("/admin/allas/outboundemail/?status__exact=queued").status_code == 200
    page = staff_client.get(f"/admin/allas/outboundemail/{row.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    staff_client.post(f"/admin/allas/outboundemail/{row.pk}/change/", {"subject": "Ändrad"})
    row.refresh_from_db()
    assert row.subject == "Hej"
    assert staff_client.get("/admin/allas/outboundemail/add/").status_code == 403


# -- what caused it, extra headers, every row handed out -------------------------------


def test_extra_headers_are_sent_and_the_cause_is_a_real_relation(
    django_capture_on_commit_callbacks,
):
    storebro = Locality.objects.get(slug="storebro")
    with django_capture_on_commit_callbacks(execute=True):
        row = queue(
            headers={"List-Unsubscribe": "<https://allas.example/avsluta/abc/>"}, cause=storebro
        )
    row = OutboundEmail.objects.get(pk=row.pk)
    assert row.cause == storebro
    assert OutboundEmail.objects.filter(
        cause_type=ContentType.objects.get_for_model(Locality), cause_id=storebro.pk
    ).exists()
    [sent] = mail.outbox
    assert sent.extra_headers["List-Unsubscribe"] == "<https://allas.example/avsluta/abc/>"
    assert sent.message()["List-Unsubscribe"] == "<https://allas.example/avsluta/abc/>"


def test_templated_emails_take_headers_and_a_cause():
    feedback = AccessibilityFeedback.objects.create(kind="other", message="Hej")
    row = services.email_send_templated(
        to="a@example.se",
        template="accessibility_feedback",
        context={"feedback": feedback},
        language="sv",
        headers={"X-Allas": "1"},
        cause=feedback,
    )
    row.refresh_from_db()
    assert row.cause == feedback and row.headers == {"X-Allas": "1"}


def test_queueing_many_hands_every_row_to_a_worker_with_or_without_a_dedup_key(
    django_capture_on_commit_callbacks,
):
    storebro = Locality.objects.get(slug="storebro")
    rows = [
        {"to": f"{n}@example.se", "subject": f"Nr {n}", "body_text": ".", "body_html": ""}
        for n in range(3)
    ]
    rows[0]["dedup_key"] = "many:0"
    rows[1]["cause"] = storebro
    rows[2]["headers"] = {"X-Allas": "2"}
    with django_capture_on_commit_callbacks(execute=True):
        ids = services.email_queue_many(rows)
    assert len(ids) == 3
    assert sorted(m.subject for m in mail.outbox) == ["Nr 0", "Nr 1", "Nr 2"]
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {"sent"}
    assert OutboundEmail.objects.get(subject="Nr 1").cause == storebro
    # Queued again: the keyed row exists and is sent, so nothing new goes out for it.
    with django_capture_on_commit_callbacks(execute=True):
        services.email_queue_many(rows[:1])
    assert len(mail.outbox) == 3


# -- what an error means -----------------------------------------------------------------


@pytest.fixture
def smtp(settings):
    """A real SMTP server on loopback that the portal delivers to."""
    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 2
    yield server
    server.stop()


@pytest.mark.parametrize(
    ("refuse_rcpt", "refuse_data", "status"),
    [
        ("451 4.7.1 Greylisted, try again later", None, "retrying"),
        ("452 4.2.2 Mailbox full", None, "retrying"),
        ("421 4.3.2 Service shutting down", None, "retrying"),
        ("550 5.1.1 No such user", None, "failed"),
        ("553 5.1.3 Bad recipient address syntax", None, "failed"),
        (None, "451 4.3.0 Local error, try again", "retrying"),
        (None, "554 5.7.1 Message rejected as spam", "failed"),
    ],
)
def test_smtp_replies_are_read_by_their_code(smtp, refuse_rcpt, refuse_data, status):
    smtp.refuse_rcpt, smtp.refuse_data = refuse_rcpt, refuse_data
    row = queue()
    outbox.outbox_deliver(email_id=row.pk, retry_in=30)
    row.refresh_from_db()
    assert (row.status, row.attempts) == (status, 1)
    assert (refuse_rcpt or refuse_data).split()[0] in row.last_error
    assert (row.next_attempt_at is None) == (status == "failed")
    assert (row.pk in outbox.outbox_due_ids()) is False  # retrying: not before its time
    assert smtp.messages == []


def test_a_mail_server_that_is_down_or_silent_is_tried_again(settings, smtp):
    smtp.stop()  # connection refused
    down = queue(subject="down")
    outbox.outbox_deliver(email_id=down.pk, retry_in=30)
    with socket.socket() as silent:  # accepts, never says a word: a timeout
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        settings.EMAIL_PORT = silent.getsockname()[1]
        settings.EMAIL_TIMEOUT = 0.5
        slow = queue(subject="slow")
        outbox.outbox_deliver(email_id=slow.pk, retry_in=30)
    down.refresh_from_db()
    slow.refresh_from_db()
    assert down.status == "retrying" and "ConnectionRefused" in down.last_error
    assert slow.status == "retrying" and "timed out" in slow.last_error


def test_a_programming_error_fails_at_once_with_the_error_kept(smtp):
    row = queue(attachments=[{"filename": "mote.ics", "content": "BEGIN:VCALENDAR"}])
    delivery = outbox.outbox_deliver(email_id=row.pk, retry_in=30)
    row.refresh_from_db()
    assert delivery.outcome == "failed"
    assert (row.status, row.attempts, row.next_attempt_at) == ("failed", 1, None)
    assert "KeyError" in row.last_error and "mimetype" in row.last_error
    assert smtp.messages == []


def test_an_invalid_address_fails_at_once(smtp):
    row = queue(to="anna@@example.se")
    outbox.outbox_deliver(email_id=row.pk, retry_in=30)
    row.refresh_from_db()
    assert (row.status, row.next_attempt_at) == ("failed", None)
    assert "Invalid address" in row.last_error


def test_the_row_is_marked_sent_as_soon_as_the_server_accepts_it(smtp, monkeypatch):
    """Nothing between the server's "250 OK" and the row's update: not even the QUIT."""
    from django.core.mail.backends.smtp import EmailBackend

    status_at_close = []
    close = EmailBackend.close

    def spy(self):
        status_at_close.append(OutboundEmail.objects.values_list("status", flat=True).get())
        close(self)

    monkeypatch.setattr(EmailBackend, "close", spy)
    row = queue()
    assert outbox.outbox_deliver(email_id=row.pk).outcome == "sent"
    assert status_at_close and set(status_at_close) == {"sent"}
    assert len(smtp.messages) == 1


# -- the broker down ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_request_that_queues_an_email_answers_at_once_when_the_broker_hangs(client, caplog):
    """A Redis that takes connections and never answers (a hung server, a dead NAT): the
    change is saved, the e-mail stays queued for the sweep, and the page answers."""
    with socket.socket() as hung:
        hung.bind(("127.0.0.1", 0))
        hung.listen(64)
        use_broker(f"redis://127.0.0.1:{hung.getsockname()[1]}/0")
        result = {}

        def post():
            started = time.monotonic()
            try:
                result["response"] = client.post(
                    "/tillganglighet/", {"kind": "other", "message": "Knappen syns inte."}
                )
            finally:
                result["seconds"] = time.monotonic() - started
                db.connection.close()

        try:
            thread = threading.Thread(target=post, daemon=True)
            thread.start()
            thread.join(timeout=20)
            assert not thread.is_alive(), "the request hangs on the broker"
        finally:
            use_broker(None)
    assert result["response"].status_code == 302
    assert result["seconds"] < 10
    row = OutboundEmail.objects.get(kind="accessibility.feedback")
    assert row.status == "queued"
    assert "the sweep will send them" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_a_refused_broker_connection_leaves_the_rows_for_the_sweep(caplog):
    use_broker(f"redis://127.0.0.1:{free_port()}/0")
    try:
        with transaction.atomic():
            single = queue()
            many = services.email_queue_many(
                [{"to": "b@example.se", "subject": "B", "body_text": ".", "body_html": ""}]
            )
    finally:
        use_broker(None)
    assert OutboundEmail.objects.get(pk=single.pk).status == "queued"
    assert OutboundEmail.objects.get(pk=many[0]).status == "queued"
    assert caplog.text.count("the sweep will send them") == 2


# -- "may have been sent" ------------------------------------------------------------------


def test_a_row_left_sending_by_a_dead_worker_may_have_been_sent_until_its_claim_ends(
    staff_client, settings
):
    settings.OUTBOX_STALE_SECONDS = 120
    now = timezone.now()
    busy, stale, expired = queue(subject="busy"), queue(subject="stale"), queue(subject="old")
    OutboundEmail.objects.filter(pk=busy.pk).update(
        status="sending", last_attempt_at=now, claimed_until=now + timedelta(minutes=5)
    )
    OutboundEmail.objects.filter(pk=stale.pk).update(
        status="sending",
        last_attempt_at=now - timedelta(minutes=3),
        claimed_until=now + timedelta(minutes=2),
    )
    OutboundEmail.objects.filter(pk=expired.pk).update(
        status="sending",
        last_attempt_at=now - timedelta(minutes=6),
        claimed_until=now - timedelta(minutes=1),
    )
    rows = {r.subject: r for r in OutboundEmail.objects.all()}
    assert [s for s, r in rows.items() if r.may_have_been_sent(now)] == ["stale"]
    assert outbox.outbox_due_ids() == [expired.pk]  # sent again once the claim has ended

    page = staff_client.get("/admin/allas/outboundemail/").content.decode()
    assert page.count("Kan ha skickats") == 1
    detail = staff_client.get(f"/admin/allas/outboundemail/{stale.pk}/change/")
    assert "Kan ha skickats" in detail.content.decode()


def test_the_admin_says_when_a_retry_is_due_and_why_a_row_failed(staff_client):
    retrying, failed = queue(subject="later"), queue(subject="never")
    OutboundEmail.objects.filter(pk=retrying.pk).update(
        status="retrying",
        next_attempt_at=timezone.now() + timedelta(hours=1),
        last_error="SMTPRecipientsRefused: 451",
    )
    OutboundEmail.objects.filter(pk=failed.pk).update(
        status="failed", last_error="SMTPRecipientsRefused: 550 No such user"
    )
    page = staff_client.get("/admin/allas/outboundemail/").content.decode()
    assert "Försöker igen" in page and "Misslyckades" in page
    assert "550 No such user" in page
    assert staff_client.get("/admin/allas/outboundemail/?status__exact=retrying").status_code == 200


# -- the periodic jobs are visible ----------------------------------------------------------


def test_healthz_says_whether_the_sweep_has_run_recently(client, settings):
    assert client.get("/healthz").json()["periodic"] == "never"
    tasks.outbox_sweep.apply()
    assert client.get("/healthz").json()["periodic"] == "ok"
    interval = settings.CELERY_BEAT_SCHEDULE["outbox-sweep"]["schedule"]
    PeriodicJobRun.objects.update(finished_at=timezone.now() - timedelta(seconds=3 * interval + 5))
    body = client.get("/healthz")
    assert body.status_code == 200 and body.json()["periodic"] == "late"


def test_the_outbox_list_shows_when_the_sweep_last_ran(staff_client):
    page = staff_client.get("/admin/allas/outboundemail/").content.decode()
    assert "Den regelbundna kontrollen av väntande e-post har aldrig körts" in page
    tasks.outbox_sweep.apply()
    page = staff_client.get("/admin/allas/outboundemail/").content.decode()
    assert "Den regelbundna kontrollen av väntande e-post kördes senast" in page
    PeriodicJobRun.objects.update(finished_at=timezone.now() - timedelta(hours=2))
    page = staff_client.get("/admin/allas/outboundemail/").content.decode()
    assert "Det är försenat" in page


def test_the_outbox_list_has_a_constant_number_of_queries(
    staff_client, django_assert_max_num_queries
):
    storebro = Locality.objects.get(slug="storebro")
    for n in range(3):
        queue(subject=f"s{n}", cause=storebro)
    # session, user, (second factor), sweep time, count, rows with their cause types,
    # filter choices (kinds), total count: the same for 3 rows as for 30.
    with django_assert_max_num_queries(12) as small:
        assert staff_client.get("/admin/allas/outboundemail/").status_code == 200
    for n in range(30):
        queue(subject=f"l{n}", cause=storebro, kind=f"k{n % 3}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert staff_client.get("/admin/allas/outboundemail/").status_code == 200


# -- links in e-mails -----------------------------------------------------------------------


def test_links_in_emails_use_site_url_and_the_row_links_to_its_cause(
    settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://allas.example:8443/"
    with django_capture_on_commit_callbacks(execute=True):
        feedback = services.accessibility_feedback_create(kind="other", message="Knappen")
    [sent] = mail.outbox
    link = f"https://allas.example:8443/admin/allas/accessibilityfeedback/{feedback.pk}/change/"
    assert link in sent.body and f'href="{link}"' in sent.alternatives[0][0]
    assert OutboundEmail.objects.get(kind="accessibility.feedback").cause == feedback


@pytest.mark.parametrize(
    ("site_url", "allowed_hosts", "warnings"),
    [
        ("https://allas.vimmerby.se", ["allas.vimmerby.se"], []),
        ("https://allas.vimmerby.se", [".vimmerby.se"], []),
        ("http://allas.vimmerby.se", ["allas.vimmerby.se"], ["allas.W001"]),
        ("https://allas.vimmerby.se", ["localhost"], ["allas.W002"]),
        ("http://127.0.0.1:8000", ["allas.vimmerby.se"], ["allas.W001", "allas.W002"]),
    ],
)
def test_without_debug_a_system_check_warns_about_a_site_url_that_will_not_work(
    settings, site_url, allowed_hosts, warnings
):
    from django.core.checks import run_checks

    settings.DEBUG = False
    settings.SITE_URL, settings.ALLOWED_HOSTS = site_url, allowed_hosts
    found = [m.id for m in run_checks() if m.id.startswith("allas.")]
    assert found == warnings
    settings.DEBUG = True
    assert [m.id for m in run_checks() if m.id.startswith("allas.")] == []
