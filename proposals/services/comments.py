"""Comments on a proposal: writing one or a reply, changing it within the edit window,
removing it."""

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from allas.page_cache import renews_public_content
from notifications.notify import notify

from .. import permissions
from ..models import Comment, Proposal
from ..notices import comment_posted
from .common import CommentsClosed, ProposalError, lock_proposal, refuse_over_limit
from .follows import proposal_follow_auto

COMMENTS_PER_HOUR = 30


@transaction.atomic
@renews_public_content
def comment_create(*, proposal: Proposal, author, body: str, parent: Comment | None = None):
    proposal = lock_proposal(proposal)
    if not permissions.can_comment(author, proposal, verified=permissions.can_propose(author)):
        raise CommentsClosed(_("Comments are closed for this proposal."))
    if parent is not None:
        if parent.proposal_id != proposal.pk:
            raise ProposalError(_("You can only reply to a comment on the same proposal."))
        if parent.parent_id is not None:
            parent = parent.parent  # one level of replies: answer the thread
    refuse_over_limit(
        Comment,
        author=author,
        within=timedelta(hours=1),
        limit=COMMENTS_PER_HOUR,
        message=_(
            "You can write at most %(n)d comments an hour. Take a break and try again later."
        ),
    )
    comment = Comment.objects.create(
        proposal=proposal, author=author, parent=parent, body=body.strip()
    )
    Proposal.objects.filter(pk=proposal.pk).update(comment_count=F("comment_count") + 1)
    proposal_follow_auto(user=author, proposal=proposal)
    notify(comment_posted(comment))
    return comment


def comment_edit_closed() -> str:
    """Why a comment can no longer be changed: the service and the edit page say it."""
    return _("A comment can only be changed by its author within %(minutes)d minutes.") % {
        "minutes": permissions.COMMENT_EDIT_MINUTES
    }


@transaction.atomic
@renews_public_content
def comment_edit(*, comment: Comment, by, body: str) -> Comment:
    if not permissions.can_edit_comment(by, comment):
        raise ProposalError(comment_edit_closed())
    comment.body = body.strip()
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    return comment


@transaction.atomic
@renews_public_content
def comment_delete(*, comment: Comment, by) -> Comment:
    """The text stays stored, as a public record; the page shows that it was removed."""
    if not permissions.can_delete_comment(by, comment):
        raise ProposalError(_("You can only remove your own comments."))
    comment.is_deleted = True
    comment.save(update_fields=["is_deleted"])
    Proposal.objects.filter(pk=comment.proposal_id).update(comment_count=F("comment_count") - 1)
    return comment
