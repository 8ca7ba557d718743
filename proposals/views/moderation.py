"""Reports and the moderators' decisions: anyone signed in reports a proposal or a
comment; the ort's coordinators and staff restore or remove what was hidden."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from allas.outcomes import acted, form_saved

from .. import services
from ..forms import ModerationForm, ReportForm
from .access import get_comment_for_user, get_proposal_for_user
from .proposals import detail_page


def _report(request, *, proposal=None, comment=None):
    item = proposal or comment
    form = ReportForm(request.POST or None)
    back = item.get_absolute_url()
    if request.method == "POST" and form.is_valid():
        # A refusal is not about the input: the person may not report this (their own, or
        # once already), so it is the page's message and not the form's.
        acted(
            request,
            services.report_create,
            done=_("Thank you. A moderator will look at it."),
            reporter=request.user,
            proposal=proposal,
            comment=comment,
            **form.cleaned_data,
        )
        return redirect(back)
    return render(
        request,
        "proposals/report.html",
        {"form": form, "proposal": proposal, "comment": comment, "back": back},
    )


@login_required
def proposal_report(request, pk):
    return _report(request, proposal=get_proposal_for_user(request, pk))


@login_required
def comment_report(request, pk):
    return _report(request, comment=get_comment_for_user(request, pk))


def _moderate(request, *, proposal=None, comment=None):
    item = proposal or comment
    form = ModerationForm(request.POST)
    done = _("The decision has been recorded.")
    if form.is_valid() and form_saved(
        request,
        form,
        services.moderate,
        done=done,
        by=request.user,
        proposal=proposal,
        comment=comment,
    ):
        return redirect(item.get_absolute_url())
    # Refused: the proposal's page again, with the decision and the reason as they were left.
    messages.error(request, _("Choose restore or remove, and write the reason."))
    return detail_page(
        request,
        proposal or comment.proposal,
        refused={"moderation_form": form, "refused_moderation": "p" if proposal else comment.pk},
    )


@require_POST
@login_required
def proposal_moderate(request, pk):
    proposal = get_proposal_for_user(request, pk, to_moderate=True)
    return _moderate(request, proposal=proposal)


@require_POST
@login_required
def comment_moderate(request, pk):
    comment = get_comment_for_user(request, pk, to_moderate=True)
    return _moderate(request, comment=comment)
