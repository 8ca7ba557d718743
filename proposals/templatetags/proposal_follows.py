"""The follow button of the proposal page: the ort page's button (notifications), asking
whether the viewer follows the proposal. One query for a signed-in viewer, none for a
visitor."""

from django import template
from django.urls import reverse

from notifications.follows import is_following
from notifications.templatetags.follow_buttons import button_context
from proposals.models import ProposalFollow

register = template.Library()


@register.inclusion_tag("notifications/_follow_button.html", takes_context=True)
def proposal_follow_button(context, proposal):
    return button_context(
        context,
        action=reverse("proposal_follow", args=[proposal.pk]),
        following=is_following(context["request"].user, model=ProposalFollow, proposal=proposal),
    )
