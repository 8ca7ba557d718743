"""Writes of the core app: the e-mail outbox and accessibility feedback."""

import logging
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import linebreaks, urlize
from django.utils.safestring import mark_safe

from . import audit, personal_data
from .models import AccessibilityFeedback, OutboundEmail, PeriodicJobRun
from .outbox import SWEEP_JOB
from .outcomes import Refused
from .page_cache import renews_public_content
from .tasks import outbox_hand_to_workers

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
    """Everything the portal keeps about a person: the register extract (registerutdrag),
    as the downloaded file (allas.personal_data)."""
    return personal_data.as_file(personal_data.extract_for(user=user))


class AccountError(Refused):
    """The account cannot be deleted now; the message says why."""


@transaction.atomic
@renews_public_content
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
    audit.forget_person(user._meta.model.objects.filter(pk=user.pk))
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
