"""Writes of the core app: the e-mail outbox and accessibility feedback."""

import logging
import smtplib
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import linebreaks, urlize
from django.utils.safestring import mark_safe

from .models import AccessibilityFeedback, OutboundEmail, PeriodicJobRun
from .page_cache import content_changed

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    """A link for an e-mail, which is written without a request to take the host from."""
    return settings.SITE_URL.rstrip("/") + path


def _cause_fields(cause) -> dict:
    if cause is None:
        return {}
    return {"cause_type": ContentType.objects.get_for_model(cause), "cause_id": cause.pk}


def _outbox_row(
    *,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    language: str | None = None,
    kind: str = "",
    dedup_key: str | None = None,
    attachments: list[dict] | None = None,
    headers: dict | None = None,
    cause=None,
    now,
) -> OutboundEmail:
    if not body_html:
        body_html = render_to_string(
            "email/base.html",
            # urlize escapes the text; linebreaks only adds <p> and <br>.
            {"subject": subject, "body": mark_safe(linebreaks(urlize(body_text, autoescape=True)))},  # noqa: S308
        )
    return OutboundEmail(
        to=to,
        subject=" ".join(subject.split()),
        body_text=body_text,
        body_html=body_html,
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
        kind=kind,
        dedup_key=dedup_key,
        attachments=attachments or [],
        headers=headers or {},
        **_cause_fields(cause),
        created_at=now,
        next_attempt_at=now + timedelta(seconds=settings.OUTBOX_SWEEP_GRACE_SECONDS),
    )


def email_queue(
    *,
    to: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    language: str | None = None,
    kind: str = "",
    dedup_key: str | None = None,
    attachments: list[dict] | None = None,
    headers: dict | None = None,
    cause=None,
) -> OutboundEmail:
    """Writes one e-mail to the outbox in the caller's transaction; it is handed to a
    worker after commit. `headers` are added to the message as they are; `cause` is the
    object the e-mail is about (an invitation, a status change). With a dedup_key that
    already exists, nothing new is written and the existing row is returned."""
    row = _outbox_row(
        to=to,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        language=language,
        kind=kind,
        dedup_key=dedup_key,
        attachments=attachments,
        headers=headers,
        cause=cause,
        now=timezone.now(),
    )
    if dedup_key is None:
        row.save()
    else:
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            return OutboundEmail.objects.get(dedup_key=dedup_key)
    _hand_to_workers_after_commit([row.pk])
    return row


def email_send_templated(
    *,
    to: str,
    template: str,
    context: dict,
    language: str,
    kind: str = "",
    dedup_key: str | None = None,
    attachments: list[dict] | None = None,
    headers: dict | None = None,
    cause=None,
) -> OutboundEmail:
    """Renders templates/email/<template>_subject.txt, .txt and .html in the recipient's
    language and queues the result."""
    return email_queue(
        to=to,
        **render_email(template=template, context=context, language=language),
        kind=kind or template,
        dedup_key=dedup_key,
        attachments=attachments,
        headers=headers,
        cause=cause,
    )


def email_queue_many(rows: list[dict]) -> list[int]:
    """Writes many e-mails to the outbox at once (keys as for email_queue, rendered
    already, with "cause" and "headers" optional). Rows whose dedup_key exists are not
    written again. Returns the ids of the rows waiting to be sent, new ones and earlier
    queued ones with the same keys; all of them are handed to workers after commit."""
    now = timezone.now()
    objects = [_outbox_row(**row, now=now) for row in rows]
    plain = [o for o in objects if not o.dedup_key]
    keyed = [o for o in objects if o.dedup_key]
    # Without ignore_conflicts the database returns the new ids (PostgreSQL, SQLite).
    ids = [o.pk for o in OutboundEmail.objects.bulk_create(plain, batch_size=500)]
    if keyed:
        OutboundEmail.objects.bulk_create(keyed, ignore_conflicts=True, batch_size=500)
        ids += OutboundEmail.objects.filter(
            dedup_key__in=[o.dedup_key for o in keyed], status=OutboundEmail.Status.QUEUED
        ).values_list("pk", flat=True)
    _hand_to_workers_after_commit(ids)
    return ids


def _hand_to_workers_after_commit(ids: list[int]) -> None:
    if ids:
        transaction.on_commit(lambda: outbox_hand_to_workers(ids=ids))


def outbox_hand_to_workers(*, ids: list[int]) -> int:
    """Gives each row to a worker, over one broker connection. Never raises: when the
    broker is down (or the in-process delivery breaks), the rows stay in the outbox and the
    sweep hands them out later. Returns how many were handed out."""
    from .celery import app
    from .tasks import deliver_email

    done = 0
    try:
        if app.conf.task_always_eager:
            for email_id in ids:
                deliver_email.delay(email_id)
                done += 1
        else:
            with app.producer_or_acquire() as producer:
                for email_id in ids:
                    deliver_email.apply_async((email_id,), producer=producer)
                    done += 1
    except Exception:
        logger.warning(
            "Could not hand %d of %d e-mails to a worker; the sweep will send them",
            len(ids) - done,
            len(ids),
            exc_info=True,
        )
    return done


def render_email(*, template: str, context: dict, language: str) -> dict:
    """Subject, text and HTML of templates/email/<template>*, in the given language."""
    with translation.override(language):
        context = {"MUNICIPALITY": settings.MUNICIPALITY, **context}
        return {
            # Subject and text are plain text: the "text" engine does not escape them.
            "subject": render_to_string(f"email/{template}_subject.txt", context, using="text"),
            "body_text": render_to_string(f"email/{template}.txt", context, using="text"),
            "body_html": render_to_string(f"email/{template}.html", context),
            "language": language,
        }


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
    error = f"{type(exc).__name__}: {exc}"[:2000]
    attempts = row.attempts + 1
    delay = _retry_delay(attempts, retry_in) if is_transient(exc) else None
    if delay is None:
        status, next_attempt_at, outcome = OutboundEmail.Status.FAILED, None, Delivery.FAILED
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


def outbox_sweep() -> int:
    """The periodic job: hands every due row to a worker, then notes when it finished."""
    ids = outbox_due_ids()
    if ids:
        outbox_hand_to_workers(ids=ids)
    PeriodicJobRun.objects.update_or_create(job=SWEEP_JOB, defaults={"finished_at": timezone.now()})
    return len(ids)


def periodic_status(now=None) -> dict:
    """ "ok", "late" (the sweep last finished more than three intervals ago) or "never",
    with the time it last finished."""
    now = now or timezone.now()
    finished_at = (
        PeriodicJobRun.objects.filter(job=SWEEP_JOB).values_list("finished_at", flat=True).first()
    )
    if finished_at is None:
        return {"status": "never", "finished_at": None}
    interval = settings.CELERY_BEAT_SCHEDULE[SWEEP_JOB]["schedule"]
    late = now - finished_at > timedelta(seconds=3 * float(interval))
    return {"status": "late" if late else "ok", "finished_at": finished_at}


def _personal_data_modules():
    return [import_module(name) for name in settings.PERSONAL_DATA_MODULES]


def personal_data_export(*, user) -> dict:
    """Everything the portal keeps about a person: the register extract (registerutdrag)."""
    data = {
        "exported": timezone.now(),
        "profile": {
            "email": user.email,
            "display_name": user.display_name,
            "language": user.language,
            "home_ort": user.home_locality.name if user.home_locality_id else None,
            "age_band": user.age_band,
            "joined": user.date_joined,
            "last_login": user.last_login,
        },
        "emails_sent_to_you": list(
            OutboundEmail.objects.filter(to__iexact=user.email)
            .order_by("created_at")
            .values("created_at", "subject", "status")
        ),
    }
    for module in _personal_data_modules():
        data.update(module.export(user))
    return data


class AccountError(Exception):
    """The account cannot be deleted now; the message says why."""


@transaction.atomic
def account_delete(*, user) -> None:
    """Removes the profile and personal data. Proposals and comments stay as public
    records, shown as written by "Tidigare användare"."""
    modules = _personal_data_modules()
    for module in modules:
        reason = module.refuse_erase(user)
        if reason:
            raise AccountError(reason)
    for module in modules:
        module.erase(user)
    OutboundEmail.objects.filter(to__iexact=user.email).delete()
    AccessibilityFeedback.objects.filter(email__iexact=user.email).update(email="", name="")
    user.delete()
    content_changed()  # their proposals and comments now read "Tidigare användare"


def accessibility_feedback_create(
    *, kind: str, message: str, page: str = "", name: str = "", email: str = ""
) -> AccessibilityFeedback:
    feedback = AccessibilityFeedback.objects.create(
        kind=kind, message=message, page=page, name=name, email=email
    )
    if settings.MUNICIPALITY.get("email"):
        link = absolute_url(reverse("admin:allas_accessibilityfeedback_change", args=[feedback.pk]))
        email_send_templated(
            to=settings.MUNICIPALITY["email"],
            template="accessibility_feedback",
            context={"feedback": feedback, "link": link},
            language=settings.LANGUAGE_CODE,
            kind="accessibility.feedback",
            cause=feedback,
        )
    return feedback
