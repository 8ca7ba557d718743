"""The meetings app's part of the portal's search (/sok/): public network meetings."""

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from allas.search import SearchGroup, SearchResult, highlight, snippet, text_filter

from .models import NetworkMeeting


def search(*, query, terms, user, limit):
    meetings = list(
        NetworkMeeting.objects.filter(status__in=NetworkMeeting.PUBLIC)
        .filter(text_filter(terms, ["title", "purpose", "venue"]))
        .order_by("-starts_at", "-id")[: limit + 1]
    )
    return SearchGroup(
        kind="natverksmoten",
        heading=str(_("Network meetings")),
        results=[
            SearchResult(
                title=highlight(meeting.title, terms),
                url=meeting.get_absolute_url(),
                text=snippet(meeting.purpose, terms) if meeting.purpose else "",
                meta=formats.date_format(timezone.localtime(meeting.starts_at), "j F Y"),
            )
            for meeting in meetings[:limit]
        ],
        more=len(meetings) > limit,
    )
