"""Thin tasks: each loads nothing itself and calls one service."""

from celery import shared_task

from .digest import digest_send_due


@shared_task(acks_late=True, ignore_result=True)
def send_weekly_digests() -> int:
    return digest_send_due()
