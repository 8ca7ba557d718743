from django import template
from django.utils import timezone

from groups.models import DialogueMeeting
from meetings.models import NetworkMeeting

register = template.Library()


@register.inclusion_tag("meetings/year_warning.html")
def meeting_year_warning():
    """The staff start page warns when no network meeting is planned this year."""
    year = timezone.localdate().year
    planned = (
        NetworkMeeting.objects.filter(starts_at__year=year)
        .exclude(status=NetworkMeeting.Status.CANCELLED)
        .exists()
    )
    return {"planned": planned, "year": year}


@register.inclusion_tag("meetings/panel_next.html")
def next_meeting():
    meeting = (
        NetworkMeeting.objects.filter(
            status=NetworkMeeting.Status.PUBLISHED, ends_at__gte=timezone.now()
        )
        .order_by("starts_at")
        .first()
    )
    return {"meeting": meeting}


# How many of the groups' coming meetings the home page and the ort page show.
NEXT_DIALOGUE = 3


@register.inclusion_tag("meetings/dialogue/panel_next.html")
def next_dialogue_meetings(locality=None):
    """The groups' next published meetings, of one ort or all: one query."""
    meetings = DialogueMeeting.objects.filter(
        status=DialogueMeeting.Status.PUBLISHED, ends_at__gte=timezone.now()
    ).select_related("group__locality")
    if locality is not None:
        meetings = meetings.filter(group__locality=locality)
    return {
        "meetings": list(meetings.order_by("starts_at", "id")[:NEXT_DIALOGUE]),
        "locality": locality,
    }
