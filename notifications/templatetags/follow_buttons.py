"""The follow button, for the ort page and the proposal page. One query for a signed-in
viewer (do they follow it?), none for a visitor."""

from django import template
from django.urls import reverse

from ..follows import is_following

register = template.Library()


@register.inclusion_tag("notifications/_follow_button.html", takes_context=True)
def follow_button(context, *, locality=None, proposal_id=None):
    request = context["request"]
    if locality is not None:
        action = reverse("follow_locality", args=[locality.slug])
    else:
        action = reverse("proposal_follow", args=[proposal_id])
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "action": action,
        "is_ort": locality is not None,
        "name": locality.name if locality is not None else "",
        "following": is_following(request.user, locality=locality, proposal_id=proposal_id),
    }
