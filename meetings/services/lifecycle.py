"""The meeting from draft to minutes: publishing it, telling the invitees when its time or
place changes, cancelling it, marking it held and publishing the minutes."""

from django.db import transaction
from django.utils import timezone

from allas import audit
from allas.page_cache import renews_public_content
from allas.services import email_queue_many
from notifications.notify import notify

from .. import calendar, guards
from ..models import Invitation, NetworkMeeting
from ..notices import meeting_published
from .common import MeetingError, lock_meeting, record_audit, refuse_unless_possible
from .emails import changes_in_words, meeting_email, recipient_language

Status = NetworkMeeting.Status
Verb = audit.Verb

# What invitees are told about when it changes.
TIME_AND_PLACE = ("starts_at", "ends_at", "venue", "address", "online_link")


def _told(meeting):
    """Invitees who got the invitation and have not declined."""
    return meeting.invitations.filter(sent_at__isnull=False).exclude(answer=Invitation.Answer.NO)


@transaction.atomic
@renews_public_content
def meeting_publish(*, meeting: NetworkMeeting, by) -> NetworkMeeting:
    meeting = lock_meeting(meeting)
    refuse_unless_possible(guards.why_not_publish, meeting)
    meeting.status = Status.PUBLISHED
    meeting.save(update_fields=["status"])
    record_audit(by, Verb.MEETING_PUBLISHED, meeting)
    notify(meeting_published(meeting, by=by))
    return meeting


@transaction.atomic
@renews_public_content
def meeting_changed(*, meeting: NetworkMeeting, before: dict, by) -> int:
    """Called after staff saved the meeting: if time or place changed on a published
    meeting, everyone told gets an update with a calendar file of a higher SEQUENCE."""
    changed = [f for f in TIME_AND_PLACE if before.get(f) != getattr(meeting, f)]
    if not changed or meeting.status != Status.PUBLISHED:
        return 0
    record_audit(
        by, Verb.MEETING_CHANGED, meeting, fields=audit.field_names(NetworkMeeting, changed)
    )
    meeting = lock_meeting(meeting)
    invitees = list(_told(meeting).select_related("user"))
    if not invitees:
        return 0
    meeting.sequence += 1
    meeting.save(update_fields=["sequence"])
    shared = calendar.meeting_ics(meeting)
    email_queue_many(
        [
            meeting_email(
                meeting,
                inv,
                template="update",
                key=f"update:{inv.pk}:{meeting.sequence}",
                ics=True,
                shared_ics=shared,
                changes=changes_in_words(before, meeting, changed, recipient_language(inv)),
            )
            for inv in invitees
        ]
    )
    return len(invitees)


@transaction.atomic
@renews_public_content
def meeting_cancel(*, meeting: NetworkMeeting, reason: str, by) -> int:
    """Cancels the meeting and tells everyone invited why, with a calendar file that
    removes it."""
    meeting = lock_meeting(meeting)
    refuse_unless_possible(guards.why_not_cancel, meeting)
    reason = reason.strip()
    if not reason:
        raise MeetingError(str(guards.CANCEL_REASON_MISSING))
    was_published = meeting.status == Status.PUBLISHED
    meeting.status = Status.CANCELLED
    meeting.cancel_reason = reason
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence", "cancel_reason"])
    record_audit(by, Verb.MEETING_CANCELLED, meeting, reason=reason)
    if not was_published:
        return 0
    invitees = list(_told(meeting).select_related("user"))
    shared = calendar.meeting_ics(meeting, cancelled=True)
    email_queue_many(
        [
            meeting_email(
                meeting,
                inv,
                template="cancelled",
                key=f"cancel:{inv.pk}",
                ics=True,
                cancelled=True,
                shared_ics=shared,
            )
            for inv in invitees
        ]
    )
    return len(invitees)


@transaction.atomic
@renews_public_content
def meeting_mark_held(*, meeting: NetworkMeeting, by) -> NetworkMeeting:
    meeting = lock_meeting(meeting)
    refuse_unless_possible(guards.why_not_mark_held, meeting)
    meeting.status = Status.HELD
    meeting.save(update_fields=["status"])
    record_audit(by, Verb.MEETING_HELD, meeting)
    return meeting


@transaction.atomic
@renews_public_content
def minutes_publish(*, meeting: NetworkMeeting, by) -> int:
    """Publishes the minutes and tells everyone who came."""
    meeting = lock_meeting(meeting)
    refuse_unless_possible(guards.why_not_publish_minutes, meeting)
    meeting.minutes_published_at = timezone.now()
    meeting.save(update_fields=["minutes_published_at"])
    attendees = list(
        meeting.invitations.filter(answer=Invitation.Answer.YES).select_related("user")
    )
    email_queue_many(
        [
            meeting_email(meeting, inv, template="minutes", key=f"minutes:{inv.pk}")
            for inv in attendees
        ]
    )
    record_audit(by, Verb.MINUTES_PUBLISHED, meeting, n=len(attendees))
    return len(attendees)
