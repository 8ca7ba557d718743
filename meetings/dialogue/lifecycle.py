"""A group's dialogue meeting from draft to minutes: the coordinators create and edit it,
publish it (the ort's followers hear of it), change its time or place (everyone signed up
gets an update), cancel it with a reason, mark it held with how many came, publish the
minutes and tie the proposals raised at it."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from allas import audit
from allas.page_cache import renews_public_content
from groups.models import DialogueMeeting
from notifications.notify import notify

from ..notices import dialogue_published
from ..services.emails import changes_in_words, meeting_emails_queue, recipient_language
from ..words import AuditVerb as Verb
from .common import MeetingError, lock_dialogue, record, told
from .signups import move_up

Status = DialogueMeeting.Status

# What people signed up are told about when it changes.
TIME_AND_PLACE = ("starts_at", "ends_at", "venue", "address", "online_link")
EDITABLE = (
    "title",
    "kind",
    "starts_at",
    "ends_at",
    "venue",
    "address",
    "online_link",
    "description",
    "capacity",
    "signup_deadline",
    "asks_food",
    "asks_access",
)


def time_errors(starts, ends, deadline) -> dict:
    """The rules about a meeting's times, by the field each is about: the forms show each
    at its field, the services refuse with it."""
    errors = {}
    if starts and ends and ends <= starts:
        errors["ends_at"] = _("The meeting must end after it starts.")
    if starts and deadline and deadline > starts:
        errors["signup_deadline"] = _("The last day to sign up must be before the meeting starts.")
    return errors


def _check(meeting: DialogueMeeting) -> None:
    errors = time_errors(meeting.starts_at, meeting.ends_at, meeting.signup_deadline)
    if errors:
        raise MeetingError(next(iter(errors.values())))


@transaction.atomic
def dialogue_create(*, group, fields: dict, goals=(), by) -> DialogueMeeting:
    """A draft, seen only by the group's coordinators and staff until it is published."""
    meeting = DialogueMeeting(group=group, created_by=by, **fields)
    _check(meeting)
    meeting.save()
    meeting.goals.set(goals)
    record(by, Verb.DIALOGUE_CREATED, meeting, meeting)
    return meeting


@transaction.atomic
@renews_public_content
def dialogue_edit(*, meeting: DialogueMeeting, fields: dict, goals=None, by) -> int:
    """Saves the changes. If the time or place of a published meeting changed, everyone
    signed up or waiting gets an update saying what changed, with a calendar file of a
    higher SEQUENCE. Returns how many were told."""
    meeting = lock_dialogue(meeting)
    if meeting.status not in (Status.DRAFT, Status.PUBLISHED):
        raise MeetingError(_("A cancelled or held meeting can no longer be changed."))
    before = {name: getattr(meeting, name) for name in EDITABLE}
    for name, value in fields.items():
        if name not in EDITABLE:
            raise ValueError(name)
        setattr(meeting, name, value)
    _check(meeting)
    changed = [name for name in EDITABLE if before[name] != getattr(meeting, name)]
    goals_changed = goals is not None and set(goals) != set(meeting.goals.all())
    if not changed and not goals_changed:
        return 0
    meeting.updated_at = timezone.now()
    meeting.save()
    if goals_changed:
        meeting.goals.set(goals)
    names = audit.field_names(DialogueMeeting, changed + (["goals"] if goals_changed else []))
    record(by, Verb.DIALOGUE_EDITED, meeting, meeting, fields=names)
    if "capacity" in changed and meeting.status == Status.PUBLISHED:
        # New places go to those waiting, in line, before anyone who signs up later.
        move_up(meeting)
    moved = [name for name in TIME_AND_PLACE if name in changed]
    if not moved or meeting.status != Status.PUBLISHED:
        return 0
    people = list(told(meeting))
    if not people:
        return 0
    meeting.sequence += 1
    meeting.save(update_fields=["sequence"])
    return meeting_emails_queue(
        meeting=meeting,
        invitations=people,
        template="update",
        key=lambda s: f"update:{s.pk}:{meeting.sequence}",
        each=lambda s: {"changes": changes_in_words(before, meeting, moved, recipient_language(s))},
    )


@transaction.atomic
@renews_public_content
def dialogue_publish(*, meeting: DialogueMeeting, by) -> DialogueMeeting:
    meeting = lock_dialogue(meeting)
    if meeting.status != Status.DRAFT:
        raise MeetingError(_("Only a draft can be published."))
    if meeting.has_started():
        raise MeetingError(_("The meeting has already started: change the time first."))
    meeting.status = Status.PUBLISHED
    meeting.published_at = timezone.now()
    meeting.save(update_fields=["status", "published_at"])
    record(by, Verb.DIALOGUE_PUBLISHED, meeting, meeting)
    notify(dialogue_published(meeting, by=by))
    return meeting


@transaction.atomic
@renews_public_content
def dialogue_cancel(*, meeting: DialogueMeeting, reason: str, by) -> int:
    """Cancels the meeting and sends everyone signed up or waiting the reason, with a
    calendar file (METHOD:CANCEL) that removes it. Returns how many were told."""
    meeting = lock_dialogue(meeting)
    if meeting.status not in (Status.DRAFT, Status.PUBLISHED):
        raise MeetingError(_("The meeting is already cancelled or held."))
    reason = reason.strip()
    if not reason:
        raise MeetingError(_("Write why the meeting is cancelled: everyone signed up is told."))
    was_published = meeting.status == Status.PUBLISHED
    people = list(told(meeting)) if was_published else []
    meeting.status = Status.CANCELLED
    meeting.cancel_reason = reason
    meeting.sequence += 1
    meeting.save(update_fields=["status", "cancel_reason", "sequence"])
    record(by, Verb.DIALOGUE_CANCELLED, meeting, meeting, n=len(people), reason=reason)
    return meeting_emails_queue(
        meeting=meeting,
        invitations=people,
        template="cancelled",
        key=lambda s: f"cancel:{s.pk}",
        cancelled=True,
    )


@transaction.atomic
@renews_public_content
def dialogue_mark_held(*, meeting: DialogueMeeting, attendance: int, by) -> DialogueMeeting:
    """Marks the meeting held, not before it starts, with how many came."""
    meeting = lock_dialogue(meeting)
    if meeting.status not in (Status.PUBLISHED, Status.HELD):
        raise MeetingError(_("Only a published meeting can be marked as held."))
    if not meeting.has_started():
        raise MeetingError(_("The meeting has not started yet."))
    if attendance is None or attendance < 0:
        raise MeetingError(_("Write how many came, as a number."))
    meeting.status = Status.HELD
    meeting.attendance = attendance
    meeting.save(update_fields=["status", "attendance"])
    record(by, Verb.DIALOGUE_HELD, meeting, meeting, n=attendance)
    return meeting


@transaction.atomic
@renews_public_content
def dialogue_minutes_publish(*, meeting: DialogueMeeting, minutes: str, by) -> int:
    """Publishes the minutes on the meeting's page and tells everyone who signed up.
    Published again after a correction, it tells no one twice."""
    meeting = lock_dialogue(meeting)
    if meeting.status != Status.HELD:
        raise MeetingError(_("Mark the meeting as held before you publish the minutes."))
    minutes = minutes.strip()
    if not minutes:
        raise MeetingError(_("Write the minutes."))
    meeting.minutes = minutes
    meeting.minutes_published_at = meeting.minutes_published_at or timezone.now()
    meeting.save(update_fields=["minutes", "minutes_published_at"])
    people = list(meeting.signups.seated().select_related("user"))
    meeting_emails_queue(
        meeting=meeting,
        invitations=people,
        template="minutes",
        key=lambda s: f"minutes:{s.pk}",
        ics=False,
    )
    record(by, Verb.DIALOGUE_MINUTES, meeting, meeting, n=len(people))
    return len(people)
