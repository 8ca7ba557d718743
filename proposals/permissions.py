"""Who may do what with proposals: plain functions over the user and the proposal."""

from datetime import timedelta

from django.utils import timezone

from allas.models import User
from allas.permissions import is_staff_member, is_verified_resident, staff_members
from groups.models import Membership
from groups.permissions import coordinated_groups

from .models import Proposal, Visibility

# How long after writing it the author may change a comment.
COMMENT_EDIT_MINUTES = 15
COMMENT_EDIT_WINDOW = timedelta(minutes=COMMENT_EDIT_MINUTES)


def can_propose(user) -> bool:
    """Residents with a verified e-mail address propose, support and comment."""
    return is_verified_resident(user)


def answers_for_the_municipality(user) -> bool:
    """Staff answer in their own name, for the municipality; coordinators as the group."""
    return is_staff_member(user)


def answerable_locality_ids(user) -> set[int] | None:
    """The orter whose proposals the user answers and moderates: None means all (staff)."""
    if is_staff_member(user):
        return None
    return set(coordinated_groups(user).values_list("locality_id", flat=True))


def moderators(locality_id: int):
    """Who answers and moderates the ort's proposals, as a queryset of users: its
    group's coordinators and staff. They are told of reports and unanswered proposals."""
    coordinator_ids = (
        Membership.objects.coordinators()
        .filter(group__locality_id=locality_id)
        .values_list("user_id", flat=True)
    )
    return User.objects.filter(is_active=True, pk__in=coordinator_ids) | staff_members()


def can_answer(user, proposal: Proposal, locality_ids=None) -> bool:
    """The ort's coordinators and staff change status, answer and moderate."""
    if is_staff_member(user):
        return True
    if locality_ids is None:
        locality_ids = answerable_locality_ids(user)
    return proposal.locality_id in locality_ids


def can_see(user, proposal: Proposal, locality_ids=None) -> bool:
    """Hidden and removed proposals are shown only to the author and moderators."""
    if proposal.visibility == Visibility.VISIBLE:
        return True
    if user.is_authenticated and proposal.author_id == user.pk:
        return proposal.visibility == Visibility.HIDDEN
    return can_answer(user, proposal, locality_ids)


def is_author(user, proposal: Proposal) -> bool:
    return user.is_authenticated and proposal.author_id == user.pk


def can_edit(user, proposal: Proposal) -> bool:
    """The author edits until the group has started reviewing."""
    return (
        is_author(user, proposal)
        and proposal.status == Proposal.Status.SUBMITTED
        and proposal.visibility == Visibility.VISIBLE
    )


def can_withdraw(user, proposal: Proposal) -> bool:
    """The author withdraws until the proposal is decided."""
    return is_author(user, proposal) and not proposal.is_decided


def can_support(user, proposal: Proposal, verified: bool) -> bool:
    return (
        verified
        and not is_author(user, proposal)
        and proposal.visibility == Visibility.VISIBLE
        and not proposal.is_decided
    )


def can_comment(user, proposal: Proposal, verified: bool) -> bool:
    """Comments close when a proposal is decided or hidden."""
    return verified and proposal.visibility == Visibility.VISIBLE and not proposal.is_decided


def can_edit_comment(user, comment) -> bool:
    return (
        user.is_authenticated
        and comment.author_id == user.pk
        and not comment.is_deleted
        and comment.visibility == Visibility.VISIBLE
        and timezone.now() - comment.created_at <= COMMENT_EDIT_WINDOW
    )


def can_delete_comment(user, comment) -> bool:
    return user.is_authenticated and comment.author_id == user.pk and not comment.is_deleted


def can_lift(user, proposal: Proposal, locality_ids=None) -> bool:
    """The ort's coordinators (or staff) lift a proposal to the municipality."""
    return can_answer(user, proposal, locality_ids)


def can_register(user) -> bool:
    """Only the development department registers a lifted proposal and records the
    municipality's decision: they carry it to the register and back."""
    return is_staff_member(user)
