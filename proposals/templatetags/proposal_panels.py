"""The proposals app's panels on the home page and the ort page: one query each."""

from django import template

from proposals.models import Proposal

register = template.Library()

LATEST = 5


@register.inclusion_tag("proposals/panel_latest.html")
def latest_proposals(locality=None):
    proposals = Proposal.objects.listed().for_list()  # the card columns, not the body
    if locality is not None:
        proposals = proposals.filter(locality=locality)
    return {
        "proposals": list(proposals.order_by("-created_at", "-id")[:LATEST]),
        "locality": locality,
    }
