"""Following a proposal: by its button, or on its own when the person writes, supports or
comments on it. The follow itself works as every follow does (notifications.follows)."""

from notifications.follows import follow_auto, follow_toggle

from ..models import Proposal, ProposalFollow


def proposal_follow_toggle(*, user, proposal: Proposal) -> bool:
    """Starts following the proposal, or stops. Returns whether the person follows now."""
    return follow_toggle(model=ProposalFollow, user=user, proposal=proposal)


def proposal_follow_auto(*, user, proposal: Proposal) -> None:
    """Follows because the person took part; a follow they stopped stays stopped."""
    follow_auto(model=ProposalFollow, user=user, proposal=proposal)
