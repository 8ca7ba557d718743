"""The group's dialogue meeting where a proposal was raised: named by its author when
proposing, or set and cleared afterwards by the ort's coordinators and staff."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from allas.page_cache import renews_public_content
from groups.models import DialogueMeeting

from .. import permissions
from ..models import Proposal
from ..words import AuditVerb as Verb
from .common import ProposalError, audit_for_ort, lock_proposal

# A proposal can have been raised only at a meeting that took place or is about to: not at
# a draft, which is the group's own, nor at a cancelled one.
RAISABLE = (DialogueMeeting.Status.PUBLISHED, DialogueMeeting.Status.HELD)


class MeetingRefused(ProposalError):
    """The meeting named is not one the proposal can have been raised at: the message
    belongs next to the form's meeting field."""


# In the audit entry, where the proposal was not (or is no longer) tied to a meeting.
NO_MEETING = gettext_lazy("no meeting")


def check_raised_at(meeting: DialogueMeeting, *, locality_id: int) -> DialogueMeeting:
    """The meeting as it is now, if a proposal of the ort can have been raised at it;
    MeetingRefused with the reason otherwise. Read again, so that a meeting made a draft or
    cancelled since the form was shown is refused."""
    meeting = DialogueMeeting.objects.select_related("group").filter(pk=meeting.pk).first()
    if meeting is None:
        raise MeetingRefused(
            _("The meeting no longer exists. Choose one of the meetings in the list.")
        )
    if meeting.group.locality_id != locality_id:
        raise MeetingRefused(
            _("Choose a meeting of the local development group in the proposal's ort.")
        )
    if meeting.status not in RAISABLE:
        raise MeetingRefused(_("You can only choose a meeting that is published or has been held."))
    return meeting


@transaction.atomic
@renews_public_content
def proposal_set_raised_at(
    *, proposal: Proposal, by, raised_at: DialogueMeeting | None
) -> Proposal:
    """The ort's coordinators (or staff) say at which of the group's meetings the proposal
    was raised, or that it was at none; the proposal's page then names the meeting, and the
    meeting's page lists the proposal."""
    proposal = lock_proposal(proposal)
    if not permissions.can_answer(by, proposal):
        raise ProposalError(
            _("Only the ort's coordinators and the municipality say where a proposal was raised.")
        )
    # The same meeting again changes nothing, even one cancelled since it was set.
    if proposal.raised_at_id == (raised_at.pk if raised_at else None):
        return proposal
    if raised_at is not None:
        raised_at = check_raised_at(raised_at, locality_id=proposal.locality_id)
    previous = proposal.raised_at
    proposal.raised_at = raised_at
    proposal.save(update_fields=["raised_at", "changed_at"])
    audit_for_ort(
        by,
        Verb.PROPOSAL_RAISED_AT_MEETING,
        proposal,
        locality_id=proposal.locality_id,
        old=str(previous) if previous else NO_MEETING,
        new=str(raised_at) if raised_at else NO_MEETING,
    )
    return proposal
