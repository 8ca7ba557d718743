"""Personal data kept only as long as needed: DIALOGUE_SIGNUP_RETENTION_DAYS after a
dialogue meeting, the sign-ups of visitors without an account are deleted and everyone's
needs emptied. How many were signed up stays on the meeting."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from groups.models import DialogueMeeting

from ..models import SignUp
from . import signups


def signup_data_remove(now=None) -> int:
    """Returns how many meetings were cleared now."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.DIALOGUE_SIGNUP_RETENTION_DAYS)
    due = DialogueMeeting.objects.filter(ends_at__lt=cutoff, personal_data_removed_at__isnull=True)
    # A visitor who never used the link to confirm is not kept either.
    SignUp.objects.filter(
        status=SignUp.Status.UNCONFIRMED,
        created_at__lt=now - timedelta(hours=signups.CONFIRM_HOURS),
    ).delete()
    cleared = 0
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            meeting = DialogueMeeting.objects.select_for_update().get(pk=pk)
            if meeting.personal_data_removed_at is not None:
                continue
            rows = SignUp.objects.filter(meeting=meeting)
            meeting.kept_signup_count = rows.seated().count()
            meeting.personal_data_removed_at = now
            meeting.save(update_fields=["kept_signup_count", "personal_data_removed_at"])
            rows.filter(user__isnull=True).delete()
            rows.update(food_needs="", access_needs="")
            cleared += 1
    return cleared
