"""Thin tasks (STYLE.md 10)."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, ignore_result=True)
def send_weekly_digests() -> int:
    return services.digest_send_due()
