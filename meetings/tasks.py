from celery import shared_task

from . import services


@shared_task(acks_late=True, ignore_result=True)
def send_meeting_reminders() -> int:
    return services.send_due_reminders()
