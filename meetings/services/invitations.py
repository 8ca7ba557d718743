"""The invitation list and the invitations: building the list from the network, adding a
guest, sending, and the invitee's answer by the personal link or from a calendar."""

import hmac
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import guards
from ..models import SELECTOR_LENGTH, Invitation, NetworkMeeting
from ..words import AuditVerb as Verb
from .common import (
    MeetingError,
    create_once,
    lock_meeting,
    record_audit,
    refuse_unless_possible,
)
from .emails import meeting_emails_queue
from .network import roster

Answer = Invitation.Answer
Source = Invitation.Source

# An answer link stops working this long after its meeting ended.
ANSWER_LINK_DAYS_AFTER_MEETING = 30
WEB_ANSWERS = (Answer.YES, Answer.NO)


@transaction.atomic
def invitations_build(*, meeting: NetworkMeeting, by) -> int:
    """Adds everyone in the roster who is not yet invited. Returns how many were added."""
    meeting = lock_meeting(meeting)
    refuse_unless_possible(guards.why_not_build, meeting)
    invited = set(meeting.invitations.values_list("email", flat=True))
    new = []
    for entry in roster():
        email = entry["user"].email.lower()
        if email in invited:
            continue
        invited.add(email)
        new.append(
            Invitation(
                meeting=meeting,
                user=entry["user"],
                name=entry["user"].display_name,
                email=email,
                represents=entry["represents"],
                group=entry["group"],
                role_description=entry["role_description"],
            )
        )
    Invitation.objects.bulk_create(new, batch_size=500)
    record_audit(by, Verb.INVITATIONS_BUILT, meeting, n=len(new))
    return len(new)


@transaction.atomic
def invitation_add_guest(*, meeting: NetworkMeeting, name: str, email: str, by) -> Invitation:
    meeting = lock_meeting(meeting)
    name, email = name.strip(), email.strip().lower()
    if not name:
        raise MeetingError(_("Write the guest's name."))
    try:
        validate_email(email)
    except ValidationError as exc:
        raise MeetingError(
            _("“%(email)s” is not a valid e-mail address.") % {"email": email}
        ) from exc
    refuse_unless_possible(guards.why_not_add_guest, meeting)
    invitation = create_once(
        Invitation,
        meeting=meeting,
        name=name,
        email=email,
        represents=Invitation.Represents.GUEST,
        role_description=_("Guest"),
    )
    if invitation is None:
        raise MeetingError(_("%(email)s is already invited.") % {"email": email})
    record_audit(by, Verb.GUEST_INVITED, invitation, meeting=meeting.title)
    return invitation


@transaction.atomic
def invitations_send(*, meeting: NetworkMeeting, by) -> int:
    """Sends every invitation not sent yet. Returns how many were sent now."""
    meeting = lock_meeting(meeting)
    refuse_unless_possible(guards.why_not_send, meeting)
    unsent = list(meeting.invitations.filter(sent_at__isnull=True).select_related("user"))
    meeting_emails_queue(
        meeting=meeting,
        invitations=unsent,
        template="invitation",
        key=lambda inv: f"invitation:{inv.pk}",
        agenda=list(meeting.agenda.all()),
    )
    Invitation.objects.filter(pk__in=[inv.pk for inv in unsent]).update(sent_at=timezone.now())
    record_audit(by, Verb.INVITATIONS_SENT, meeting, n=len(unsent))
    return len(unsent)


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation a token belongs to. The selector finds the row; the rest is compared
    in constant time, so response times reveal nothing about other tokens. Tokens of
    meetings that ended more than ANSWER_LINK_DAYS_AFTER_MEETING ago no longer work."""
    if len(token) != SELECTOR_LENGTH + 32:
        return None
    invitation = (
        Invitation.objects.select_related("meeting__theme")
        .filter(token__startswith=token[:SELECTOR_LENGTH])
        .first()
    )
    if invitation is None or not hmac.compare_digest(invitation.token, token):
        return None
    if invitation.meeting.status == NetworkMeeting.Status.DRAFT:
        return None
    expired = timezone.now() - timedelta(days=ANSWER_LINK_DAYS_AFTER_MEETING)
    if invitation.meeting.ends_at < expired:
        return None
    return invitation


@transaction.atomic
def invitation_answer(
    *,
    invitation: Invitation,
    answer: str,
    dietary_needs: str = "",
    accessibility_needs: str = "",
    source: str = Source.WEB,
) -> Invitation:
    """Records an answer given on the answer page or by a calendar program, and sends a
    confirmation when it changed. `invitation.changed` tells whether it did."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("meeting__theme", "user")
        .get(pk=invitation.pk)
    )
    refuse_unless_possible(guards.why_not_answer, invitation)
    allowed = (Answer.YES, Answer.NO, Answer.MAYBE) if source == Source.CALENDAR else WEB_ANSWERS
    if answer not in allowed:
        raise MeetingError(_("Answer yes or no."))
    if source == Source.CALENDAR:
        # A calendar says only yes, no or maybe: the needs written on the page stay.
        dietary_needs, accessibility_needs = (
            invitation.dietary_needs,
            invitation.accessibility_needs,
        )
    if answer == Answer.NO:
        dietary_needs = accessibility_needs = ""
    new = (answer, dietary_needs.strip(), accessibility_needs.strip())
    invitation.changed = new != (
        invitation.answer,
        invitation.dietary_needs,
        invitation.accessibility_needs,
    )
    if not invitation.changed:
        return invitation
    invitation.answer, invitation.dietary_needs, invitation.accessibility_needs = new
    invitation.answered_at = timezone.now()
    invitation.answered_by = source
    invitation.answer_version += 1
    invitation.save()
    meeting = invitation.meeting
    # The confirmation carries the calendar file with the invitee's own PARTSTAT, so the
    # calendar shows the answer however it was given; a changed answer sends a new one.
    meeting_emails_queue(
        meeting=meeting,
        invitations=[invitation],
        template="confirmation",
        key=lambda inv: f"answer:{inv.pk}:{inv.answer_version}",
        agenda=list(meeting.agenda.all()),
    )
    return invitation
