"""What every service of the network meeting shares: the error that stops a change, the
step's guard raised as that error, the lock on the meeting's row, a row written only once
and the audit entry."""

from django.db import IntegrityError, transaction

from allas import audit
from allas.outcomes import Refused

from ..models import NetworkMeeting


class MeetingError(Refused):
    """A rule stopped the change; the message is shown to the user as it is."""


def refuse_unless_possible(guard, subject) -> None:
    """Raises the guard's refusal (meetings.guards), asked of the locked row."""
    refusal = guard(subject)
    if refusal is not None:
        raise MeetingError(refusal.message)


def lock_meeting(meeting: NetworkMeeting) -> NetworkMeeting:
    """The meeting's row, locked until the transaction ends, so two presses of a button
    cannot both pass the same guard."""
    return (
        NetworkMeeting.objects.select_for_update(of=("self",))
        .select_related("theme")
        .get(pk=meeting.pk)
    )


def create_once(model, **fields):
    """The new row, or None where a unique constraint says it exists already: two runs in
    the same instant cannot both write it, and the outer transaction goes on."""
    try:
        with transaction.atomic():
            return model.objects.create(**fields)
    except IntegrityError:
        return None


def record_audit(by, verb, obj, *, group=None, summary=None, **values) -> None:
    locality_id = group.locality_id if group is not None else None
    audit.record(
        actor=by, verb=verb, obj=obj, locality_id=locality_id, summary=summary, values=values
    )
