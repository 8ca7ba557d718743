from django import template
from django.utils import timezone

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
