"""The meeting from draft to minutes: publishing it, telling the invitees when its time or
place changes, cancelling it, marking it held and publishing the minutes."""

from django.db import transaction
from django.utils import timezone

from allas import audit
from allas.page_cache import renews_public_content
from notifications.notify import notify

from .. import guards
from ..models import Invitation, NetworkMeeting
from ..notices import meeting_published
from ..words import AuditVerb as Verb
from .common import MeetingError, lock_meeting, record_audit, refuse_unless_possible
from .emails import changes_in_words, meeting_emails_queue, recipient_language

Status = NetworkMeeting.Status

# What invitees are told about when it changes.
TIME_AND_PLACE = ("starts_at", "ends_at", "venue", "address", "online_link")


def _told(meeting):
    """Invitees who got the invitation and have not declined."""
    return meeting.invitations.filter(sent_at__isnull=False).exclude(answer=Invitation.Answer.NO)


def _move_to(meeting: NetworkMeeting, status, *, guard, verb, by) -> NetworkMeeting:
    """The step that only changes the status: asked of the locked row, and recorded."""
    meeting = lock_meeting(meeting)
    refuse_unless_possible(guard, meeting)
    meeting.status = status
    meeting.save(update_fields=["status"])
    record_audit(by, verb, meeting)
    return meeting


@transaction.atomic
@renews_public_content
def meeting_publish(*, meeting: NetworkMeeting, by) -> NetworkMeeting:
    meeting = _move_to(
        meeting, Status.PUBLISHED, guard=guards.why_not_publish, verb=Verb.MEETING_PUBLISHED, by=by
    )
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
    return meeting_emails_queue(
        meeting=meeting,
        invitations=invitees,
        template="update",
        key=lambda inv: f"update:{inv.pk}:{meeting.sequence}",
        each=lambda inv: {
            "changes": changes_in_words(before, meeting, changed, recipient_language(inv))
        },
    )


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
    return meeting_emails_queue(
        meeting=meeting,
        invitations=list(_told(meeting).select_related("user")),
        template="cancelled",
        key=lambda inv: f"cancel:{inv.pk}",
        cancelled=True,
    )


@transaction.atomic
@renews_public_content
def meeting_mark_held(*, meeting: NetworkMeeting, by) -> NetworkMeeting:
    return _move_to(
        meeting, Status.HELD, guard=guards.why_not_mark_held, verb=Verb.MEETING_HELD, by=by
    )


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
    meeting_emails_queue(
        meeting=meeting,
        invitations=attendees,
        template="minutes",
        key=lambda inv: f"minutes:{inv.pk}",
        ics=False,
    )
    record_audit(by, Verb.MINUTES_PUBLISHED, meeting, n=len(attendees))
    return len(attendees)
