"""The follow button of the ort page. The apps above give their pages the same button from
their own tags with `button_context` (proposals: `proposal_follow_button`). One query for
a signed-in viewer (do they follow it?), none for a visitor."""

from django import template
from django.urls import reverse

from ..follows import is_following

register = template.Library()


def button_context(context, *, action: str, following: bool, locality=None) -> dict:
    """What notifications/_follow_button.html needs."""
    request = context["request"]
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "action": action,
        "is_ort": locality is not None,
        "name": locality.name if locality is not None else "",
        "following": following,
    }


@register.inclusion_tag("notifications/_follow_button.html", takes_context=True)
def follow_button(context, *, locality):
    return button_context(
        context,
        action=reverse("follow_locality", args=[locality.slug]),
        following=is_following(context["request"].user, locality=locality),
        locality=locality,
    )
