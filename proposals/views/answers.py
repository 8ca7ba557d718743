"""The group's side of the dialogue: answering a proposal by moving its status on, saying
at which of the group's meetings it was raised, and the coordinators' and staff's page of
what waits ("att besvara")."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from allas.outcomes import form_saved

from .. import permissions, services
from ..forms import RaisedAtForm, StatusForm
from ..models import Comment, Proposal, Visibility
from .access import get_proposal_for_user
from .proposals import detail_page


@require_POST
@login_required
def proposal_status(request, pk):
    proposal = get_proposal_for_user(request, pk, to_answer=True)
    form = StatusForm(request.POST, proposal=proposal)
    done = _("The status has been changed and the answer published.")
    answer = services.proposal_set_status
    if form.is_valid() and form_saved(
        request, form, answer, done=done, proposal=proposal, by=request.user
    ):
        return redirect(proposal)
    # Refused: the page again, with the status and the answer as the coordinator left them.
    messages.error(request, _("Nothing was changed: see the answer form below."))
    return detail_page(request, proposal, refused={"status_form": form})


@require_POST
@login_required
def proposal_raised_at(request, pk):
    proposal = get_proposal_for_user(request, pk, to_answer=True)
    form = RaisedAtForm(request.POST, proposal=proposal)
    if form.is_valid():
        if form.cleaned_data["raised_at"] is None:
            done = _("The proposal is no longer marked as raised at a meeting.")
        else:
            done = _("The proposal is now marked as raised at the meeting.")
        raise_at = services.proposal_set_raised_at
        arguments = {"proposal": proposal, "by": request.user}
        if form_saved(request, form, raise_at, done=done, field="raised_at", **arguments):
            return redirect(proposal)
    messages.error(request, _("Nothing was changed: see the meeting form below."))
    return detail_page(request, proposal, refused={"raised_at_form": form})


@login_required
def to_answer(request):
    """For coordinators and staff: overdue proposals and what waits for moderation."""
    locality_ids = permissions.answerable_locality_ids(request.user)
    if locality_ids is not None and not locality_ids:
        raise PermissionDenied
    proposals = Proposal.objects.select_related("locality")
    comments = Comment.objects.select_related("proposal__locality", "author")
    if locality_ids is not None:
        proposals = proposals.filter(locality_id__in=locality_ids)
        comments = comments.filter(proposal__locality_id__in=locality_ids)
    return render(
        request,
        "proposals/to_answer.html",
        {
            "overdue": list(services.overdue().filter(pk__in=proposals).order_by("created_at")),
            "waiting": list(
                proposals.filter(
                    status__in=[Proposal.Status.SUBMITTED, Proposal.Status.UNDER_REVIEW]
                ).order_by("created_at")
            ),
            "hidden_proposals": list(proposals.filter(visibility=Visibility.HIDDEN)),
            "hidden_comments": list(comments.filter(visibility=Visibility.HIDDEN)),
            "days": services.ANSWER_WITHIN_DAYS,
        },
    )
