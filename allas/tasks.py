"""Thin tasks: they take ids and call services (STYLE.md 10)."""

from celery import shared_task
from django.conf import settings

from . import services


@shared_task(bind=True, acks_late=True, max_retries=None, ignore_result=True)
def deliver_email(self, email_id: int) -> str:
    delays = settings.OUTBOX_RETRY_DELAYS
    tries = self.request.retries or 0
    # In-process (no broker) there is no one to wait for: a failure goes to the sweep.
    retry_in = delays[tries] if tries < len(delays) and not self.request.is_eager else None
    delivery = services.outbox_deliver(email_id=email_id, retry_in=retry_in)
    if delivery.outcome == services.Delivery.RETRY:
        raise self.retry(countdown=retry_in)
    return delivery.outcome


@shared_task(acks_late=True, ignore_result=True)
def outbox_sweep() -> int:
    ids = services.outbox_due_ids()
    for email_id in ids:
        deliver_email.delay(email_id)
    return len(ids)
