"""What every write of the dialogue shares: the error a rule raises, the lock on the
proposal, the audit entry that names the ort (and so its group)."""

from allas import audit

from ..models import Proposal


class ProposalError(Exception):
    """A rule stopped the change; the message is shown to the user as it is."""


class CommentsClosed(ProposalError):
    """The proposal takes no comments (any more): there is no form to keep a text in."""


def audit_for_ort(by, verb, obj, *, locality_id, **values) -> None:
    """The ort is named on the entry, so its group's coordinators see it on their page."""
    audit.record(actor=by, verb=verb, obj=obj, locality_id=locality_id, values=values)


def lock_proposal(proposal: Proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("locality")
        .get(pk=proposal.pk)
    )
