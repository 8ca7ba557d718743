"""Following a proposal: POST /forslag/<id>/folj/, again to stop."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from allas.redirects import redirect_back
from notifications.permissions import can_follow
from notifications.views import refuse_unverified

from .. import permissions, services
from ..models import Proposal


@require_POST
@login_required
def proposal_follow(request, pk):
    proposal = get_object_or_404(Proposal, pk=pk)
    if not permissions.can_see(request.user, proposal):
        raise Http404
    if not can_follow(request.user):
        return refuse_unverified(request)
    following = services.proposal_follow_toggle(user=request.user, proposal=proposal)
    messages.success(
        request,
        _("You now follow the proposal.") if following else _("You no longer follow the proposal."),
    )
    return redirect_back(request, proposal.get_absolute_url())
