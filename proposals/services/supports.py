"""Supporting a proposal, and taking the support back."""

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from allas.page_cache import renews_public_content

from .. import permissions
from ..models import Proposal, Support
from .common import ProposalError, lock_proposal
from .follows import proposal_follow_auto


@transaction.atomic
@renews_public_content
def support_toggle(*, proposal: Proposal, user) -> bool:
    """Supports the proposal, or takes the support back. Returns whether it is supported."""
    proposal = lock_proposal(proposal)
    deleted, _detail = Support.objects.filter(proposal=proposal, user=user).delete()
    if deleted:
        Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") - 1)
        return False
    if not permissions.can_support(user, proposal, verified=permissions.can_propose(user)):
        raise ProposalError(_("You cannot support this proposal."))
    try:
        with transaction.atomic():
            Support.objects.create(proposal=proposal, user=user)
    except IntegrityError:
        return True
    Proposal.objects.filter(pk=proposal.pk).update(support_count=F("support_count") + 1)
    proposal_follow_auto(user=user, proposal=proposal)
    return True
