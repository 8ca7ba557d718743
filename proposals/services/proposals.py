"""Proposing and changing a proposal's text."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from allas.page_cache import renews_public_content
from notifications.notify import notify

from .. import permissions
from ..models import Proposal, StatusChange
from ..notices import proposal_submitted
from .common import ProposalError, lock_proposal, refuse_over_limit
from .follows import proposal_follow_auto
from .raised_at import check_raised_at

Status = Proposal.Status

PROPOSALS_PER_DAY = 5


@transaction.atomic
@renews_public_content
def proposal_create(
    *, author, locality, title: str, body: str, goals=(), raised_at=None
) -> Proposal:
    """`raised_at`: the ort's dialogue meeting where the author raised the proposal, if any."""
    if raised_at is not None:
        raised_at = check_raised_at(raised_at, locality_id=locality.pk)
    refuse_over_limit(
        Proposal,
        author=author,
        within=timedelta(days=1),
        limit=PROPOSALS_PER_DAY,
        message=_("You can send at most %(n)d proposals a day. Try again tomorrow."),
    )
    proposal = Proposal.objects.create(
        author=author,
        locality=locality,
        title=title.strip(),
        body=body.strip(),
        raised_at=raised_at,
    )
    proposal.goals.set(goals)
    Proposal.objects.filter(pk=proposal.pk).update_search_vectors()
    StatusChange.objects.create(
        proposal=proposal,
        status=Status.SUBMITTED,
        answered_by=author,
        answered_as=StatusChange.AnsweredAs.AUTHOR,
    )
    proposal_follow_auto(user=author, proposal=proposal)
    notify(proposal_submitted(proposal))
    return proposal


@transaction.atomic
@renews_public_content
def proposal_edit(*, proposal: Proposal, by, title: str, body: str, goals=()) -> Proposal:
    proposal = lock_proposal(proposal)
    if not permissions.can_edit(by, proposal):
        raise ProposalError(
            _("The group has started reviewing the proposal, so it can no longer be changed.")
        )
    proposal.title, proposal.body = title.strip(), body.strip()
    proposal.edited_at = timezone.now()
    proposal.save(update_fields=["title", "body", "edited_at", "changed_at"])
    Proposal.objects.filter(pk=proposal.pk).update_search_vectors()
    proposal.goals.set(goals)
    return proposal
