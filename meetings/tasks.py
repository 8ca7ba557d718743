from celery import shared_task

from . import services
from .models import NetworkMeeting


@shared_task(acks_late=True, ignore_result=True)
def send_meeting_reminders() -> int:
    return services.send_due_reminders()


@shared_task(acks_late=True, ignore_result=True)
def send_invitations(meeting_id: int) -> int:
    """Staff's "send invitations", done by a worker; running it again sends only to
    invitations added since."""
    meeting = NetworkMeeting.objects.get(pk=meeting_id)
    return services.invitations_send(meeting=meeting, by=None)
