from celery import shared_task

from . import services
from .dialogue import retention


@shared_task(acks_late=True, ignore_result=True)
def send_meeting_reminders() -> int:
    return services.send_due_reminders()


@shared_task(acks_late=True, ignore_result=True)
def remove_old_signup_data() -> int:
    return retention.signup_data_remove()
