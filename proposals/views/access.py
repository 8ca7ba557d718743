"""Which proposal or comment a request may reach: 404 where the user may not know it
exists, 403 where they may see it but not do what they asked."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from .. import permissions
from ..models import Comment, Proposal


def get_proposal_for_user(
    request, pk, locality_ids=None, *, to_answer=False, to_moderate=False
) -> Proposal:
    """The proposal, if the user may know of it: a hidden or removed one is 404 to all but
    its author and moderators. To answer it, the ort's coordinators and staff; others get
    403. Moderation is the moderators' own form, reached from a report, so it answers 403
    to everyone else, whatever the proposal's visibility."""
    proposal = get_object_or_404(
        Proposal.objects.select_related("locality__group", "author", "raised_at"), pk=pk
    )
    if to_moderate:
        to_answer = True
    elif not permissions.can_see(request.user, proposal, locality_ids):
        raise Http404
    if to_answer and not permissions.can_answer(request.user, proposal, locality_ids):
        raise PermissionDenied
    return proposal


def get_comment_for_user(request, pk, *, to_moderate=False) -> Comment:
    """A comment, if the user may see its proposal (404 otherwise); to moderate it, the
    ort's coordinators and staff, and 403 for everyone else."""
    comment = get_object_or_404(Comment.objects.select_related("proposal"), pk=pk)
    if to_moderate:
        if not permissions.can_answer(request.user, comment.proposal):
            raise PermissionDenied
    elif not permissions.can_see(request.user, comment.proposal):
        raise Http404
    return comment
