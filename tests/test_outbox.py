"""The e-mail outbox: written with the change that causes it, delivered once, never lost."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from allas import services, tasks
from allas.models import OutboundEmail

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
    assert services.outbox_deliver(email_id=row.pk).outcome == "sent"
    assert services.outbox_deliver(email_id=row.pk).outcome == "skipped"
    assert tasks.deliver_email.apply(args=[row.pk]).get() == "skipped"
    assert len(mail.outbox) == 1


def test_a_row_claimed_by_another_worker_is_not_sent_again():
    row = queue()
    OutboundEmail.objects.filter(pk=row.pk).update(
        status="sending", claimed_until=timezone.now() + timedelta(minutes=5)
    )
    assert services.outbox_deliver(email_id=row.pk).outcome == "skipped"
    assert mail.outbox == []


def test_a_transient_error_with_retries_left_keeps_the_row_waiting(smtp_down):
    row = queue()
    delivery = services.outbox_deliver(email_id=row.pk, retry_in=30)
    row.refresh_from_db()
    assert delivery.outcome == "retry"
    assert (row.status, row.attempts) == ("pending", 1)
    assert "SMTPServerDisconnected" in row.last_error
    assert row.next_attempt_at > timezone.now() + timedelta(seconds=20)


def test_the_last_try_marks_the_row_failed_with_its_error_for_the_sweep(smtp_down, settings):
    settings.OUTBOX_SWEEP_RETRY_AFTER = 900
    row = queue()
    services.outbox_deliver(email_id=row.pk, retry_in=None)
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", 1)
    assert "Connection unexpectedly closed" in row.last_error
    assert row.next_attempt_at > timezone.now() + timedelta(seconds=800)


def test_a_permanent_refusal_is_failed_at_once_and_not_tried_again(monkeypatch):
    def refuse(self, messages):
        raise smtplib.SMTPRecipientsRefused({"anna@example.se": (550, b"No such user")})

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    row = queue()
    services.outbox_deliver(email_id=row.pk, retry_in=30)
    row.refresh_from_db()
    assert row.status == "failed" and row.next_attempt_at is None
    assert row.pk not in services.outbox_due_ids()


def test_after_the_maximum_number_of_attempts_the_sweep_gives_up(smtp_down, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    settings.OUTBOX_SWEEP_RETRY_AFTER = 0
    row = queue()
    services.outbox_deliver(email_id=row.pk)
    assert row.pk in services.outbox_due_ids()
    services.outbox_deliver(email_id=row.pk)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.next_attempt_at) == ("failed", 2, None)
    assert row.pk not in services.outbox_due_ids()


def test_in_process_delivery_does_not_retry_in_a_loop_but_leaves_the_row_to_the_sweep(
    smtp_down,
):
    row = queue()
    assert tasks.deliver_email.apply(args=[row.pk]).get() == "failed"
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("failed", 1)


def test_the_sweep_picks_lost_failed_and_abandoned_rows_but_not_fresh_or_sent_ones():
    now = timezone.now()
    fresh = queue(subject="fresh")
    lost = queue(subject="lost")
    failed_due = queue(subject="failed")
    abandoned = queue(subject="abandoned")
    sent = queue(subject="sent")
    OutboundEmail.objects.filter(pk=lost.pk).update(next_attempt_at=now - timedelta(seconds=1))
    OutboundEmail.objects.filter(pk=failed_due.pk).update(
        status="failed", next_attempt_at=now - timedelta(seconds=1)
    )
    OutboundEmail.objects.filter(pk=abandoned.pk).update(
        status="sending", claimed_until=now - timedelta(seconds=1)
    )
    OutboundEmail.objects.filter(pk=sent.pk).update(status="sent", next_attempt_at=None)
    assert sorted(services.outbox_due_ids()) == sorted([lost.pk, failed_due.pk, abandoned.pk])
    assert fresh.pk not in services.outbox_due_ids()

    assert tasks.outbox_sweep.apply().get() == 3
    assert sorted(m.subject for m in mail.outbox) == ["abandoned", "failed", "lost"]
    assert services.outbox_due_ids() == []


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
    from allas.models import AccessibilityFeedback

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
    assert staff_client.get("/admin/allas/outboundemail/?status__exact=pending").status_code == 200
    page = staff_client.get(f"/admin/allas/outboundemail/{row.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    staff_client.post(f"/admin/allas/outboundemail/{row.pk}/change/", {"subject": "Ändrad"})
    row.refresh_from_db()
    assert row.subject == "Hej"
    assert staff_client.get("/admin/allas/outboundemail/add/").status_code == 403
