"""Comments on a proposal: writing one (or a reply), changing it within the edit window,
removing it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from allas.outcomes import acted, form_saved

from .. import permissions, services
from ..forms import CommentForm
from ..models import Comment
from .access import get_comment_for_user, get_proposal_for_user
from .proposals import detail_page


@require_POST
@login_required
def comment_create(request, pk):
    proposal = get_proposal_for_user(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        parent = None
        if form.cleaned_data["parent"]:
            parent = Comment.objects.filter(pk=form.cleaned_data["parent"]).first()
            if parent is None:
                raise Http404
        try:
            comment = services.comment_create(
                proposal=proposal,
                author=request.user,
                body=form.cleaned_data["body"],
                parent=parent,
            )
        except services.CommentsClosed as exc:
            # There is no form on the page to keep the text in.
            messages.error(request, str(exc))
            return redirect(proposal.get_absolute_url() + "#kommentarer")
        except services.ProposalError as exc:
            form.add_error("body", str(exc))
        else:
            messages.success(request, _("Your comment has been published."))
            return redirect(comment.get_absolute_url())
    # Refused: the page again, the text kept in the form it was written in (a reply's own).
    messages.error(request, _("The comment was not saved: see the comment form below."))
    return detail_page(
        request,
        proposal,
        refused={"comment_form": form, "refused_parent": str(form.data.get("parent") or "")},
    )


@login_required
def comment_edit(request, pk):
    comment = get_comment_for_user(request, pk)
    if comment.author_id != request.user.pk:
        raise PermissionDenied
    if not permissions.can_edit_comment(request.user, comment):
        messages.error(request, services.comment_edit_closed())
        return redirect(comment.get_absolute_url())
    form = CommentForm(request.POST or None, initial={"body": comment.body})
    done = _("Your comment has been saved.")
    if request.method == "POST" and form.is_valid():
        edit = services.comment_edit
        body = {"field": "body", "only": ["body"]}
        if form_saved(request, form, edit, done=done, comment=comment, by=request.user, **body):
            return redirect(comment.get_absolute_url())
    return render(
        request,
        "proposals/comment_form.html",
        {"form": form, "comment": comment, "edit_minutes": permissions.COMMENT_EDIT_MINUTES},
    )


@require_POST
@login_required
def comment_delete(request, pk):
    comment = get_comment_for_user(request, pk)
    if comment.author_id != request.user.pk:
        raise PermissionDenied
    done = _("Your comment has been removed.")
    acted(request, services.comment_delete, done=done, comment=comment, by=request.user)
    return redirect(comment.get_absolute_url())
