"""What the dialogue meetings' services share: the locked row, the audit entry about the
group's ort, and who is told of a change."""

from allas import audit
from groups.models import DialogueMeeting

from ..models import SignUp
from ..services.common import MeetingError

__all__ = ["MeetingError", "lock_dialogue", "record", "told"]


def lock_dialogue(meeting: DialogueMeeting) -> DialogueMeeting:
    """The meeting's row, locked until the transaction ends: seats are counted under it,
    so two people cannot both take the last one."""
    return (
        DialogueMeeting.objects.select_for_update(of=("self",))
        .select_related("group__locality")
        .get(pk=meeting.pk)
    )


def record(by, verb, obj, meeting: DialogueMeeting, **values) -> None:
    """An audit entry the group's coordinators see on their page."""
    audit.record(
        actor=by, verb=verb, obj=obj, locality_id=meeting.group.locality_id, values=values or None
    )


def told(meeting: DialogueMeeting):
    """Everyone who hears of a change: signed up and on the waiting list."""
    return SignUp.objects.filter(meeting=meeting).active().select_related("user")
