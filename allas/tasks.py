"""Thin tasks: they take ids and call services (STYLE.md 10)."""

import logging

from celery import shared_task
from celery.exceptions import Retry
from django.conf import settings

from . import services

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, max_retries=None, ignore_result=True)
def deliver_email(self, email_id: int) -> str:
    delays = settings.OUTBOX_RETRY_DELAYS
    tries = self.request.retries or 0
    # In-process (no broker) there is no one to wait for: a retry is left to the sweep.
    retry_in = delays[tries] if tries < len(delays) and not self.request.is_eager else None
    delivery = services.outbox_deliver(email_id=email_id, retry_in=retry_in)
    if delivery.outcome == services.Delivery.RETRY and retry_in is not None:
        try:
            self.retry(countdown=retry_in)
        except Retry:
            raise
        except Exception:
            # The broker went away: the row says when it is due, and the sweep sends it.
            logger.warning("Could not schedule the retry of e-mail %s", email_id, exc_info=True)
    return delivery.outcome


@shared_task(acks_late=True, ignore_result=True)
def outbox_sweep() -> int:
    return services.outbox_sweep()
