"""A proposal's status: the group's public answer and the author's withdrawal, and who
hears of each change."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from allas.page_cache import renews_public_content
from allas.services import absolute_url, email_send_templated
from groups.models import Action
from notifications.notify import notify

from .. import permissions
from ..models import Proposal, StatusChange
from ..notices import proposal_status_changed
from ..words import AuditVerb as Verb
from .common import ProposalError, audit_for_ort, lock_proposal

Status = Proposal.Status


def _notify_status(proposal: Proposal, change: StatusChange) -> set[int]:
    """The author hears of each status change, in their language: an e-mail they always
    get. Supporters follow the proposal and hear of it as they chose (_tell_followers).
    Returns who was e-mailed."""
    recipients = {}
    if proposal.author_id and proposal.author.is_active:
        recipients[proposal.author_id] = proposal.author
    link = absolute_url(proposal.get_absolute_url())
    for user in recipients.values():
        email_send_templated(
            to=user.email,
            template="proposals/status_changed",
            context={
                "proposal": proposal,
                "change": change,
                "link": link,
                "is_author": user.pk == proposal.author_id,
            },
            language=user.language,
            kind="proposals.status_changed",
            dedup_key=f"proposal-status:{change.pk}:{user.pk}",
            cause=proposal,
        )
    return set(recipients)


def _tell_followers(proposal: Proposal, change: StatusChange, told: set[int]) -> None:
    """The followers of the proposal and of its ort hear of it as they chose; those just
    e-mailed about it are left out."""
    notify(proposal_status_changed(proposal, change, already_told=told))


def _change_status(*, proposal, status, by, answer, answered_as) -> StatusChange:
    now = timezone.now()
    proposal.status = status
    fields = ["status"]
    if answer:
        proposal.answered_at = now
        fields.append("answered_at")
    proposal.save(update_fields=[*fields, "action", "changed_at"])
    change = StatusChange.objects.create(
        proposal=proposal, status=status, answer=answer, answered_by=by, answered_as=answered_as
    )
    _tell_followers(proposal, change, _notify_status(proposal, change))
    return change


@transaction.atomic
@renews_public_content
def proposal_withdraw(*, proposal: Proposal, by) -> Proposal:
    proposal = lock_proposal(proposal)
    if not permissions.can_withdraw(by, proposal):
        raise ProposalError(_("The proposal has been decided and can no longer be withdrawn."))
    _change_status(
        proposal=proposal,
        status=Status.WITHDRAWN,
        by=by,
        answer="",
        answered_as=StatusChange.AnsweredAs.AUTHOR,
    )
    return proposal


@transaction.atomic
@renews_public_content
def proposal_set_status(
    *, proposal: Proposal, by, status: str, answer: str = "", action: Action | None = None
) -> Proposal:
    """The group (or staff) moves the proposal on and answers in public."""
    proposal = lock_proposal(proposal)
    if not permissions.can_answer(by, proposal):
        raise ProposalError(_("Only the ort's coordinators and the municipality answer proposals."))
    if status not in Proposal.TRANSITIONS.get(proposal.status, ()):
        raise ProposalError(
            _("A proposal that is “%(current)s” cannot be moved to “%(new)s”.")
            % {
                "current": proposal.get_status_display(),
                "new": Status(status).label if status in Status.values else status,
            }
        )
    answer = answer.strip()
    if status in Proposal.NEEDS_ANSWER and not answer:
        raise ProposalError(_("Write a public answer that tells the author and everyone else why."))
    if action is not None:
        if action.plan.group.locality_id != proposal.locality_id:
            raise ProposalError(_("The action must belong to the plan of the proposal's ort."))
        if action.plan.status != action.plan.Status.PUBLISHED:
            # A draft plan is the group's own until it is published: nothing may point to it.
            raise ProposalError(_("Only actions in a published plan can be linked."))
        proposal.action = action
    # Coordinators answer as the group; staff answer in their own name, for the municipality.
    answered_as = (
        StatusChange.AnsweredAs.STAFF
        if permissions.answers_for_the_municipality(by)
        else StatusChange.AnsweredAs.GROUP
    )
    previous = Status(proposal.status).label  # lazy: the entry is written in Swedish
    _change_status(proposal=proposal, status=status, by=by, answer=answer, answered_as=answered_as)
    new = Status(status).label
    verb = Verb.PROPOSAL_STATUS_CHANGED
    audit_for_ort(by, verb, proposal, locality_id=proposal.locality_id, old=previous, new=new)
    return proposal
