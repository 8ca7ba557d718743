"""The groups' dialogue meetings in the portal's search (/sok/): published, cancelled and
held meetings, by title, description and place."""

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from allas.search import SearchGroup, SearchResult, highlight, snippet, text_filter
from groups.models import DialogueMeeting


def search(*, query, terms, user, limit):
    meetings = list(
        DialogueMeeting.objects.public()
        .filter(text_filter(terms, ["title", "description", "venue"]))
        .select_related("group__locality")
        .order_by("-starts_at", "-id")[: limit + 1]
    )
    return SearchGroup(
        kind="moten",
        heading=str(_("Meetings in the orter")),
        results=[
            SearchResult(
                title=highlight(meeting.title, terms),
                url=meeting.get_absolute_url(),
                text=snippet(meeting.description, terms) if meeting.description else "",
                meta=" · ".join(
                    [
                        str(meeting.get_kind_display()),
                        meeting.group.locality.name,
                        formats.date_format(timezone.localtime(meeting.starts_at), "j F Y"),
                    ]
                ),
            )
            for meeting in meetings[:limit]
        ],
        more=len(meetings) > limit,
    )
