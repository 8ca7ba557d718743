"""Writes of the core app: the e-mail outbox and accessibility feedback."""

import logging
import smtplib
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import linebreaks, urlize
from django.utils.safestring import mark_safe

from .models import AccessibilityFeedback, OutboundEmail

logger = logging.getLogger(__name__)

# Seconds a new row waits before the sweep may pick it up; its own task normally sends it
# long before that.
SWEEP_GRACE_SECONDS = 60


def absolute_url(path: str) -> str:
    """A link for an e-mail, which is written without a request to take the host from."""
    return settings.SITE_URL.rstrip("/") + path


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
) -> OutboundEmail:
    """Writes one e-mail to the outbox in the caller's transaction; it is delivered after
    commit. With a dedup_key that already exists, nothing new is written and the existing
    row is returned."""
    now = timezone.now()
    if not body_html:
        body_html = render_to_string(
            "email/base.html",
            # urlize escapes the text; linebreaks only adds <p> and <br>.
            {"subject": subject, "body": mark_safe(linebreaks(urlize(body_text, autoescape=True)))},  # noqa: S308
        )
    row = OutboundEmail(
        to=to,
        subject=" ".join(subject.split()),
        body_text=body_text,
        body_html=body_html,
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
        kind=kind,
        dedup_key=dedup_key,
        attachments=attachments or [],
        created_at=now,
        next_attempt_at=now + timedelta(seconds=SWEEP_GRACE_SECONDS),
    )
    if dedup_key is None:
        row.save()
    else:
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            return OutboundEmail.objects.get(dedup_key=dedup_key)
    _deliver_after_commit(row.pk)
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
) -> OutboundEmail:
    """Renders templates/email/<template>_subject.txt, .txt and .html in the recipient's
    language and queues the result."""
    return email_queue(
        to=to,
        **render_email(template=template, context=context, language=language),
        kind=kind or template,
        dedup_key=dedup_key,
        attachments=attachments,
    )


def email_queue_many(rows: list[dict]) -> list[int]:
    """Writes many e-mails to the outbox at once (keys as for email_queue, rendered
    already). Rows whose dedup_key exists are not written again; the ids of all the
    rows, old and new, are returned and handed to workers after commit."""
    now = timezone.now()
    objects = [
        OutboundEmail(
            to=row["to"],
            subject=" ".join(row["subject"].split()),
            body_text=row["body_text"],
            body_html=row["body_html"],
            language=row.get("language") or settings.LANGUAGE_CODE,
            kind=row.get("kind", ""),
            dedup_key=row.get("dedup_key"),
            attachments=row.get("attachments") or [],
            created_at=now,
            next_attempt_at=now + timedelta(seconds=SWEEP_GRACE_SECONDS),
        )
        for row in rows
    ]
    OutboundEmail.objects.bulk_create(objects, ignore_conflicts=True, batch_size=500)
    keys = [o.dedup_key for o in objects if o.dedup_key]
    ids = list(
        OutboundEmail.objects.filter(
            dedup_key__in=keys, status=OutboundEmail.Status.PENDING
        ).values_list("pk", flat=True)
    )
    if ids:
        transaction.on_commit(lambda: _enqueue_many(ids))
    return ids


def _enqueue_many(ids: list[int]) -> None:
    """Hands many rows to the workers over one broker connection."""
    from .celery import app
    from .tasks import deliver_email

    try:
        with app.producer_or_acquire() as producer:
            for email_id in ids:
                deliver_email.apply_async((email_id,), producer=producer)
    except Exception:
        # The broker is down: the rows stay pending and the sweep sends them later.
        logger.warning("Could not queue %d e-mails; the sweep will send them", len(ids))


def render_email(*, template: str, context: dict, language: str) -> dict:
    """Subject, text and HTML of templates/email/<template>*, in the given language."""
    with translation.override(language):
        context = {"MUNICIPALITY": settings.MUNICIPALITY, **context}
        return {
            "subject": render_to_string(f"email/{template}_subject.txt", context),
            "body_text": render_to_string(f"email/{template}.txt", context),
            "body_html": render_to_string(f"email/{template}.html", context),
            "language": language,
        }


def _deliver_after_commit(email_id: int) -> None:
    from .tasks import deliver_email

    def enqueue():
        try:
            deliver_email.delay(email_id)
        except Exception:
            # The broker is down: the row stays pending and the sweep sends it later.
            logger.warning("Could not queue e-mail %s; the sweep will send it", email_id)

    transaction.on_commit(enqueue)


@dataclass(frozen=True)
class Delivery:
    SENT = "sent"
    SKIPPED = "skipped"  # already sent, or another worker has it
    RETRY = "retry"  # a transient error; try again later
    FAILED = "failed"  # given up

    outcome: str
    error: str = ""


def _is_permanent(exc: Exception) -> bool:
    """A 5xx answer about the message or its recipient will not change by waiting."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _msg in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code >= 500
    return False


def _claim(email_id: int, now) -> bool:
    """Takes the row for this worker for OUTBOX_CLAIM_SECONDS. The conditional update is
    atomic, so of two workers given the same id only one sends."""
    claimable = Q(status__in=[OutboundEmail.Status.PENDING, OutboundEmail.Status.FAILED]) | Q(
        status=OutboundEmail.Status.SENDING, claimed_until__lt=now
    )
    return bool(
        OutboundEmail.objects.filter(claimable, pk=email_id).update(
            status=OutboundEmail.Status.SENDING,
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
        headers={"Auto-Submitted": "auto-generated", "Content-Language": row.language},
    )
    if row.body_html:
        message.attach_alternative(row.body_html, "text/html")
    for attachment in row.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment["mimetype"])
    return message


def outbox_deliver(*, email_id: int, retry_in: int | None = None) -> Delivery:
    """Sends one outbox row. On a transient error the row waits `retry_in` seconds for its
    task to try again; without one (the last try) it is marked failed and the sweep tries
    it again later, up to OUTBOX_MAX_ATTEMPTS in all."""
    now = timezone.now()
    if not _claim(email_id, now):
        return Delivery(Delivery.SKIPPED)
    row = OutboundEmail.objects.get(pk=email_id)
    try:
        _message(row, get_connection(fail_silently=False)).send()
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        row.attempts += 1
        row.last_attempt_at = now
        row.last_error = error
        row.claimed_until = None
        if _is_permanent(exc):
            row.status = OutboundEmail.Status.FAILED
            row.next_attempt_at = None
            outcome = Delivery.FAILED
        elif retry_in is not None:
            row.status = OutboundEmail.Status.PENDING
            row.next_attempt_at = now + timedelta(seconds=retry_in)
            outcome = Delivery.RETRY
        else:
            row.status = OutboundEmail.Status.FAILED
            row.next_attempt_at = (
                now + timedelta(seconds=settings.OUTBOX_SWEEP_RETRY_AFTER)
                if row.attempts < settings.OUTBOX_MAX_ATTEMPTS
                else None
            )
            outcome = Delivery.FAILED
        row.save()
        logger.warning("E-mail %s to %s not sent (%s): %s", row.pk, row.to, outcome, error)
        return Delivery(outcome, error)
    OutboundEmail.objects.filter(pk=row.pk).update(
        status=OutboundEmail.Status.SENT,
        attempts=row.attempts + 1,
        last_attempt_at=now,
        sent_at=timezone.now(),
        last_error="",
        claimed_until=None,
        next_attempt_at=None,
    )
    return Delivery(Delivery.SENT)


def outbox_due_ids(*, limit: int = 500) -> list[int]:
    """Rows the sweep should hand to a worker: those whose task was lost (broker down,
    worker killed) and failed ones due for another try."""
    now = timezone.now()
    due = Q(
        status__in=[OutboundEmail.Status.PENDING, OutboundEmail.Status.FAILED],
        next_attempt_at__lte=now,
    ) | Q(status=OutboundEmail.Status.SENDING, claimed_until__lt=now)
    return list(
        OutboundEmail.objects.filter(due)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


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


def accessibility_feedback_create(
    *, kind: str, message: str, page: str = "", name: str = "", email: str = ""
) -> AccessibilityFeedback:
    feedback = AccessibilityFeedback.objects.create(
        kind=kind, message=message, page=page, name=name, email=email
    )
    if settings.MUNICIPALITY.get("email"):
        email_send_templated(
            to=settings.MUNICIPALITY["email"],
            template="accessibility_feedback",
            context={"feedback": feedback},
            language=settings.LANGUAGE_CODE,
            kind="accessibility.feedback",
        )
    return feedback
