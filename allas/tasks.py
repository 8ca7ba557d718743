"""Thin tasks: they take ids and call services. The dependency runs one
way: allas.services writes e-mails and hands them here after commit; the tasks deliver
them through allas.outbox and never import the services."""

import logging

from celery import shared_task
from celery.exceptions import Retry
from django.conf import settings

from . import audit, outbox
from .celery import app

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, max_retries=None, ignore_result=True)
def deliver_email(self, email_id: int) -> str:
    delays = settings.OUTBOX_RETRY_DELAYS
    tries = self.request.retries or 0
    # In-process (no broker) there is no one to wait for: a retry is left to the sweep.
    retry_in = delays[tries] if tries < len(delays) and not self.request.is_eager else None
    delivery = outbox.outbox_deliver(email_id=email_id, retry_in=retry_in)
    if delivery.outcome == outbox.Delivery.RETRY and retry_in is not None:
        try:
            self.retry(countdown=retry_in)
        except Retry:
            raise
        except Exception:
            # The broker went away: the row says when it is due, and the sweep sends it.
            logger.warning("Could not schedule the retry of e-mail %s", email_id, exc_info=True)
    return delivery.outcome


def outbox_hand_to_workers(*, ids: list[int]) -> int:
    """Gives each row to a worker, over one broker connection. Never raises: when the
    broker is down (or the in-process delivery breaks), the rows stay in the outbox and the
    sweep hands them out later. Returns how many were handed out."""
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


@shared_task(acks_late=True, ignore_result=True)
def outbox_sweep() -> int:
    """The periodic job: hands every due row to a worker, then notes when it finished."""
    ids = outbox.outbox_due_ids()
    if ids:
        outbox_hand_to_workers(ids=ids)
    outbox.sweep_finished()
    return len(ids)


@shared_task(acks_late=True, ignore_result=True)
def remove_expired_audit_events() -> int:
    return audit.remove_expired()
