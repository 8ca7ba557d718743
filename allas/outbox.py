"""Delivering the outbox: a worker claims a row, sends it and records what happened;
the sweep finds the rows that are due. Writing e-mails into the outbox is
allas.services' part, handing them to workers allas.tasks'."""

import logging
import smtplib
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import Q
from django.utils import timezone

from . import redaction
from .models import OutboundEmail, PeriodicJobRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Delivery:
    SENT = "sent"
    SKIPPED = "skipped"  # already sent, given up, or another worker has it
    RETRY = "retry"  # a transient error; tried again at next_attempt_at
    FAILED = "failed"  # given up

    outcome: str
    error: str = ""
    retry_in: int | None = None


# SMTP replies that mean "not now" even with a 5xx-looking class are rare; pretix retries
# these codes, and so do we. Everything else in 5xx is about this message or recipient.
_TRANSIENT_CODES = {101, 111, 421, 422, 431, 432, 441, 442, 446, 447, 449, 450, 451, 452}


def _is_transient_code(code: int) -> bool:
    return code in _TRANSIENT_CODES or 400 <= code < 500 or code < 0


def is_transient(exc: BaseException) -> bool:
    """True for errors that waiting can cure: the mail server is down, slow or answers
    4xx. False for a permanent refusal (5xx for this recipient or message), an invalid
    address, and programming errors (a bad attachment, a missing template), which will
    fail the same way every time."""
    from celery.exceptions import SoftTimeLimitExceeded

    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(_is_transient_code(code) for code, _msg in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return _is_transient_code(exc.smtp_code)
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return False  # e.g. an address that needs SMTPUTF8 on a server without it
    # smtplib's other errors (SMTPServerDisconnected) and socket errors are OSErrors.
    return isinstance(exc, OSError | SoftTimeLimitExceeded)


def _claim(email_id: int, now) -> bool:
    """Takes the row for this worker for OUTBOX_CLAIM_SECONDS. The conditional update is
    atomic, so of two workers given the same id only one sends."""
    claimable = Q(status__in=[OutboundEmail.Status.QUEUED, OutboundEmail.Status.RETRYING]) | Q(
        status=OutboundEmail.Status.SENDING, claimed_until__lt=now
    )
    return bool(
        OutboundEmail.objects.filter(claimable, pk=email_id).update(
            status=OutboundEmail.Status.SENDING,
            last_attempt_at=now,
            claimed_until=now + timedelta(seconds=settings.OUTBOX_CLAIM_SECONDS),
        )
    )


def _message(row: OutboundEmail, connection) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=row.subject,
        body=row.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[row.to],
        connection=connection,
        headers={
            "Auto-Submitted": "auto-generated",
            "Content-Language": row.language,
            **row.headers,
        },
    )
    if row.body_html:
        message.attach_alternative(row.body_html, "text/html")
    for attachment in row.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    # Building the MIME message here surfaces a bad address or header before any SMTP.
    message.message()
    return message


def _retry_delay(attempts: int, retry_in: int | None) -> int | None:
    """Seconds until the next try after `attempts` failed ones, or None to give up."""
    if attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        return None
    return retry_in if retry_in is not None else settings.OUTBOX_SWEEP_RETRY_AFTER


def outbox_deliver(*, email_id: int, retry_in: int | None = None) -> Delivery:
    """Sends one outbox row. A transient error leaves it "retrying" until next_attempt_at:
    `retry_in` seconds when the calling task will try again itself, else
    OUTBOX_SWEEP_RETRY_AFTER for the sweep; after OUTBOX_MAX_ATTEMPTS it has failed. A
    permanent error fails it at once, with the error kept for staff."""
    now = timezone.now()
    if not _claim(email_id, now):
        return Delivery(Delivery.SKIPPED)
    row = OutboundEmail.objects.get(pk=email_id)
    connection = get_connection(fail_silently=False)
    try:
        message = _message(row, connection)
        # Its secrets are the recipient's: kept only until the message is out. Worked out
        # before sending, so that nothing can fail between sending and recording it.
        scrubbed = redaction.scrubbed(row)
        # Opened here so that send_messages leaves it open: the row is marked sent the
        # moment the server has accepted the message, before the slow QUIT.
        connection.open()
        try:
            connection.send_messages([message])
            OutboundEmail.objects.filter(pk=row.pk).update(
                status=OutboundEmail.Status.SENT,
                attempts=row.attempts + 1,
                sent_at=timezone.now(),
                last_error="",
                claimed_until=None,
                next_attempt_at=None,
                **scrubbed,
            )
        finally:
            try:
                connection.close()
            except Exception:  # the message is out; a failed QUIT changes nothing
                logger.info("Closing the mail connection failed", exc_info=True)
    except Exception as exc:
        return _record_failure(row, exc, now=now, retry_in=retry_in)
    return Delivery(Delivery.SENT)


def _record_failure(row: OutboundEmail, exc: Exception, *, now, retry_in) -> Delivery:
    # The error may quote the message (a refused link, say): its secrets are hidden too.
    error = redaction.redacted_text(f"{type(exc).__name__}: {exc}")[:2000]
    attempts = row.attempts + 1
    delay = _retry_delay(attempts, retry_in) if is_transient(exc) else None
    scrubbed = {}
    if delay is None:
        status, next_attempt_at, outcome = OutboundEmail.Status.FAILED, None, Delivery.FAILED
        # Given up, it is never sent: no one needs its secrets any more.
        scrubbed = redaction.scrubbed(row)
    else:
        status = OutboundEmail.Status.RETRYING
        next_attempt_at = now + timedelta(seconds=delay)
        outcome = Delivery.RETRY
    OutboundEmail.objects.filter(pk=row.pk).update(
        status=status,
        attempts=attempts,
        last_error=error,
        claimed_until=None,
        next_attempt_at=next_attempt_at,
        **scrubbed,
    )
    if is_transient(exc):
        logger.warning("E-mail %s to %s not sent (%s): %s", row.pk, row.to, outcome, error)
    else:
        logger.error("E-mail %s to %s failed for good: %s", row.pk, row.to, error, exc_info=exc)
    return Delivery(outcome, error, retry_in=delay)


def outbox_due_ids(*, limit: int = 500) -> list[int]:
    """Rows the sweep should hand to a worker: queued ones whose task was lost (broker
    down, worker killed), retrying ones whose time has come, and "sending" ones whose
    worker died (their claim has run out)."""
    now = timezone.now()
    due = Q(
        status__in=[OutboundEmail.Status.QUEUED, OutboundEmail.Status.RETRYING],
        next_attempt_at__lte=now,
    ) | Q(status=OutboundEmail.Status.SENDING, claimed_until__lt=now)
    return list(
        OutboundEmail.objects.filter(due)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


# The sweep's entry in PeriodicJobRun, read by /healthz and the outbox admin.
SWEEP_JOB = "outbox-sweep"


def sweep_finished() -> None:
    PeriodicJobRun.objects.update_or_create(job=SWEEP_JOB, defaults={"finished_at": timezone.now()})
