"""Supporting a proposal: POST /forslag/<id>/stod/, again to take the support back; with
htmx only the support button is sent back."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from .access import get_proposal_for_user


@require_POST
@login_required
def proposal_support(request, pk):
    proposal = get_proposal_for_user(request, pk)
    try:
        supported = services.support_toggle(proposal=proposal, user=request.user)
    except services.ProposalError as exc:
        messages.error(request, str(exc))
        return redirect(proposal)
    proposal.refresh_from_db(fields=["support_count"])
    if request.headers.get("HX-Request"):
        return render(
            request,
            "proposals/_support.html",
            {"proposal": proposal, "supported": supported, "can_support": True},
        )
    messages.success(
        request,
        _("Thank you for your support.") if supported else _("You no longer support the proposal."),
    )
    return redirect(proposal)
