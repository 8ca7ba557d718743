"""Atom feeds of new proposals, for all orter and per ort."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from allas.models import Locality

from .models import Proposal

FEED_SIZE = 30


class ProposalFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug=None):
        return get_object_or_404(Locality, slug=slug) if slug else None

    def title(self, locality):
        if locality is None:
            return _("Proposals – Allas Vimmerby")
        return _("Proposals for %(ort)s – Allas Vimmerby") % {"ort": locality.name}

    def link(self, locality):
        url = reverse("proposal_list")
        return f"{url}?ort={locality.slug}" if locality else url

    def subtitle(self, locality):
        return _("New proposals from residents, with their status.")

    def items(self, locality):
        proposals = Proposal.objects.listed().select_related("locality")
        if locality is not None:
            proposals = proposals.filter(locality=locality)
        return proposals.order_by("-created_at", "-id")[:FEED_SIZE]

    def item_title(self, item):
        return f"{item.title} ({item.locality.name}, {item.get_status_display()})"

    def item_description(self, item):
        # Atom marks the summary as HTML, so what a resident typed is escaped first: a feed
        # reader shows it as text, with its line breaks, and never runs it.
        return linebreaksbr(item.body, autoescape=True)

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.answered_at or item.edited_at or item.created_at

    def item_categories(self, item):
        return [item.locality.name, item.get_status_display()]
